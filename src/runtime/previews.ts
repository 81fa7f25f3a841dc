/**
 * The engine worker's previews: a few rows of a config made in memory (nothing
 * stored), each watched (preview-watch.ts) so that its failed model attempts are
 * reported as retries, a failure retries cannot mend ends it at once with its
 * cause, and `cancel` stops it and its requests, even while its pipeline loads.
 */
import type { Plan } from '../core/engine/plan.ts';
import { runEngine } from '../core/engine/run.ts';
import type { RunResult } from '../core/engine/events.ts';
import type { ConnectionPolicy } from '../core/models/connection-budget.ts';
import type { FetchLike } from '../core/models/fetch.ts';
import type { ModelTransport } from '../core/models/types.ts';
import { randomUuid } from '../core/random/uuid.ts';
import { MemoryStore } from '../core/storage/memory.ts';
import type { Row } from '../core/storage/types.ts';
import type { PreviewRequest, PreviewResult, PreviewRetry } from './engine-api.ts';
import { loadBrowserPipeline, wrapReal, type BrowserPipeline } from './pipeline.ts';
import { currentPage } from './connection-test.ts';
import { PreviewWatch } from './preview-watch.ts';
import { callSink } from './protocol.ts';
import { throttle } from './throttle.ts';

/** A preview's retry callback as the worker holds it (a Comlink proxy). */
export type RetrySink = (retry: PreviewRetry) => unknown;

export interface PreviewsOptions {
  /** How model requests leave, and the connection budget where they leave from. */
  network: { fetch: FetchLike; connectionPolicy?: ConnectionPolicy };
  /** Requests go through the relay of `npx tabsynth serve`. */
  viaRelay: boolean;
  /** The plan a pipeline runs (its blocks on the compute pool, or not). */
  planOf: (pipeline: BrowserPipeline) => Plan;
  /** The transports a preview calls (the pipeline's, through the response cache). */
  transportsOf: (pipeline: BrowserPipeline) => Map<string, ModelTransport>;
  /** Least ms between two retry reports. Default: 100. */
  progressIntervalMs?: number;
}

export class Previews {
  readonly #options: PreviewsOptions;
  readonly #running = new Map<string, PreviewWatch>();
  /** Previews cancelled before they began (while their pipeline loaded). */
  readonly #cancelledEarly = new Set<string>();

  constructor(options: PreviewsOptions) {
    this.#options = options;
  }

  /** Rows of `request.config`; `request.previewId` names it for `cancel`. */
  async preview(
    request: PreviewRequest & { previewId?: string },
    onRetry?: RetrySink,
  ): Promise<PreviewResult> {
    const { network, viaRelay, planOf, transportsOf } = this.#options;
    const rows = request.rows ?? 10;
    const pipeline = await loadBrowserPipeline(request.config, {
      overrides: {
        numRecords: rows,
        bufferSize: Math.max(1, rows),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
      },
      simulate: request.simulate ?? false,
      ...(request.seedFile ? { seedFile: request.seedFile } : {}),
      ...network,
    });
    const retries = throttle<PreviewRetry>(
      (r) => callSink(onRetry, r),
      this.#options.progressIntervalMs,
    );
    const watch = new PreviewWatch(pipeline, {
      onRetry: retries,
      fetch: network.fetch,
      page: currentPage(viaRelay),
    });
    const id = request.previewId ?? randomUuid();
    this.#running.set(id, watch);
    if (this.#cancelledEarly.delete(id)) watch.cancel();
    const memory = new MemoryStore();
    let result: RunResult;
    try {
      result = await runEngine({
        plan: planOf(pipeline),
        transports: wrapReal(transportsOf(pipeline), pipeline, (key, t) => watch.wrap(key, t)),
        store: memory,
        runId: 'preview',
        config: pipeline.redacted,
        configHash: pipeline.hash,
        signal: watch.signal,
      });
    } catch (err) {
      throw watch.failure ?? err;
    } finally {
      retries.cancel();
      this.#running.delete(id);
    }
    const all: Row[] = [];
    let columns = pipeline.plan.outputColumns;
    for (const groupId of memory.committedGroupIds('preview')) {
      const group = await memory.readRowGroup('preview', groupId);
      columns = group.columns;
      all.push(...group.rows);
    }
    return {
      columns,
      rows: all,
      rowsAsked: rows,
      droppedRows: result.droppedRows,
      firstErrors: result.firstErrors,
      models: result.models ?? {},
    };
  }

  /** Stops preview `previewId` at once (it rejects with RUN_CANCELLED), or as soon as it begins. */
  cancel(previewId: string): void {
    const watch = this.#running.get(previewId);
    if (watch) watch.cancel();
    else this.#cancelledEarly.add(previewId);
  }
}
