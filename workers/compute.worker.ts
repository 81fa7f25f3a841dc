/** A compute worker: exposes computeApi (src/runtime/compute.ts) over Comlink. */
import * as Comlink from 'comlink';
import { computeApi } from '../src/runtime/compute.ts';

Comlink.expose(computeApi);
