/** The engine worker: runs the core engine over IndexedDB (src/runtime/engine-host.ts), exposed over Comlink. */
import * as Comlink from 'comlink';
import { createEngineHost } from '../src/runtime/engine-host.ts';

Comlink.expose(
  createEngineHost(
    () => new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' }),
  ),
);
