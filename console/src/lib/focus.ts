// A new page moves focus to its heading, so a screen reader announces it and Tab starts from there. A page whose code
// or data is still loading shows its heading later: focus goes to it when it appears, unless the person has moved focus
// elsewhere meanwhile (it is still on the link they followed, or nowhere).
let waiting: MutationObserver | null = null;

const heading = () => document.querySelector<HTMLElement>('main h1');
const nowhere = () => document.activeElement === null || document.activeElement === document.body || document.activeElement.id === 'main';

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
    const left = document.activeElement;
    const observer = new MutationObserver(() => {
      const appeared = heading();
      if (!appeared) return;
      observer.disconnect();
      if (waiting === observer) waiting = null;
      if (nowhere() || document.activeElement === left) appeared.focus();
    });
    observer.observe(main, { childList: true, subtree: true });
    waiting = observer;
  });
}
