/**
 * The engine worker's side of the API (workers/engine.worker.ts exposes it): runs
 * `runEngine` over the IndexedDB store, one AbortController per active run, with
 * progress throttled to 10 a second and traces batched alongside. Every method
 * returns a WorkerResult; the client (client.ts) unwraps it.
 */
import type { Progress, RunResult, TaskTrace } from '../core/engine/events.ts';
import { runEngine } from '../core/engine/run.ts';
import { randomUuid } from '../core/random/uuid.ts';
import { ErrorCodes, RunError, TabsynthError } from '../core/errors.ts';
import { cachedTransport } from '../core/models/cached.ts';
import { browserConnectionLimit } from '../core/models/connection-budget.ts';
import type { FetchLike } from '../core/models/fetch.ts';
import type { AsyncKV } from '../core/models/cached.ts';
import type { ModelTransport } from '../core/models/types.ts';
import type { RunManifest } from '../core/storage/types.ts';
import type {
  PreviewRequest,
  PreviewResult,
  ProfileRunOptions,
  ResumeOverrides,
  ResumeRunRequest,
  RunConfig,
  RunOutcome,
  RunSummary,
  StartRunRequest,
} from './engine-api.ts';
import type { IdbRunStore } from './idb-store.ts';
import { localNetworkFetch } from './local-network-fetch.ts';
import { offloadPlan } from './offload.ts';
import { Previews, type RetrySink } from './previews.ts';
import type { RunBlock } from './offload.ts';
import { loadBrowserPipeline, wrapReal } from './pipeline.ts';
import { profileStoredRun } from './read-rows.ts';
import type { RowPage, RowRange, RunProfile } from './read-rows.ts';
import { RowViewCache } from './row-index.ts';
import { readRunPage } from './run-pages.ts';
import { checkRunName, renameRun, runConfig } from './run-names.ts';
import type { BrowserPipeline } from './pipeline.ts';
import { callSink, settle } from './protocol.ts';
import type { WorkerResult } from './protocol.ts';
import { throttle } from './throttle.ts';

/** Progress callback as the worker holds it (a Comlink proxy: calls return promises). */
export type ProgressSink = (progress: Progress) => unknown;
/** Trace callback as the worker holds it. */
export type TraceSink = (traces: TaskTrace[]) => unknown;

/** The engine worker's API, as the client calls it over Comlink. */
export interface EngineWorkerApi {
  startRun(
    request: StartRunRequest,
    onProgress?: ProgressSink,
    onTrace?: TraceSink,
  ): Promise<WorkerResult<RunOutcome>>;
  resumeRun(
    runId: string,
    request: ResumeRunRequest,
    onProgress?: ProgressSink,
    onTrace?: TraceSink,
  ): Promise<WorkerResult<RunOutcome>>;
  pause(runId: string): Promise<WorkerResult<void>>;
  cancel(runId: string): Promise<WorkerResult<void>>;
  /** `request.previewId` names it for `cancelPreview`. */
  preview(
    request: PreviewRequest & { previewId?: string },
    onRetry?: RetrySink,
  ): Promise<WorkerResult<PreviewResult>>;
  /** Stops a preview at once (it rejects with RUN_CANCELLED); nothing when it has ended. */
  cancelPreview(previewId: string): Promise<WorkerResult<void>>;
  listRuns(): Promise<WorkerResult<RunSummary[]>>;
  deleteRun(runId: string): Promise<WorkerResult<void>>;
  renameRun(runId: string, name: string): Promise<WorkerResult<void>>;
  runConfig(runId: string): Promise<WorkerResult<RunConfig>>;
  readRows(runId: string, range?: RowRange): Promise<WorkerResult<RowPage>>;
  profileRun(runId: string, options?: ProfileRunOptions): Promise<WorkerResult<RunProfile>>;
}

export interface EngineServiceOptions {
  store: IdbRunStore;
  /** The response cache's store. Default: no cache. */
  cache?: AsyncKV;
  /** Progress interval in ms. Default: 100 (10 a second). */
  progressIntervalMs?: number;
  /**
   * Runs the sampler group's and the expression columns' blocks elsewhere (the
   * compute pool, offload.ts). Default: none, every generator runs in this thread.
   */
  runBlock?: RunBlock;
  /**
   * How model requests leave: the relay's fetch when the page was served by
   * `npx tabsynth serve` (requests then go out from Node, with no browser connection
   * limit). Default: the browser's fetch, six connections per http:// origin.
   */
  fetch?: FetchLike;
}

