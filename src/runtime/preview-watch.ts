/**
 * A preview against real endpoints, watched (issue 14): every failed model attempt
 * is reported as a retry ("HTTP 503, attempt 2 of 12") while the engine waits it
 * out, and a failure that retrying cannot mend ends the preview at once with its
 * cause in words: the endpoint refused the key (or there is none), nothing answers
 * there, or it answered but refused this page's origin by CORS. A connection error
 * has no status in a browser (fetch throws a bare TypeError), so the first one is
 * diagnosed with the "Test connection" probe (connection-test.ts); only a diagnosis
 * that the endpoint is reachable lets the retries go on.
 */
import type { ModelConfig, ModelProvider } from '../core/config/types.ts';
import { ErrorCodes, ModelError, RunError, TabsynthError } from '../core/errors.ts';
import type { PageContext } from '../core/models/diagnose.ts';
import type { FetchLike } from '../core/models/fetch.ts';
import { DEFAULT_MAX_HTTP_RETRIES } from '../core/models/retry.ts';
import type { ModelTransport } from '../core/models/types.ts';
import { testConnection } from './connection-test.ts';
import type { PreviewRetry } from './engine-api.ts';

/** What the watch needs of the preview's pipeline. */
export interface WatchedPipeline {
  config: { model_configs: readonly ModelConfig[]; model_providers: readonly ModelProvider[] };
  plan: {
    models: readonly { key: string; label: string }[];
    settings: { salvageMaxRounds: number };
  };
}

export interface PreviewWatchOptions {
  /** Told of each failed attempt that will be tried again. */
  onRetry: (retry: PreviewRetry) => void;
  /** How the probe reaches an endpoint: as the engine's requests do. */
  fetch: FetchLike;
  /** Where this worker's page runs (and whether requests go through the relay). */
  page: PageContext;
}

/** Failures retrying cannot mend: the answer is the same next time. */
const KEY_REFUSED = new Set([401, 403]);

export class PreviewWatch {
  readonly #controller = new AbortController();
  readonly #options: PreviewWatchOptions;
  readonly #providers = new Map<string, ModelProvider>();
  readonly #models = new Map<string, string[]>();
  readonly #labels = new Map<string, string>();
  /** Failed attempts per cell (model key and cell seed), while it keeps failing. */
  readonly #failures = new Map<string, number>();
  /** Endpoints being (or already) diagnosed, with the diagnosis. */
  readonly #diagnosed = new Map<string, Promise<void>>();
  /** Attempts a cell gets in all: each salvage round tries it again with its retries. */
  readonly #attempts: number;
  #failure: TabsynthError | undefined;

  constructor(pipeline: WatchedPipeline, options: PreviewWatchOptions) {
    this.#options = options;
    const providers = new Map(pipeline.config.model_providers.map((p) => [p.name, p]));
    for (const m of pipeline.config.model_configs) {
      const key = `${m.provider}/${m.model}`;
      const provider = providers.get(m.provider);
      if (!provider) continue;
      this.#providers.set(key, provider);
      this.#models.set(provider.name, [...(this.#models.get(provider.name) ?? []), m.model]);
    }
    for (const m of pipeline.plan.models) this.#labels.set(m.key, m.label);
    this.#attempts = (1 + DEFAULT_MAX_HTTP_RETRIES) * (1 + pipeline.plan.settings.salvageMaxRounds);
  }

  /** Aborts when the preview is cancelled or fails for good: give it to the engine. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the preview was stopped, when a failure stopped it (not a cancel). */
  get failure(): TabsynthError | undefined {
    return this.#failure;
  }

