// A new page moves focus to its heading, so a screen reader announces it and Tab starts from there. A page whose code
// or data is still loading shows its heading later: focus goes to it when it appears, unless the person has already
// put focus somewhere else.
let waiting: MutationObserver | null = null;

const heading = () => document.querySelector<HTMLElement>('main h1');
const unfocused = () => document.activeElement === null || document.activeElement === document.body || document.activeElement.id === 'main';

export function focusHeading() {
  waiting?.disconnect();
  waiting = null;
  queueMicrotask(() => {
    const shown = heading();
    if (shown) {
      shown.focus();
      return;
    }
    const main = document.getElementById('main');
    if (!main) return;
    const observer = new MutationObserver(() => {
      const appeared = heading();
      if (!appeared) return;
      observer.disconnect();
      if (waiting === observer) waiting = null;
      if (unfocused()) appeared.focus();
    });
    observer.observe(main, { childList: true, subtree: true });
    waiting = observer;
  });
}
