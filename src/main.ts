import { mount } from 'svelte';
import App from './ui/App.svelte';
import { loadEngineClient } from './ui/lib/engine-client.ts';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
// Start the engine worker while the page mounts: the first preview needs it, and
// it loads on another core in parallel with the UI's own start-up.
const client = loadEngineClient();
client.catch(() => undefined);
mount(App, { target, props: { clientFactory: () => client } });
