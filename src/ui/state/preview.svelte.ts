/**
 * The editor's preview: a few rows of the config on screen, made by the engine
 * worker. A newer preview supersedes (and stops) an older one still running; Cancel
 * stops the one running at once, its model requests too. While a model keeps
 * failing, the latest retry shows (issue 14); a failure never leaves older rows
 * looking current. The preview's usage per model is what a run's estimate scales.
 */
import { estimateRun, type RunEstimate } from '../../core/models/cost.ts';
import type {
  EngineClient,
  FileBytes,
  PreviewResult,
  PreviewRetry,
} from '../../runtime/engine-api.ts';
import type { RawObject } from './defaults.ts';
import { errorMessage } from '../lib/format.ts';

export interface PreviewOptions {
  /** Rows to make. Default: 10. */
  rows?: number;
  /** Default: the config's. */
  seed?: number;
  seedFile?: FileBytes | null;
  /** Run every model on the simulated provider. Default: false. */
  simulate?: boolean;
}

export function errorText(err: unknown): string {
  const details = (err as { details?: { issues?: unknown } } | null)?.details;
  const issues = Array.isArray(details?.issues)
    ? (details.issues as { path: string; message: string }[])
    : [];
  if (issues.length > 0) return issues.map((i) => `${i.path}: ${i.message}`).join('\n');
  return errorMessage(err);
}

export class PreviewState {
  /** The last preview, replaced whole. Default: null. */
  #result = $state.raw<PreviewResult | null>(null);
  #busy = $state(false);
  #error = $state<string | null>(null);
  /** ms the last preview took, end to end. */
  #ms = $state<number | null>(null);
  /** The config (as JSON) the shown preview was made from. */
  #of = $state<string | null>(null);
  /** The latest failed attempt of the preview running, while it retries. */
  #retry = $state.raw<PreviewRetry | null>(null);
  /** Whether the user cancelled the last preview. */
  #cancelled = $state(false);
  #seq = 0;
  #controller: AbortController | undefined;
  readonly #client: () => Promise<EngineClient>;

  constructor(client: () => Promise<EngineClient>) {
    this.#client = client;
  }

  get result(): PreviewResult | null {
    return this.#result;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }
  get ms(): number | null {
    return this.#ms;
  }
  /** The latest failed model attempt while the preview waits to retry it. Default: null. */
  get retry(): PreviewRetry | null {
    return this.#retry;
  }
  /** The last preview was cancelled by the user. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Whether the shown preview was made from `config` (false when there is none). */
  isOf(config: RawObject): boolean {
    return this.#result !== null && this.#of === JSON.stringify(config);
  }

  /**
   * A run of `rows` rows as the shown preview used models: tokens per row per model
   * times the rows, with the cost where models have prices. Null without a preview,
   * or when it used no model. Whether the preview is of the config on screen is the
   * caller's check (`isOf`).
   */
  estimate(rows: number): RunEstimate | null {
    const r = this.#result;
    if (!r || Object.keys(r.models).length === 0) return null;
    return estimateRun(r.models, r.rowsAsked, rows);
  }

  /** Previews `config`; a newer preview supersedes an older one still running. */
  async run(config: RawObject, opts: PreviewOptions = {}): Promise<void> {
    const seq = ++this.#seq;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const of = JSON.stringify(config);
    this.#busy = true;
    this.#error = null;
    this.#retry = null;
    this.#cancelled = false;
    const t0 = performance.now();
    try {
      const client = await this.#client();
      const result = await client.preview(
        {
          config,
          rows: opts.rows ?? 10,
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.seedFile ? { seedFile: opts.seedFile } : {}),
          simulate: opts.simulate ?? false,
        },
        {
          signal: controller.signal,
          onRetry: (retry) => {
            if (seq === this.#seq) this.#retry = retry;
          },
        },
      );
      if (seq !== this.#seq) return;
      this.#result = result;
      this.#of = of;
      this.#ms = performance.now() - t0;
    } catch (err) {
      if (seq !== this.#seq || controller.signal.aborted) return;
      // No older rows under the error: they would look like this config's.
      this.#result = null;
      this.#of = null;
      this.#ms = null;
      this.#error = errorText(err);
    } finally {
      if (seq === this.#seq) {
        this.#busy = false;
        this.#retry = null;
        this.#controller = undefined;
      }
    }
  }

  /** Stops the preview running, at once (its model requests too); the rows shown stay as they were marked. */
  cancel(): void {
    if (!this.#controller) return;
    this.#seq++;
    this.#controller.abort();
    this.#controller = undefined;
    this.#busy = false;
    this.#retry = null;
    this.#cancelled = true;
  }
}
