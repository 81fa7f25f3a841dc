/**
 * The real compute worker, except that one named 'crash' dies (an uncaught error)
 * in the middle of its first generation block: a compute worker lost mid-block.
 */
import * as Comlink from 'comlink';
import { createComputeApi } from '../../../../src/runtime/compute.ts';
import type { ComputeApi } from '../../../../src/runtime/compute.ts';

const api = createComputeApi();
const crashing: ComputeApi = {
  ...api,
  generateBlock: () => {
    setTimeout(() => {
      throw new Error('compute worker crashed on purpose');
    });
    return new Promise(() => undefined);
  },
};

Comlink.expose(self.name === 'crash' ? crashing : api);
