/**
 * Issue 14, everywhere: each screen has a URL, the browser's Back and Forward move
 * between screens, and a dialog is a history entry that Back closes and that
 * closing it by itself pops. The router runs on this page's real history.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRoute, routeHash, Router, type Route } from '../../../src/ui/state/route.svelte.ts';

/** Resolves after the next popstate, once the router has heard it. */
const popped = () =>
  new Promise<void>((done) => window.addEventListener('popstate', () => done(), { once: true }));

async function back(): Promise<void> {
  const p = popped();
  history.back();
  await p;
}

async function forward(): Promise<void> {
  const p = popped();
  history.forward();
  await p;
}

let router: Router;
let heard: Route[];
let stop: () => void;
const start = location.pathname + location.search;

beforeEach(() => {
  history.replaceState(null, '', `${start}#/design`);
  router = new Router(window);
  heard = [];
  stop = router.listen((route) => heard.push(route));
});

afterEach(() => {
  stop();
  history.replaceState(null, '', start);
});

describe('issue 14: the screens URLs', () => {
  it('each screen and designer section has its hash route, read back as itself', () => {
    const routes: [Route, string][] = [
      [{ view: 'design', section: 'columns' }, '#/design'],
      [{ view: 'design', section: 'models' }, '#/design/models'],
      [{ view: 'design', section: 'seed' }, '#/design/seed'],
      [{ view: 'design', section: 'processors' }, '#/design/processors'],
      [{ view: 'run' }, '#/run'],
      [{ view: 'history' }, '#/runs'],
    ];
    for (const [route, hash] of routes) {
      expect(routeHash(route)).toBe(hash);
      expect(parseRoute(hash)).toEqual(route);
    }
  });

  it('a share link, an empty hash or an unknown one names no screen', () => {
    for (const hash of ['', '#', '#config=abc', '#/nowhere', '#/run/models', '#/design/x'])
      expect(parseRoute(hash)).toBeNull();
  });

  it('the URL at start names the screen shown', () => {
    history.replaceState(null, '', `${start}#/design/seed`);
    const r = new Router(window);
    expect([r.route, r.named]).toEqual([{ view: 'design', section: 'seed' }, true]);
    history.replaceState(null, '', `${start}#config=abc`);
    const s = new Router(window);
    expect([s.route, s.named]).toEqual([{ view: 'design', section: 'columns' }, false]);
  });
});

describe('issue 14: Back and Forward move between screens', () => {
  it('a screen shown is a history entry that Back leaves and Forward returns to', async () => {
    router.go({ view: 'run' });
    router.go({ view: 'history' });
    expect([router.view, location.hash]).toEqual(['history', '#/runs']);
    await back();
    expect([router.view, location.hash]).toEqual(['run', '#/run']);
    await back();
    expect(router.route).toEqual({ view: 'design', section: 'columns' });
    await forward();
    expect(router.view).toBe('run');
    expect(heard.map((r) => r.view)).toEqual(['run', 'design', 'run']);
  });

  it('showing the screen already shown adds no entry', async () => {
    router.go({ view: 'run' });
    router.go({ view: 'run' });
    await back();
    expect(router.view).toBe('design');
  });
});

describe('issue 14: Back closes a dialog', () => {
  it('Back closes the open dialog and stays on its screen', async () => {
    router.go({ view: 'run' });
    router.openDialog('gallery');
    expect(router.dialog).toBe('gallery');
    await back();
    expect([router.dialog, router.view, location.hash]).toEqual([null, 'run', '#/run']);
    expect(heard.map((r) => r.view)).toEqual([]);
  });

  it('a dialog closed by itself pops its entry: the next Back leaves the screen', async () => {
    router.go({ view: 'run' });
    router.openDialog('gallery');
    const p = popped();
    router.closeDialog('gallery');
    expect(router.dialog).toBeNull();
    await p;
    expect(history.state).toBeNull();
    await back();
    expect(router.view).toBe('design');
  });

  it('Forward onto a closed dialog entry opens it again', async () => {
    router.openDialog('gallery');
    await back();
    expect(router.dialog).toBeNull();
    await forward();
    expect(router.dialog).toBe('gallery');
  });

  it("a screen asked for while a dialog's entry is being popped lands after it", async () => {
    router.openDialog('gallery');
    const p = popped();
    router.closeDialog('gallery');
    router.go({ view: 'history' });
    expect(router.view).toBe('history');
    await p;
    expect(location.hash).toBe('#/runs');
    await back();
    expect([router.view, router.dialog, location.hash]).toEqual(['design', null, '#/design']);
  });

  it('a screen shown from an open dialog takes its entry: Back never reopens the dialog', async () => {
    router.go({ view: 'run' });
    router.openDialog('row');
    router.go({ view: 'history' });
    expect([router.dialog, location.hash]).toEqual([null, '#/runs']);
    await back();
    expect([router.view, router.dialog]).toEqual(['run', null]);
  });

  it('closing a dialog Back already closed pops nothing', async () => {
    router.go({ view: 'run' });
    router.openDialog('gallery');
    await back();
    router.closeDialog('gallery');
    router.go({ view: 'history' });
    await back();
    expect(router.view).toBe('run');
  });
});