interface ActiveRun {
  controller: AbortController;
  paused: boolean;
  /** Settles when the run has ended and left `active`. */
  ended: Promise<void>;
  end: () => void;
  lastProgress?: Progress;
}

export function createEngineService(options: EngineServiceOptions): EngineWorkerApi {
  const { store, runBlock } = options;
  const planOf = (pipeline: BrowserPipeline) =>
    runBlock ? offloadPlan(pipeline, runBlock) : pipeline.plan;
  const active = new Map<string, ActiveRun>();
  const views = new RowViewCache();
  // Where model requests leave from decides their connection budget (SPEC 3.5).
  const network = options.fetch
    ? { fetch: options.fetch }
    : { fetch: localNetworkFetch(), connectionPolicy: browserConnectionLimit };
  const previews = new Previews({
    network,
    viaRelay: options.fetch !== undefined,
    planOf,
    transportsOf: (pipeline) => withCache(pipeline, options.cache),
    ...(options.progressIntervalMs !== undefined
      ? { progressIntervalMs: options.progressIntervalMs }
      : {}),
  });

  const run = async (
    runId: string,
    pipeline: BrowserPipeline,
    resume: boolean,
    cache: boolean,
    onProgress?: ProgressSink,
    onTrace?: TraceSink,
  ): Promise<RunOutcome> => {
    if (active.has(runId)) {
      throw new RunError(ErrorCodes.INVALID_ARGUMENT, `run "${runId}" is already running`);
    }
    let end = () => {};
    const ended = new Promise<void>((resolve) => (end = resolve));
    const state: ActiveRun = { controller: new AbortController(), paused: false, ended, end };
    active.set(runId, state);
    const progress = throttle<Progress>((p) => callSink(onProgress, p), options.progressIntervalMs);
    let traces: TaskTrace[] = [];
    const flushTraces = throttle<void>(() => {
      const batch = traces;
      traces = [];
      if (batch.length > 0) callSink(onTrace, batch);
    }, options.progressIntervalMs);
    try {
      const result = await runEngine({
        plan: planOf(pipeline),
        transports: withCache(pipeline, cache ? options.cache : undefined),
        store,
        runId,
        config: pipeline.redacted,
        configHash: pipeline.hash,
        resume,
        signal: state.controller.signal,
        onProgress: (p) => {
          state.lastProgress = p;
          progress(p);
        },
        ...(onTrace
          ? {
              onTrace: (t: TaskTrace) => {
                traces.push(t);
                flushTraces();
              },
            }
          : {}),
        // Why a run stopped, with the stack of an INTERNAL error: the worker's console.
        onLog: (e) => console.error(e.stack ? `${e.message}\n${e.stack}` : e.message),
      });
      const manifest = await store.loadManifest(runId);
      return { ...result, status: manifest?.status ?? 'complete' };
    } catch (err) {
      if (err instanceof TabsynthError && err.code === ErrorCodes.RUN_CANCELLED) {
        return cancelledOutcome(runId, await store.loadManifest(runId), state);
      }
      throw err;
    } finally {
      progress.flush();
      flushTraces.flush();
      active.delete(runId);
      state.end();
    }
  };

  const stop = (runId: string, paused: boolean) =>
    settle(() => {
      const state = active.get(runId);
      if (!state) return;
      state.paused = paused;
      state.controller.abort(
        new RunError(
          ErrorCodes.RUN_CANCELLED,
          paused ? 'the run was paused' : 'the run was cancelled',
        ),
      );
    });

  return {
    startRun: (request, onProgress, onTrace) =>
      settle(async () => {
        const runId = request.runId ?? randomUuid();
        if (await store.loadManifest(runId)) {
          throw new RunError(
            ErrorCodes.INVALID_ARGUMENT,
            `run id "${runId}" is taken: resume that run or delete it first`,
          );
        }
        const pipeline = await loadBrowserPipeline(request.config, {
          overrides: { ...request.overrides },
          simulate: request.simulate ?? false,
          ...(request.seedFile ? { seedFile: request.seedFile } : {}),
          ...network,
        });
        const cache = request.cache ?? true;
        await store.saveLaunch(runId, {
          config: pipeline.source,
          simulate: request.simulate ?? false,
          cache,
          ...(request.seedFile ? { seedFile: request.seedFile } : {}),
          ...(request.name !== undefined ? { name: checkRunName(request.name) } : {}),
        });
        return run(runId, pipeline, false, cache, onProgress, onTrace);
      }),

    resumeRun: (runId, request, onProgress, onTrace) =>
      settle(async () => {
        const manifest = await store.loadManifest(runId);
        if (!manifest) {
          throw new RunError(ErrorCodes.RUN_NOT_FOUND, `cannot resume run "${runId}": no such run`);
        }
        const launch = await store.loadLaunch(runId);
        const seedFile = request.seedFile ?? launch?.seedFile;
        const config = request.config ?? launch?.config ?? manifest.config;
        const pipeline = await loadBrowserPipeline(config as object, {
          overrides: {
            ...resumeOverrides(request.overrides),
            numRecords: manifest.numRecords,
            seed: manifest.seed,
            bufferSize: manifest.bufferSize,
          },
          simulate: launch?.simulate ?? false,
          ...(seedFile ? { seedFile } : {}),
          ...network,
        });
        return run(runId, pipeline, true, launch?.cache ?? true, onProgress, onTrace);
      }),

    pause: (runId) => stop(runId, true),
    cancel: (runId) => stop(runId, false),

    preview: (request, onRetry) => settle(() => previews.preview(request, onRetry)),
    cancelPreview: (previewId) => settle(() => previews.cancel(previewId)),

    listRuns: () =>
      settle(async () => {
        // A run starting here has records before its first manifest: it is not damaged.
        const runs = (await store.listRunsWithSize()).filter(
          (r) => !(r.damaged && active.has(r.manifest.runId)),
        );
        return runs
          .map(({ manifest, bytes, tables, damaged, name }): RunSummary => {
            const running = active.has(manifest.runId);
            const status = damaged
              ? 'damaged'
              : manifest.status === 'running' && !running
                ? 'interrupted'
                : manifest.status;
            return {
              manifest,
              status,
              bytes,
              tables,
              active: running,
              ...(damaged && { damaged }),
              ...(name !== undefined && { name }),
            };
          })
          .sort((a, b) => b.manifest.createdAt - a.manifest.createdAt);
      }),

    renameRun: (runId, name) => settle(() => renameRun(store, runId, name)),
    runConfig: (runId) => settle(() => runConfig(store, runId)),
    readRows: (runId, range) => settle(() => readRunPage(store, runId, range ?? {}, views)),
    profileRun: (runId, opts) => settle(() => profileStoredRun(store, runId, opts)),

    deleteRun: (runId) =>
      settle(async () => {
        const state = active.get(runId);
        if (state) {
          state.controller.abort(new RunError(ErrorCodes.RUN_CANCELLED, 'the run was deleted'));
          await state.ended;
        }
        await store.deleteRun(runId);
        views.forget(runId);
      }),
  };
}

