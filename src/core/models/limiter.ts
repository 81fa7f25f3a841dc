/**
 * The limiter of one (provider, model), SPEC 3.5. A request may start when
 * - fewer than the effective limit are in flight: the least of the configured cap,
 *   the adaptive (AIMD) limit and the latency controller's limit, and
 * - no 429 cooldown runs, and
 * - the budgets allow it: requests and tokens per minute from the config, and what
 *   the server's rate-limit headers allow.
 * Waiters are served in order. A request reserves its estimated tokens when it
 * starts; its release corrects them from the usage the answer reports.
 */
import { cancelledError, ErrorCodes, TabsynthError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { AimdController, type AdmissionSettings } from './aimd.ts';
import { LatencyController } from './latency.ts';
import { HeaderPacer, type RateLimitInfo } from './rate-headers.ts';
import { TokenBucket } from './token-bucket.ts';
import { enqueueWaiter, type QueuedWaiter } from './wait-queue.ts';
import type { LimitNote, TokenUsage } from './types.ts';

interface LimiterOptions {
  /** The smallest max_parallel_requests of the aliases sharing the model. */
  cap: number;
  clock: Clock;
  /** Data Designer's request-admission settings. Default: its defaults. */
  admission?: Partial<AdmissionSettings>;
  /** Requests per minute, paced smoothly. Default: none. */
  requestsPerMinute?: number | null;
  /** Tokens per minute (prompt and answer), paced smoothly. Default: none. */
  tokensPerMinute?: number | null;
  /**
   * Back off when latency grows with concurrency: 'slow-start' begins at a few requests
   * (a short timeout to protect), 'at-cap' at the cap. Default: off.
   */
  latencyControl?: 'slow-start' | 'at-cap' | false;
}

/** How the limiter paces: from the server's headers, from configured budgets, or by AIMD alone. */
export type Pacing = 'headers' | 'budget' | 'adaptive';

/** A started request, handed back on release. */
export interface Grant {
  /** Tokens reserved: prompt and answer. */
  readonly tokens: number;
  /** The answer's part of `tokens` (max_tokens or the model's mean answer). */
  readonly answerTokens: number;
  readonly startedAt: number;
}

export interface RequestOutcome {
  kind: 'success' | 'rate_limited' | 'timeout' | 'failure';
  /** The 429's Retry-After (ms), if it gave one. */
  retryAfterMs?: number;
  /** What the answer used (success). */
  usage?: TokenUsage;
  /** The answer's rate-limit headers, when readable. */
  rateLimits?: RateLimitInfo;
  /** What kind of request this was (the column), for latency comparisons. */
  klass?: string;
  /** The request's timeout: queueing matters as latency nears it. Default: none. */
  timeoutMs?: number;
}

interface Waiter extends QueuedWaiter {
  tokens: number;
  answerTokens: number;
  resolve: (grant: Grant) => void;
}

export class RequestLimiter {
  readonly cap: number;
  readonly aimd: AimdController;
  readonly latency: LatencyController | undefined;
  #clock: Clock;
  #requests: TokenBucket | undefined;
  #tokens: TokenBucket | undefined;
  #headers = new HeaderPacer();
  #inFlight = 0;
  #inFlightTokens = 0;
  #inFlightAnswer = 0;
  #waiters: Waiter[] = [];
  #timerDue = Number.POSITIVE_INFINITY;

  constructor(o: LimiterOptions) {
    if (!Number.isInteger(o.cap) || o.cap < 1) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `model limiter cap: expected an integer >= 1 (max_parallel_requests), got ${String(o.cap)}`,
      );
    }
    const now = o.clock.now();
    this.cap = o.cap;
    this.#clock = o.clock;
    this.aimd = new AimdController(o.cap, now, o.admission);
    this.latency = o.latencyControl
      ? new LatencyController(o.cap, o.latencyControl === 'slow-start')
      : undefined;
    if (o.requestsPerMinute) this.#requests = new TokenBucket(o.requestsPerMinute, now);
    if (o.tokensPerMinute) this.#tokens = new TokenBucket(o.tokensPerMinute, now);
  }

  /** The effective limit: the least of configured, adaptive and latency limits. */
  get limit(): number {
    let limit = Math.min(this.cap, this.aimd.limit(this.#clock.now()));
    if (this.latency) limit = Math.min(limit, this.latency.limit);
    return Math.max(1, limit);
  }

  /**
   * Why the effective limit is below the cap, worded by the part that lowered it (the
   * latency controller when its limit is the effective one, else the adaptive limit);
   * undefined when it is not below.
   */
  get lowered(): LimitNote | undefined {
    const limit = this.limit;
    if (limit >= this.cap) return undefined;
    if (this.latency?.limit === limit) return this.latency.lowered;
    return this.aimd.lowered(this.#clock.now());
  }

  /** Each part of the effective limit by name. */
  get limits(): Record<string, number> {
    const out: Record<string, number> = {
      configured: this.cap,
      adaptive: this.aimd.limit(this.#clock.now()),
    };
    if (this.latency) out['latency'] = this.latency.limit;
    return out;
  }

  get pacing(): Pacing {
    if (this.#headers.active) return 'headers';
    return this.#requests || this.#tokens ? 'budget' : 'adaptive';
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Starts a request of `tokens` (`answerTokens` of them for its answer) at once when it
   * may and nobody waits; never waits.
   */
  tryAcquire(tokens = 0, answerTokens = 0): Grant | undefined {
    if (this.#waiters.length > 0 || this.#delay(tokens, answerTokens) !== 0) return undefined;
    return this.#grant(tokens, answerTokens);
  }

  /** Waits for the request's turn. Rejects with RUN_CANCELLED when `signal` aborts first. */
  acquire(tokens = 0, signal?: AbortSignal, answerTokens = 0): Promise<Grant> {
    if (signal?.aborted) return Promise.reject(cancelledError(signal));
    const now = this.tryAcquire(tokens, answerTokens);
    if (now) return Promise.resolve(now);
    return new Promise<Grant>((resolve, reject) => {
      const waiter = { tokens, answerTokens, resolve, reject, unsubscribe: undefined };
      enqueueWaiter(this.#waiters, waiter, signal);
      this.#drain();
    });
  }

  /** Ends a request with its outcome. */
  release(grant: Grant, outcome: RequestOutcome): void {
    const now = this.#clock.now();
    if (this.#inFlight > 0) this.#inFlight--;
    this.#inFlightTokens = Math.max(0, this.#inFlightTokens - grant.tokens);
    this.#inFlightAnswer = Math.max(0, this.#inFlightAnswer - grant.answerTokens);
    if (outcome.rateLimits) {
      const { rateLimits } = outcome;
      this.#headers.observe(
        rateLimits,
        this.#inFlight,
        this.#inFlightTokens,
        this.#inFlightAnswer,
        now,
      );
    }
    if (outcome.usage && outcome.kind === 'success') {
      const { promptTokens, completionTokens } = outcome.usage;
      // An endpoint that reports no usage keeps the reservation.
      if (promptTokens + completionTokens > 0) {
        const answerDelta = completionTokens - grant.answerTokens;
        const promptDelta = promptTokens - (grant.tokens - grant.answerTokens);
        this.#tokens?.adjust(-(promptDelta + answerDelta), now);
        this.#headers.correctTokens(promptDelta, answerDelta, now);
      }
    }
    switch (outcome.kind) {
      case 'rate_limited':
        this.aimd.rateLimited(now, outcome.retryAfterMs);
        break;
      case 'success':
        this.aimd.succeeded(now);
        this.latency?.answered(outcome.klass ?? '', now - grant.startedAt, outcome.timeoutMs);
        break;
      case 'timeout':
        this.latency?.timedOut();
        break;
      case 'failure':
        break;
    }
    this.#drain();
  }

  /** 0 when a request of `tokens` may start now; ms to wait for a budget; ∞ to wait for a release. */
  #delay(tokens: number, answerTokens: number): number {
    const now = this.#clock.now();
    if (this.#inFlight >= this.limit) return Number.POSITIVE_INFINITY;
    let wait = Math.max(0, this.aimd.cooldownUntil - now);
    wait = Math.max(wait, this.#requests?.waitMs(1, now) ?? 0);
    wait = Math.max(wait, this.#tokens?.waitMs(tokens, now) ?? 0);
    return Math.max(wait, this.#headers.waitMs(tokens, answerTokens, now));
  }

  #grant(tokens: number, answerTokens: number): Grant {
    const now = this.#clock.now();
    this.#requests?.take(1, now);
    this.#tokens?.take(tokens, now);
    this.#headers.take(tokens, answerTokens, now);
    this.#inFlight++;
    this.#inFlightTokens += tokens;
    this.#inFlightAnswer += answerTokens;
    return { tokens, answerTokens, startedAt: now };
  }

  #drain(): void {
    while (this.#waiters.length > 0) {
      const head = this.#waiters[0]!;
      const wait = this.#delay(head.tokens, head.answerTokens);
      if (wait !== 0) {
        const ramp = this.aimd.nextRampStep(this.#clock.now());
        const until = Number.isFinite(wait)
          ? wait
          : ramp !== undefined
            ? ramp - this.#clock.now()
            : wait;
        if (Number.isFinite(until)) this.#arm(until);
        return;
      }
      const grant = this.#grant(head.tokens, head.answerTokens);
      this.#waiters.shift();
      head.unsubscribe?.();
      head.resolve(grant);
    }
  }

  #arm(ms: number): void {
    const due = this.#clock.now() + Math.max(1, Math.ceil(ms));
    if (due >= this.#timerDue) return;
    this.#timerDue = due;
    void this.#clock.sleep(due - this.#clock.now()).then(() => {
      if (this.#timerDue === due) this.#timerDue = Number.POSITIVE_INFINITY;
      this.#drain();
    });
  }
}
