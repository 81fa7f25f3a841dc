/** A compute worker: exposes the compute API (src/runtime/compute.ts) over Comlink. */
import * as Comlink from 'comlink';
import { createComputeApi } from '../src/runtime/compute.ts';

Comlink.expose(createComputeApi());
