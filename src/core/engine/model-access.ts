/**
 * Model calls made by tasks (SPEC 3.5, 3.6). One RequestLimiter per PlanModel key.
 * A task that must wait for its model's limiter hands its in-flight slot back to
 * the scheduler while it waits, so a slow model cannot starve other columns; it
 * takes the slot again once its request may go (the in-flight count can then
 * briefly exceed max_in_flight_tasks by the requests just granted).
 *
 * A transport's response cache (SPEC 3.8) is asked first: an answer from it takes no
 * limiter slot, budget or connection and counts no request, tokens or cost.
 *
 * A 429 goes back to the limiter and the request waits and retries, until the run
 * is cancelled: rate-limited cells are never dropped. 5xx and connection errors are
 * retried here, as Data Designer's async engine does (its ModelRequestExecutor, with
 * the transport's own retries off): each attempt takes its own model slot, and a task
 * waiting out the backoff holds neither its model slot nor its in-flight slot; what
 * still fails goes to the scheduler's set-aside and salvage.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import {
  costOf,
  estimateRequestTokens,
  totalCost,
  type ModelPrices,
  type ModelUsage,
} from '../models/cost.ts';
import { RequestLimiter, type Grant, type RequestOutcome } from '../models/limiter.ts';
import { ModelConnections } from './model-connections.ts';
import { DEFAULT_MODEL_TIMEOUT_MS } from '../models/http-client.ts';
import type { RateLimitInfo } from '../models/rate-headers.ts';
import {
  BACKOFF_CAP_MS,
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_MAX_HTTP_RETRIES,
  backoffDelay,
  isRetriedInside,
} from '../models/retry.ts';
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelTransport,
  TokenUsage,
} from '../models/types.ts';
import type { ModelProgress } from './events.ts';
import type { ModelAccess, PlanModel } from './plan.ts';

/** What the scheduler lends a task while it waits on a limiter. */
export interface SlotHolder {
  /** Gives the task's in-flight slot back (the task waits on its model). */
  parkSlot(): void;
  /** Takes it again (the task's request may go). */
  unparkSlot(): void;
  /** A limiter slot was freed: the scheduler may dispatch again. */
  modelReleased(): void;
}

/** The per-task side of a model call. */
export interface ModelCaller {
  readonly seed: number;
  /** Clock time of the first granted model slot, -1 before. */
  started: number;
  /** Requests sent for this task, 429 retries included. */
  attempts: number;
  /** The column asking (latency is compared per column). Default: one class for all. */
  readonly klass?: string;
}

/** One model's counters for this run. */
class ModelMeter {
  requests = 0;
  tokensIn = 0;
  tokensOut = 0;
  answers = 0;
  /** Usage kept in the manifest by earlier sessions of a resumed run. */
  base: ModelUsage | undefined;
  constructor(
    readonly label: string,
    readonly prices: ModelPrices | null | undefined,
  ) {}

  /** Mean answer tokens so far: the reservation of a request without max_tokens. */
  get answerGuess(): number {
    return this.answers > 0 ? this.tokensOut / this.answers : 0;
  }

  usage(): ModelUsage {
    const b = this.base;
    const u: ModelUsage = {
      label: this.label,
      requests: this.requests + (b?.requests ?? 0),
      tokensIn: this.tokensIn + (b?.tokensIn ?? 0),
      tokensOut: this.tokensOut + (b?.tokensOut ?? 0),
    };
    const cost = costOf(u, this.prices);
    if (cost !== undefined) u.costUsd = cost;
    return u;
  }
}

export class ModelPool {
  readonly limiters = new Map<string, RequestLimiter>();
  readonly labels = new Map<string, string>();
  /** Each model's share of its origin's connection budget (SPEC 3.5). */
  readonly connections: ModelConnections;
  #meters = new Map<string, ModelMeter>();
  #requestsInFlight = 0;
  #transports: ReadonlyMap<string, ModelTransport>;
  #clock: Clock;
  #slots: SlotHolder;
  #signal: AbortSignal;

  constructor(
    models: readonly PlanModel[],
    transports: ReadonlyMap<string, ModelTransport>,
    clock: Clock,
    slots: SlotHolder,
    signal: AbortSignal,
  ) {
    for (const m of models) {
      this.limiters.set(
        m.key,
        new RequestLimiter({
          cap: m.maxParallelRequests,
          clock,
          requestsPerMinute: m.requestsPerMinute ?? null,
          tokensPerMinute: m.tokensPerMinute ?? null,
          latencyControl: m.latencyControl ?? false,
          ...(m.admission ? { admission: m.admission } : {}),
        }),
      );
      this.labels.set(m.key, m.label);
      this.#meters.set(m.key, new ModelMeter(m.label, m.prices));
    }
    this.connections = new ModelConnections(models);
    this.#transports = transports;
    this.#clock = clock;
    this.#slots = slots;
    this.#signal = signal;
  }

