import { mount } from 'svelte';
import { createEngineClient } from './runtime/client.ts';
import App from './ui/App.svelte';
import { readShareFragment, type SharedLink } from './ui/state/config-io.ts';

declare global {
  interface Window {
    /** The engine worker the built index.html starts before this bundle loads (vite.config.ts). Default: none. */
    __tabsynthEngine?: Worker;
  }
}

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
// The first preview waits for the engine worker (thread start, fetch, compile,
// init), so it starts before the page mounts: from index.html in the build, here
// otherwise; it boots on another core while the UI mounts and lays out. The async
// function runs createEngineClient now; a failure reaches the UI as a rejection.
const early = window.__tabsynthEngine;
window.__tabsynthEngine = undefined;
const client = (async () => createEngineClient(early ? { createEngineWorker: () => early } : {}))();
client.catch(() => undefined);
// A share link is read before mounting, so the page renders and previews its config
// first rather than the starter design and then the config.
const shared: SharedLink | undefined = location.hash.includes('config=')
  ? await readShareFragment(location.hash).then(
      (doc) => ({ doc }),
      (error: unknown) => ({ error }),
    )
  : undefined;
mount(App, { target, props: { clientFactory: () => client, ...(shared ? { shared } : {}) } });
