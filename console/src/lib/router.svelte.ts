// Client-side routing with the History API: every page has a real address under /console/, which Scanport answers
// with index.html, so a reload or a deep link opens the same page.
export const base = '/console';

class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  /** Counts the moves after which focus goes to the new page's heading: not the redirects of the first load. */
  moves = $state(0);
  private settled = false;

  constructor() {
    addEventListener('popstate', () => {
      this.sync();
      this.moves++;
    });
    // Same-origin links inside the console are followed here, without a page load; modified clicks
    // (new tab, download) stay the browser's.
    document.addEventListener('click', (event) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = (event.target as Element | null)?.closest?.('a');
      if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
      const url = new URL(anchor.href, location.href);
      if (url.origin !== location.origin || !url.pathname.startsWith(base + '/')) return;
      // A link to a place on this page (the skip link) is the browser's to follow.
      if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
      event.preventDefault();
      this.go(url.pathname + url.search);
    });
  }

  /** The path below /console, e.g. "/projects/12". */
  get route(): string {
    const below = this.path.startsWith(base) ? this.path.slice(base.length) : this.path;
    return below === '' ? '/' : below;
  }

  param(name: string): string | null {
    return new URLSearchParams(this.search).get(name);
  }

  go(to: string, options: { replace?: boolean } = {}) {
    const target = to.startsWith(base) ? to : base + to;
    if (target === location.pathname + location.search) return;
    if (options.replace) history.replaceState(null, '', target);
    else history.pushState(null, '', target);
    this.sync();
    scrollTo(0, 0);
    // A redirect while the first page loads leaves focus where the browser puts it (so Tab reaches the skip link first).
    if (this.settled || !options.replace) this.moves++;
    this.settled = true;
  }

  private sync() {
    this.path = location.pathname;
    this.search = location.search;
  }
}

export const router = new Router();

export const href = (path: string) => base + path;
