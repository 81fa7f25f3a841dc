import { mount } from 'svelte';
import { createEngineClient } from './runtime/client.ts';
import App from './ui/App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
// Start the engine worker before the page mounts: the first preview waits for it
// (fetch, compile, init), and it boots on another core while the UI mounts and
// lays out. Imported statically so no chunk round trip comes first. The async
// function runs createEngineClient now; a failure reaches the UI as a rejection.
const client = (async () => createEngineClient())();
client.catch(() => undefined);
mount(App, { target, props: { clientFactory: () => client } });
