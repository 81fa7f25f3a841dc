/**
 * The app's screens in the URL, and its dialogs in the browser's history.
 *
 * Each screen has a hash route: `#/design` (with the designer section,
 * `#/design/models`, `#/design/seed`, `#/design/processors`), `#/run`, `#/runs`.
 * Hash routes, not paths: the site is built with `base: './'` to run from any
 * sub-path of a static host, and a path such as `/tabsynth/design/models` would
 * need the host to serve index.html for it and would resolve `./assets/…` under
 * the wrong folder; a fragment never reaches the server. A share link's
 * `#config=…` opens the designer, and is replaced by `#/design` once read.
 *
 * Opening a dialog pushes a history entry (same URL, the dialog's id in
 * `history.state`), so Back closes it; closing it by its own button or Escape
 * pops that entry again, so Back and Forward never step through dead entries.
 */
import { getContext, setContext } from 'svelte';

/** The app's screens. */
export type View = 'design' | 'run' | 'history';

/** The designer's sections that have a URL of their own. */
export const DESIGN_SECTIONS = ['columns', 'models', 'seed', 'processors'] as const;
export type DesignSection = (typeof DESIGN_SECTIONS)[number];

/** A screen, as the URL names it. */
export type Route = { view: 'design'; section: DesignSection } | { view: 'run' | 'history' };

/** The screen a URL without a route opens. */
export const DEFAULT_ROUTE: Route = { view: 'design', section: 'columns' };

/** The URL path segment of each view. */
const VIEW_PATHS: Record<View, string> = { design: 'design', run: 'run', history: 'runs' };

/** The route a location hash names, or null when it names none (empty, a share link, unknown). */
export function parseRoute(hash: string): Route | null {
  const m = /^#\/([a-z]+)(?:\/([a-z]+))?\/?$/.exec(hash);
  if (!m) return null;
  const view = (Object.keys(VIEW_PATHS) as View[]).find((v) => VIEW_PATHS[v] === m[1]);
  if (view === undefined) return null;
  if (view !== 'design') return m[2] === undefined ? { view } : null;
  const section = m[2] ?? 'columns';
  return (DESIGN_SECTIONS as readonly string[]).includes(section)
    ? { view, section: section as DesignSection }
    : null;
}

/** The location hash of `route`: `#/design`, `#/design/models`, `#/run`, `#/runs`. */
export function routeHash(route: Route): string {
  const path = VIEW_PATHS[route.view];
  return route.view === 'design' && route.section !== 'columns'
    ? `#/${path}/${route.section}`
    : `#/${path}`;
}

export function sameRoute(a: Route, b: Route): boolean {
  return routeHash(a) === routeHash(b);
}

/** The key under which a dialog's history entry carries its id. */
const DIALOG_KEY = 'tabsynthDialog';

function dialogOf(state: unknown): string | null {
  if (typeof state !== 'object' || state === null) return null;
  const id = (state as Record<string, unknown>)[DIALOG_KEY];
  return typeof id === 'string' ? id : null;
}

/** What the router needs of `window` (a real one; an iframe's in tests). */
export type RouterWindow = Pick<Window, 'location' | 'history'> &
  Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

export class Router {
  readonly #win: RouterWindow;
  #route = $state<Route>(DEFAULT_ROUTE);
  #dialog = $state<string | null>(null);
  readonly #named: boolean;
  /** A dialog's entry is being popped (history.back() is asynchronous). */
  #popping = false;
  /** A navigation asked for while the pop was under way: pushed once it lands. */
  #queued: Route | null = null;

  constructor(win: RouterWindow = window) {
    this.#win = win;
    const named = parseRoute(win.location.hash);
    this.#named = named !== null;
    this.#route = named ?? DEFAULT_ROUTE;
  }

  /** The screen shown. Default: the one the URL names, else the designer's columns. */
  get route(): Route {
    return this.#route;
  }

  get view(): View {
    return this.#route.view;
  }

  /** Whether the URL the page was opened with named a screen. */
  get named(): boolean {
    return this.#named;
  }

  /** The id of the dialog whose history entry is the current one. Default: none. */
  get dialog(): string | null {
    return this.#dialog;
  }

  /** Shows `route` as a new history entry (nothing when it is already shown); an open dialog closes. */
  go(route: Route): void {
    if (this.#popping) {
      this.#route = route;
      this.#queued = route;
      return;
    }
    if (sameRoute(route, this.#route) && this.#dialog === null) return;
    this.#route = route;
    // From an open dialog, the screen takes the dialog's entry: Back never reopens it.
    if (this.#dialog === null) this.#win.history.pushState(null, '', routeHash(route));
    else this.#win.history.replaceState(null, '', routeHash(route));
    this.#dialog = null;
  }

  /** Shows `route` in place of the current entry (a share link read, a screen chosen at start, a dialog's entry dropped after a reload). */
  replace(route: Route): void {
    this.#route = route;
    this.#dialog = null;
    this.#win.history.replaceState(null, '', routeHash(route));
  }

  /** A dialog opened: Back now closes it. */
  openDialog(id: string): void {
    if (this.#dialog === id) return;
    const state = { [DIALOG_KEY]: id };
    if (this.#dialog === null) this.#win.history.pushState(state, '');
    else this.#win.history.replaceState(state, '');
    this.#dialog = id;
  }

  /** The dialog closed by itself (its button, Escape): its entry is popped. Nothing when Back closed it. */
  closeDialog(id: string): void {
    if (this.#dialog !== id) return;
    this.#dialog = null;
    this.#popping = true;
    this.#win.history.back();
  }

  /**
   * Follows Back, Forward and URLs typed into the address bar; `onRoute` hears
   * every screen change they make. Returns the disposer.
   */
  listen(onRoute: (route: Route) => void = () => undefined): () => void {
    const sync = () => {
      const win = this.#win;
      if (this.#popping) {
        this.#popping = false;
        const queued = this.#queued;
        this.#queued = null;
        if (queued) {
          win.history.pushState(null, '', routeHash(queued));
          return;
        }
      }
      this.#dialog = dialogOf(win.history.state);
      const route = parseRoute(win.location.hash);
      // A hash that names no screen (typed into the address bar) leaves the screen as it is.
      if (route === null || sameRoute(route, this.#route)) return;
      this.#route = route;
      onRoute(route);
    };
    this.#win.addEventListener('popstate', sync);
    this.#win.addEventListener('hashchange', sync);
    return () => {
      this.#win.removeEventListener('popstate', sync);
      this.#win.removeEventListener('hashchange', sync);
    };
  }
}

const CONTEXT_KEY = Symbol('tabsynth:router');

/** Makes `router` the one components under this one use for their dialogs. */
export function provideRouter(router: Router): Router {
  return setContext(CONTEXT_KEY, router);
}

/** The app's router, or undefined when the component is rendered without one (a test). */
export function useRouter(): Router | undefined {
  return getContext<Router | undefined>(CONTEXT_KEY);
}
