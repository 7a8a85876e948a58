// What the last admin action did ("User … created"), said by the page the person lands on next.
class Notice {
  text = $state<string | null>(null);

  /** The notice, once: the page that shows it takes it. */
  take(): string | null {
    const text = this.text;
    this.text = null;
    return text;
  }
}

export const notice = new Notice();
