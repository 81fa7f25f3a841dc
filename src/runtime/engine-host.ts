/**
 * What the engine worker exposes: `init` (databases, compute pool) once, then the
 * EngineWorkerApi. Kept out of workers/engine.worker.ts so that file stays a
 * one-line wiring of core to Comlink.
 */
import { RunError, ErrorCodes } from '../core/errors.ts';
import { poolBlockRunner, poolEncoder, poolWriter } from './compute.ts';
import type { ComputeApi } from './compute.ts';
import { createEngineService } from './engine-service.ts';
import type { EngineWorkerApi } from './engine-service.ts';
import { idbBackend } from './idb-backend.ts';
import { IdbRunStore, RUNS_DB } from './idb-store.ts';
import { RelayClient } from './relay-fetch.ts';
import type { RelayInfo } from './relay-protocol.ts';
import { settle } from './protocol.ts';
import type { WorkerResult } from './protocol.ts';
import { WorkerPool } from './worker-pool.ts';

/** The response cache's database. */
export const CACHE_DB = 'tabsynth-cache';

export interface EngineHostOptions {
  /** Runs database. Default: RUNS_DB ('tabsynth-runs'). */
  dbName?: string;
  /** Response cache database. Default: CACHE_DB ('tabsynth-cache'). */
  cacheDbName?: string;
  /**
   * Compute workers. Default: navigator.hardwareConcurrency - 1, at least 1. 0: no
   * pool, generation and encoding run in the engine worker.
   */
  poolSize?: number;
  /** Ms a compute call may take before its worker counts as hung. Default: 60 000. */
  computeTimeoutMs?: number;
  /**
   * Sampler blocks and expression batches run on the compute pool (offload.ts).
   * Default: when the pool has at least 2 workers. With a single compute worker,
   * generating here while it encodes keeps two cores busy; moving generation onto
   * it too left this worker idle and ran 1.6x slower in `pipeline-browser`.
   */
  offloadGeneration?: boolean;
  /** The model relay of a page served by `npx tabsynth serve` (relay-fetch.ts). Default: none, direct fetch. */
  relay?: RelayInfo;
}

export interface EngineHostApi extends EngineWorkerApi {
  init(options: EngineHostOptions): Promise<WorkerResult<void>>;
}

/** The engine worker's exposed object; `createComputeWorker` makes one compute worker. */
export function createEngineHost(createComputeWorker: () => Worker): EngineHostApi {
  let service: EngineWorkerApi | undefined;
  let pool: WorkerPool<ComputeApi> | undefined;
  const ready = (): EngineWorkerApi => {
    if (!service) {
      throw new RunError(ErrorCodes.INVALID_ARGUMENT, 'engine worker: call init() first');
    }
    return service;
  };
  const forward =
    <K extends keyof EngineWorkerApi>(key: K) =>
    (...args: Parameters<EngineWorkerApi[K]>): ReturnType<EngineWorkerApi[K]> => {
      try {
        const fn = ready()[key] as (
          ...a: Parameters<EngineWorkerApi[K]>
        ) => ReturnType<EngineWorkerApi[K]>;
        return fn(...args);
      } catch (err) {
        return settle(() => {
          throw err;
        }) as ReturnType<EngineWorkerApi[K]>;
      }
    };
  return {
    init: (options) =>
      settle(() => {
        const size = options.poolSize;
        pool =
          size === 0
            ? undefined
            : new WorkerPool<ComputeApi>({
                create: createComputeWorker,
                ...(size !== undefined ? { size } : {}),
                ...(options.computeTimeoutMs !== undefined
                  ? { timeoutMs: options.computeTimeoutMs }
                  : {}),
              });
        const dbName = options.dbName ?? RUNS_DB;
        const store = new IdbRunStore({
          dbName,
          ...(pool ? { encoder: poolEncoder(pool), writer: poolWriter(pool, dbName) } : {}),
        });
        const relay = options.relay ? new RelayClient(options.relay) : undefined;
        service = createEngineService({
          ...(relay ? { fetch: relay.fetch } : {}),
          store,
          cache: idbBackend(options.cacheDbName ?? CACHE_DB),
          ...(pool && (options.offloadGeneration ?? pool.size >= 2)
            ? { runBlock: poolBlockRunner(pool) }
            : {}),
        });
      }),
    // A run's first commit needs the compute workers: they start loading while it compiles.
    startRun: (...args) => {
      pool?.warm();
      return forward('startRun')(...args);
    },
    resumeRun: (...args) => {
      pool?.warm();
      return forward('resumeRun')(...args);
    },
    pause: forward('pause'),
    cancel: forward('cancel'),
    preview: forward('preview'),
    cancelPreview: forward('cancelPreview'),
    listRuns: forward('listRuns'),
    deleteRun: forward('deleteRun'),
    renameRun: forward('renameRun'),
    runConfig: forward('runConfig'),
    readRows: forward('readRows'),
    profileRun: forward('profileRun'),
  };
}
