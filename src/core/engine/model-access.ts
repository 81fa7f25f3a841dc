/**
 * Model calls made by tasks (SPEC 3.5, 3.6). One AimdLimiter per PlanModel key.
 * A task that must wait for its model's limiter hands its in-flight slot back to
 * the scheduler while it waits, so a slow model cannot starve other columns; it
 * takes the slot again once its request may go (the in-flight count can then
 * briefly exceed max_in_flight_tasks by the requests just granted). A 429 goes
 * back to the limiter and the request waits and retries, until the run is
 * cancelled: rate-limited cells are never dropped.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { AimdLimiter } from '../models/limiter.ts';
import { ModelConnections } from './model-connections.ts';
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
}

export class ModelPool {
  readonly limiters = new Map<string, AimdLimiter>();
  readonly labels = new Map<string, string>();
  requests = 0;
  requestsInFlight = 0;
  tokensIn = 0;
  tokensOut = 0;
  /** Each model's share of its origin's connection budget (SPEC 3.5). */
  readonly connections: ModelConnections;
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
      this.limiters.set(m.key, new AimdLimiter(m.maxParallelRequests, clock));
      this.labels.set(m.key, m.label);
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
    return this.#call(caller, key, (signal) =>
      transport.chat({ ...request, seed: caller.seed, signal }),
    );
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
    return this.#call(caller, key, (signal) => embed({ ...request, seed: caller.seed, signal }));
  }

  progress(): Record<string, ModelProgress> {
    const out: Record<string, ModelProgress> = {};
    for (const [key, l] of this.limiters) {
      out[key] = {
        label: this.labels.get(key) ?? key,
        cap: l.cap,
        ...this.connections.progress(key, l),
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

  async #call<T extends { usage: TokenUsage }>(
    caller: ModelCaller,
    key: string,
    send: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const limiter = this.limiters.get(key)!;
    const signal = this.#signal;
    for (;;) {
      if (!limiter.tryAcquire()) {
        this.#slots.parkSlot();
        try {
          await limiter.acquire(signal);
        } finally {
          this.#slots.unparkSlot();
        }
      }
      if (!this.connections.tryAcquire(key)) {
        try {
          await this.connections.acquire(key, this.#slots, signal);
        } catch (err) {
          limiter.release('failure');
          this.#slots.modelReleased();
          throw err;
        }
      }
      if (caller.started < 0) caller.started = this.#clock.now();
      caller.attempts++;
      this.requests++;
      this.requestsInFlight++;
      let response: T;
      try {
        response = await send(signal);
      } catch (err) {
        this.requestsInFlight--;
        this.connections.release(key);
        const rateLimited =
          err instanceof TabsynthError && err.code === ErrorCodes.MODEL_RATE_LIMITED;
        if (rateLimited && !signal.aborted) {
          const retryAfter =
            typeof err.details['retryAfterMs'] === 'number'
              ? err.details['retryAfterMs']
              : undefined;
          limiter.release('rate_limited', retryAfter);
          this.#slots.modelReleased();
          continue;
        }
        limiter.release('failure');
        this.#slots.modelReleased();
        throw err;
      }
      this.requestsInFlight--;
      this.connections.release(key);
      this.tokensIn += response.usage.promptTokens;
      this.tokensOut += response.usage.completionTokens;
      limiter.release('success');
      this.#slots.modelReleased();
      return response;
    }
  }
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