/** Only the settings a resume may change, whatever else the caller sent. */
function resumeOverrides(o: ResumeOverrides | undefined): ResumeOverrides {
  const out: ResumeOverrides = {};
  if (o?.trace !== undefined) out.trace = o.trace;
  if (o?.maxConcurrentRowGroups !== undefined)
    out.maxConcurrentRowGroups = o.maxConcurrentRowGroups;
  if (o?.maxInFlightTasks !== undefined) out.maxInFlightTasks = o.maxInFlightTasks;
  return out;
}

/** Real providers' transports wrapped with the response cache; simulated ones as they are. */
function withCache(
  pipeline: BrowserPipeline,
  kv: AsyncKV | undefined,
): Map<string, ModelTransport> {
  if (!kv) return pipeline.transports;
  return wrapReal(pipeline.transports, pipeline, (key, t) => cachedTransport(t, kv, key));
}

function cancelledOutcome(
  runId: string,
  manifest: RunManifest | undefined,
  state: ActiveRun,
): RunOutcome {
  const p = state.lastProgress;
  const result: RunResult = {
    runId,
    rowsWritten: manifest?.rowsWritten ?? 0,
    rowsRequested: manifest?.numRecords ?? 0,
    droppedRows: manifest?.droppedRows ?? 0,
    stoppedEarly: false,
    firstErrors: manifest?.firstErrors ?? [],
    requests: p?.requests ?? 0,
    tokensIn: p?.tokensIn ?? 0,
    tokensOut: p?.tokensOut ?? 0,
    wallMs: p?.elapsedMs ?? 0,
    ...(p?.warnings ? { warnings: p.warnings } : {}),
  };
  return { ...result, status: 'cancelled', paused: state.paused };
}
