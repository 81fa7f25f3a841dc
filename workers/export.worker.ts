/**
 * The export worker: streams a stored run to Parquet, CSV or JSONL
 * (src/runtime/export.ts). One worker per export, terminated afterwards by the
 * client, since wasm memory never shrinks.
 */
import * as Comlink from 'comlink';
import { exportStoredRun } from '../src/runtime/export.ts';
import type { ExportWorkerApi } from '../src/runtime/export.ts';
import { IdbRunStore } from '../src/runtime/idb-store.ts';
import { settle } from '../src/runtime/protocol.ts';

const api: ExportWorkerApi = {
  exportRun: (job, dbName, onProgress) =>
    settle(() =>
      exportStoredRun(
        new IdbRunStore(dbName ? { dbName } : {}),
        job,
        onProgress ? (done, total) => void onProgress(done, total) : undefined,
      ),
    ),
};

Comlink.expose(api);