  chat(
    caller: ModelCaller,
    key: string,
    request: Omit<ChatRequest, 'seed' | 'signal'>,
  ): Promise<ChatResponse> {
    const transport = this.#transport(key);
    const meter = this.#meters.get(key)!;
    const tokens = estimateRequestTokens(request.messages, request.max_tokens, meter.answerGuess);
    const answer = request.max_tokens ?? Math.ceil(meter.answerGuess);
    const { cache } = transport;
    const asked: ChatRequest = { ...request, seed: caller.seed, signal: this.#signal };
    if (cache) asked.cacheKey = cache.chatKey(asked);
    const send = (signal: AbortSignal) => transport.chat({ ...asked, signal });
    if (!cache) return this.#call(caller, key, tokens, answer, request.timeoutMs, send);
    return cache
      .chat(asked)
      .then((hit) => hit ?? this.#call(caller, key, tokens, answer, request.timeoutMs, send));
  }

  embed(
    caller: ModelCaller,
    key: string,
    request: Omit<EmbeddingRequest, 'seed' | 'signal'>,
  ): Promise<EmbeddingResponse> {
    const transport = this.#transport(key);
    const embed = transport.embed?.bind(transport);
    if (!embed) {
      return Promise.reject(
        new TabsynthError(
          ErrorCodes.MODEL_REQUEST_REJECTED,
          `model "${this.labels.get(key) ?? key}": expected a provider with an embeddings endpoint, found one without`,
        ),
      );
    }
    const tokens = estimateRequestTokens(request.input, 0, 0);
    const { cache } = transport;
    const asked: EmbeddingRequest = { ...request, seed: caller.seed, signal: this.#signal };
    if (cache) asked.cacheKey = cache.embedKey(asked);
    const send = (signal: AbortSignal) => embed({ ...asked, signal });
    if (!cache) return this.#call(caller, key, tokens, 0, request.timeoutMs, send);
    return cache
      .embed(asked)
      .then((hit) => hit ?? this.#call(caller, key, tokens, 0, request.timeoutMs, send));
  }

  /** Requests sent in this session, 429 retries included (earlier sessions not counted). */
  get requests(): number {
    return this.#sum((m) => m.requests);
  }

  /** Requests sent and not yet answered. */
  get requestsInFlight(): number {
    return this.#requestsInFlight;
  }

  /** Prompt tokens of this session's answers. */
  get tokensIn(): number {
    return this.#sum((m) => m.tokensIn);
  }

  /** Completion tokens of this session's answers. */
  get tokensOut(): number {
    return this.#sum((m) => m.tokensOut);
  }

  #sum(figure: (meter: ModelMeter) => number): number {
    let total = 0;
    for (const meter of this.#meters.values()) total += figure(meter);
    return total;
  }

  /** Adds what earlier sessions of a resumed run used (the manifest's `modelUsage`). */
  restoreUsage(saved: Readonly<Record<string, ModelUsage>> | undefined): void {
    if (!saved) return;
    for (const [key, u] of Object.entries(saved)) {
      const meter = this.#meters.get(key);
      if (meter) meter.base = u;
    }
  }

  /** Usage per model key, earlier sessions included, with cost where priced. */
  usage(): Record<string, ModelUsage> {
    const out: Record<string, ModelUsage> = {};
    for (const [key, meter] of this.#meters) out[key] = meter.usage();
    return out;
  }

  /** The cost so far, earlier sessions included; undefined when no model has prices. */
  get costUsd(): number | undefined {
    return totalCost([...this.#meters.values()].map((m) => m.usage()));
  }

  progress(): Record<string, ModelProgress> {
    const out: Record<string, ModelProgress> = {};
    for (const [key, l] of this.limiters) {
      const u = this.#meters.get(key)!.usage();
      out[key] = {
        label: this.labels.get(key) ?? key,
        cap: l.cap,
        ...this.connections.progress(key, l),
        limits: l.limits,
        pacing: l.pacing,
        tokensIn: u.tokensIn,
        tokensOut: u.tokensOut,
        ...(u.costUsd !== undefined ? { costUsd: u.costUsd } : {}),
      };
    }
    return out;
  }

  #transport(key: string): ModelTransport {
    const transport = this.#transports.get(key);
    if (!transport || !this.limiters.has(key)) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `model key "${key}": expected one of the plan's models (${[...this.limiters.keys()].join(', ') || 'none'}) with a transport, found ${transport ? 'no limiter' : 'no transport'}`,
      );
    }
    return transport;
  }

  async #acquire(limiter: RequestLimiter, tokens: number, answer: number): Promise<Grant> {
    const now = limiter.tryAcquire(tokens, answer);
    if (now) return now;
    this.#slots.parkSlot();
    try {
      return await limiter.acquire(tokens, this.#signal, answer);
    } finally {
      this.#slots.unparkSlot();
    }
  }

  /** Waits out an HTTP retry's backoff without any slot. */
  async #backoff(ms: number): Promise<void> {
    this.#slots.parkSlot();
    try {
      await this.#clock.sleep(ms, this.#signal);
    } finally {
      this.#slots.unparkSlot();
    }
  }

  async #call<T extends { usage: TokenUsage; rateLimits?: RateLimitInfo }>(
    caller: ModelCaller,
    key: string,
    tokens: number,
    answerTokens: number,
    timeoutMs: number | undefined,
    send: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const limiter = this.limiters.get(key)!;
    const meter = this.#meters.get(key)!;
    const signal = this.#signal;
    const klass = caller.klass ?? '';
    for (let failures = 0; ;) {
      const grant = await this.#acquire(limiter, tokens, answerTokens);
      if (!this.connections.tryAcquire(key)) {
        try {
          await this.connections.acquire(key, this.#slots, signal);
        } catch (err) {
          limiter.release(grant, { kind: 'failure' });
          this.#slots.modelReleased();
          throw err;
        }
      }
      if (caller.started < 0) caller.started = this.#clock.now();
      caller.attempts++;
      meter.requests++;
      this.#requestsInFlight++;
      let response: T;
      try {
        response = await send(signal);
      } catch (err) {
        this.#requestsInFlight--;
        this.connections.release(key);
        const outcome = failureOutcome(err, klass);
        limiter.release(grant, outcome);
        this.#slots.modelReleased();
        if (signal.aborted) throw err;
        if (outcome.kind === 'rate_limited') continue;
        if (isRetriedInside(err) && failures < DEFAULT_MAX_HTTP_RETRIES) {
          failures++;
          const asked = err.retryAfterMs;
          await this.#backoff(
            asked !== undefined
              ? Math.min(BACKOFF_CAP_MS, asked)
              : backoffDelay(failures, {
                  maxRetries: DEFAULT_MAX_HTTP_RETRIES,
                  baseMs: DEFAULT_BACKOFF_BASE_MS,
                  capMs: BACKOFF_CAP_MS,
                  random: Math.random,
                }),
          );
          continue;
        }
        throw err;
      }
      this.#requestsInFlight--;
      this.connections.release(key);
      const { promptTokens, completionTokens } = response.usage;
      meter.tokensIn += promptTokens;
      meter.tokensOut += completionTokens;
      meter.answers++;
      limiter.release(grant, {
        kind: 'success',
        usage: response.usage,
        klass,
        timeoutMs: timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
        ...(response.rateLimits ? { rateLimits: response.rateLimits } : {}),
      });
      this.#slots.modelReleased();
      return response;
    }
  }
}

function failureOutcome(err: unknown, klass: string): RequestOutcome {
  if (!(err instanceof TabsynthError)) return { kind: 'failure', klass };
  const rateLimits = err.details['rateLimits'] as RateLimitInfo | undefined;
  const extra = rateLimits ? { rateLimits } : {};
  if (err.code === ErrorCodes.MODEL_RATE_LIMITED) {
    const retryAfter = err.details['retryAfterMs'];
    return {
      kind: 'rate_limited',
      klass,
      ...extra,
      ...(typeof retryAfter === 'number' ? { retryAfterMs: retryAfter } : {}),
    };
  }
  if (err.code === ErrorCodes.MODEL_TIMEOUT) return { kind: 'timeout', klass, ...extra };
  return { kind: 'failure', klass, ...extra };
}

/** The ModelAccess a task's context carries. */
export class TaskModels implements ModelAccess {
  constructor(
    private readonly pool: ModelPool,
    private readonly caller: ModelCaller,
  ) {}

  chat(key: string, request: Omit<ChatRequest, 'seed' | 'signal'>): Promise<ChatResponse> {
    return this.pool.chat(this.caller, key, request);
  }

  embed(
    key: string,
    request: Omit<EmbeddingRequest, 'seed' | 'signal'>,
  ): Promise<EmbeddingResponse> {
    return this.pool.embed(this.caller, key, request);
  }
}