  /** Settles when every diagnosis begun so far has ended (and stopped the preview, if it did). */
  async diagnosed(): Promise<void> {
    await Promise.all(this.#diagnosed.values());
  }

  cancel(): void {
    this.#controller.abort(new RunError(ErrorCodes.RUN_CANCELLED, 'the preview was cancelled'));
  }

  /** `transport` of model `key`, watched. */
  wrap(key: string, transport: ModelTransport): ModelTransport {
    const watched: ModelTransport = {
      chat: (request) => this.#watch(key, request.seed, () => transport.chat(request)),
      // Cached answers are no requests: the engine still asks the cache before a slot.
      ...(transport.cache ? { cache: transport.cache } : {}),
    };
    if (transport.embed) {
      const embed = transport.embed.bind(transport);
      watched.embed = (request) => this.#watch(key, request.seed, () => embed(request));
    }
    return watched;
  }

  async #watch<T>(key: string, seed: number, send: () => Promise<T>): Promise<T> {
    const cell = `${key}\u0000${seed}`;
    try {
      const answer = await send();
      this.#failures.delete(cell);
      return answer;
    } catch (err) {
      if (!this.#controller.signal.aborted) this.#failed(key, cell, err);
      throw err;
    }
  }

  #failed(key: string, cell: string, err: unknown): void {
    if (!(err instanceof TabsynthError)) return;
    const provider = this.#providers.get(key);
    const status = err.details['status'];
    if (err.code === ErrorCodes.MODEL_REQUEST_REJECTED && KEY_REFUSED.has(status as number)) {
      this.#stop(
        new ModelError(
          ErrorCodes.MODEL_REQUEST_REJECTED,
          keyMessage(provider, status as number, err.message),
        ),
      );
      return;
    }
    if (!err.retryable) return;
    const failures = (this.#failures.get(cell) ?? 0) + 1;
    this.#failures.set(cell, failures);
    const rateLimited = err.code === ErrorCodes.MODEL_RATE_LIMITED;
    // The last attempt is not retried: its row is dropped.
    if (rateLimited || failures < this.#attempts) {
      this.#options.onRetry({
        model: this.#labels.get(key) ?? key,
        attempt: failures,
        ...(rateLimited ? {} : { attempts: this.#attempts }),
        cause: causeOf(err),
      });
    }
    if (
      err.code === ErrorCodes.MODEL_NETWORK &&
      provider &&
      !this.#diagnosed.has(provider.endpoint)
    ) {
      this.#diagnosed.set(provider.endpoint, this.#diagnose(provider));
    }
  }

  /** Probes the endpoint of a connection error: stops the preview unless it is reachable. */
  async #diagnose(provider: ModelProvider): Promise<void> {
    const endpoint = provider.endpoint;
    const findings = await testConnection(
      {
        endpoint,
        ...(provider.api_key ? { apiKey: provider.api_key } : {}),
        ...(provider.extra_headers ? { extraHeaders: provider.extra_headers } : {}),
        models: this.#models.get(provider.name) ?? [],
      },
      { fetch: this.#options.fetch, page: this.#options.page },
    ).catch(() => []);
    const stop = findings.find((f) => !f.ok && NOT_MENDED_BY_RETRIES.has(f.kind));
    if (!stop) return;
    const fix = stop.fix ? `\nFix: ${stop.fix}.` : '';
    this.#stop(
      new ModelError(
        ErrorCodes.MODEL_NETWORK,
        `The preview stopped (provider '${provider.name}'): ${stop.message}.${fix}`,
        { target: endpoint, cause: stop.kind },
      ),
    );
  }

  #stop(failure: TabsynthError): void {
    if (this.#controller.signal.aborted) return;
    this.#failure = failure;
    this.#controller.abort(new RunError(ErrorCodes.RUN_CANCELLED, 'the preview stopped'));
  }
}

/** What the probe finds that another attempt would find again. */
const NOT_MENDED_BY_RETRIES = new Set(['unreachable', 'cors', 'local-network', 'key']);

/** "HTTP 503", "HTTP 429 (rate limited)", "a connection error", "no answer within 60 s". */
function causeOf(err: TabsynthError): string {
  const status = err.details['status'];
  switch (err.code) {
    case ErrorCodes.MODEL_RATE_LIMITED:
      return 'HTTP 429 (rate limited)';
    case ErrorCodes.MODEL_TIMEOUT: {
      const ms = err.details['timeoutMs'];
      return typeof ms === 'number'
        ? `no answer within ${Math.round(ms / 1000)} s`
        : 'no answer in time';
    }
    case ErrorCodes.MODEL_NETWORK:
      return 'a connection error';
    default:
      return typeof status === 'number' ? `HTTP ${status}` : err.code;
  }
}

function keyMessage(provider: ModelProvider | undefined, status: number, said: string): string {
  const name = provider ? `'${provider.name}'` : 'the provider';
  const where = provider ? ` at ${provider.endpoint}` : '';
  return provider && !provider.api_key
    ? `The preview stopped: provider ${name} has no API key, and its endpoint${where} asks for one (HTTP ${status}).\nFix: enter the API key of ${name} under Models.\n(${said})`
    : `The preview stopped: the endpoint${where} refused the API key of provider ${name} (HTTP ${status}).\nFix: check the key (set, current, and for this service).\n(${said})`;
}
