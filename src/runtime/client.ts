/**
 * The UI's handle on the engine: `createEngineClient()` starts the engine worker
 * and returns the EngineClient of engine-api.ts. Calls go over Comlink; results
 * come back as WorkerResults and failures are rebuilt with `fromWire`.
 *
 * No call can hang: every call races its worker's death (an `error` event), and
 * the short ones (pause, cancel, list, delete) also a timeout. Runs and exports
 * have no timeout: they take as long as they take. Each export runs in a fresh
 * export worker, terminated afterwards (wasm memory never shrinks).
 */
import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import { onAbort } from '../core/abort.ts';
import { ErrorCodes, TabsynthError, cancelledError } from '../core/errors.ts';
import type {
  EngineClient,
  ExportRequest,
  FileBytes,
  RunCallbacks,
  StorageEstimate,
} from './engine-api.ts';
import type { EngineHostApi, EngineHostOptions } from './engine-host.ts';
import type { ExportWorkerApi } from './export.ts';
import { unwrap } from './protocol.ts';
import type { WorkerResult } from './protocol.ts';
import { pageRelayInfo } from './relay-fetch.ts';
import { randomUuid } from '../core/random/uuid.ts';

export interface EngineClientOptions extends EngineHostOptions {
  /** Ms before a short call (pause, cancel, list, delete) counts as lost. Default: 30 000. */
  callTimeoutMs?: number;
  /** Ms a preview may take. Default: 300 000. */
  previewTimeoutMs?: number;
  /** Makes the engine worker. Default: workers/engine.worker.ts. */
  createEngineWorker?: () => Worker;
  /** Makes an export worker. Default: workers/export.worker.ts. */
  createExportWorker?: () => Worker;
}

const defaultEngineWorker = () =>
  new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module' });
const defaultExportWorker = () =>
  new Worker(new URL('../../workers/export.worker.ts', import.meta.url), { type: 'module' });

export function createEngineClient(options: EngineClientOptions = {}): EngineClient {
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const previewTimeoutMs = options.previewTimeoutMs ?? 300_000;
  const worker = (options.createEngineWorker ?? defaultEngineWorker)();
  const engine = Comlink.wrap<EngineHostApi>(worker);
  const death = deathOf(worker, 'the engine worker');
  let disposed = false;
  const {
    callTimeoutMs: _a,
    previewTimeoutMs: _b,
    createEngineWorker: _c,
    createExportWorker: _d,
    ...hostOptions
  } = options;
  const relay = hostOptions.relay ?? pageRelayInfo();
  const ready = call(
    engine.init({ ...hostOptions, ...(relay ? { relay } : {}) }),
    death,
    callTimeoutMs,
  );

  /** A worker call, unwrapped, raced with the worker's death and an optional timeout. */
  async function request<T>(
    fn: (api: Remote<EngineHostApi>) => Promise<WorkerResult<T>>,
    timeoutMs?: number,
  ) {
    if (disposed) throw lost('the engine client was disposed');
    await ready;
    return call(fn(engine), death, timeoutMs);
  }

  const callbacks = (cb: RunCallbacks | undefined) =>
    [
      cb?.onProgress ? Comlink.proxy(cb.onProgress) : undefined,
      cb?.onTrace ? Comlink.proxy(cb.onTrace) : undefined,
    ] as const;

  return {
    startRun: (req, cb) =>
      request((api) =>
        api.startRun(Comlink.transfer(req, transferablesOf(req.seedFile)), ...callbacks(cb)),
      ),
    resumeRun: (runId, req = {}, cb) =>
      request((api) =>
        api.resumeRun(
          runId,
          Comlink.transfer(req, transferablesOf(req.seedFile)),
          ...callbacks(cb),
        ),
      ),
    pause: (runId) => request((api) => api.pause(runId), callTimeoutMs),
    cancel: (runId) => request((api) => api.cancel(runId), callTimeoutMs),
    preview: (req, opts = {}) => {
      const { signal, onRetry } = opts;
      if (signal?.aborted) return Promise.reject(cancelledError(signal));
      const previewId = randomUuid();
      const answer = request(
        (api) =>
          api.preview(
            Comlink.transfer({ ...req, previewId }, transferablesOf(req.seedFile)),
            onRetry ? Comlink.proxy(onRetry) : undefined,
          ),
        previewTimeoutMs,
      );
      if (!signal) return answer;
      // Cancelled: settle now, and stop the worker's preview (its requests too).
      let stop = () => {};
      const stopped = new Promise<never>((_, reject) => {
        stop = () => {
          reject(cancelledError(signal));
          void request((api) => api.cancelPreview(previewId), callTimeoutMs).catch(() => {});
        };
      });
      const dispose = onAbort(signal, stop);
      return Promise.race([answer, stopped]).finally(dispose);
    },
    listRuns: () => request((api) => api.listRuns(), callTimeoutMs),
    deleteRun: (runId) => request((api) => api.deleteRun(runId), callTimeoutMs),
    renameRun: (runId, name) => request((api) => api.renameRun(runId, name), callTimeoutMs),
    runConfig: (runId) => request((api) => api.runConfig(runId), callTimeoutMs),
    readRows: (runId, range) => request((api) => api.readRows(runId, range)),
    profileRun: (runId, opts) => request((api) => api.profileRun(runId, opts)),
    exportRun: (req) => exportInWorker(req, options),
    storageEstimate,
    requestPersistentStorage: async () => (await navigator.storage?.persist?.()) ?? false,
    dispose: () => {
      disposed = true;
      engine[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

async function exportInWorker(req: ExportRequest, options: EngineClientOptions) {
  const worker = (options.createExportWorker ?? defaultExportWorker)();
  const api = Comlink.wrap<ExportWorkerApi>(worker);
  try {
    const { onProgress, ...job } = req;
    return await call(
      api.exportRun(job, options.dbName, onProgress ? Comlink.proxy(onProgress) : undefined),
      deathOf(worker, 'the export worker'),
    );
  } finally {
    worker.terminate();
  }
}

async function storageEstimate(): Promise<StorageEstimate> {
  const storage = navigator.storage;
  const estimate = storage ? await storage.estimate() : {};
  const persisted = storage?.persisted ? await storage.persisted() : false;
  return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
}

/** The result unwrapped, or WORKER_LOST when the worker dies or `timeoutMs` passes first. */
async function call<T>(
  pending: Promise<WorkerResult<T>>,
  death: Promise<never>,
  timeoutMs?: number,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const racers: Promise<WorkerResult<T>>[] = [pending, death];
  if (timeoutMs !== undefined) {
    racers.push(
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(lost(`the engine worker did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    );
  }
  try {
    return unwrap(await Promise.race(racers));
  } finally {
    clearTimeout(timer);
  }
}

/** Rejects with WORKER_LOST when `worker` reports an uncaught error or fails to load. */
function deathOf(worker: Worker, what: string): Promise<never> {
  const died = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(lost(`${what} crashed: ${event.message || 'it failed to load or threw'}`));
    });
  });
  died.catch(() => undefined);
  return died;
}

function lost(message: string): TabsynthError {
  return new TabsynthError(ErrorCodes.WORKER_LOST, message);
}

function transferablesOf(file: FileBytes | undefined): Transferable[] {
  return file ? [file.bytes.buffer as ArrayBuffer] : [];
}
