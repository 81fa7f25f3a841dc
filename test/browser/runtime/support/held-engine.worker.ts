/**
 * The engine worker over IndexedDB (no compute pool), except that a run's second
 * commit waits until `pause()` has been called: a run that is paused mid-way over
 * the worker boundary whatever the machine's speed, with one row group committed.
 */
import * as Comlink from 'comlink';
import type { RowGroupData, RunManifest } from '../../../../src/core/storage/types.ts';
import type { EngineHostApi } from '../../../../src/runtime/engine-host.ts';
import { createEngineService } from '../../../../src/runtime/engine-service.ts';
import type { EngineWorkerApi } from '../../../../src/runtime/engine-service.ts';
import { IdbRunStore } from '../../../../src/runtime/idb-store.ts';
import { settle } from '../../../../src/runtime/protocol.ts';

class HeldUntilPaused extends IdbRunStore {
  #commits = 0;
  #paused: () => void = () => {};
  readonly paused = new Promise<void>((resolve) => (this.#paused = resolve));
  pause(): void {
    this.#paused();
  }
  override async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    if (++this.#commits === 2) await this.paused;
    await super.commit(group, manifest);
  }
}

let service: EngineWorkerApi | undefined;
let store: HeldUntilPaused | undefined;
const ready = () => service ?? Promise.reject(new Error('init() first'));

const host: EngineHostApi = {
  init: (options) =>
    settle(() => {
      store = new HeldUntilPaused({ dbName: options.dbName ?? 'held-engine' });
      service = createEngineService({ store });
    }),
  startRun: async (...args) => (await ready()).startRun(...args),
  resumeRun: async (...args) => (await ready()).resumeRun(...args),
  pause: async (runId) => {
    const result = await (await ready()).pause(runId);
    store?.pause();
    return result;
  },
  cancel: async (runId) => (await ready()).cancel(runId),
  preview: async (...args) => (await ready()).preview(...args),
  cancelPreview: async (id) => (await ready()).cancelPreview(id),
  listRuns: async () => (await ready()).listRuns(),
  deleteRun: async (runId) => (await ready()).deleteRun(runId),
  renameRun: async (...args) => (await ready()).renameRun(...args),
  runConfig: async (runId) => (await ready()).runConfig(runId),
  readRows: async (...args) => (await ready()).readRows(...args),
  profileRun: async (runId) => (await ready()).profileRun(runId),
};

Comlink.expose(host);
