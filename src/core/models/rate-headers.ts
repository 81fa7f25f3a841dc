/**
 * Rate-limit headers read from an answer, and the pacer that turns them into budgets
 * before the first 429 (SPEC 3.5). Two dialects:
 * - OpenAI's: `x-ratelimit-limit-requests`, `-remaining-requests`, `-reset-requests`
 *   (a duration such as `6m0s`) and the same for tokens;
 * - Anthropic's: `anthropic-ratelimit-requests-limit`, `-remaining`, `-reset` (an
 *   RFC 3339 time) for requests, tokens, input-tokens and output-tokens. Anthropic
 *   counts a request's output tokens from its `max_tokens` when it starts, as the
 *   limiter reserves them.
 *
 * A browser reads a cross-origin response's headers only when the server lists them
 * in Access-Control-Expose-Headers; when none can be read the pacer stays idle and
 * the limiter paces from the configured budgets and AIMD alone (and says so).
 */
import type { HeadersLike } from './fetch.ts';
import { TokenBucket } from './token-bucket.ts';

/** One resource's figures as the server gave them. */
interface RateWindow {
  /** The budget per minute. */
  limit: number;
  /** What is left of it now. */
  remaining: number;
  /** Milliseconds until it is whole again; undefined when not given. */
  resetMs: number | undefined;
}

export interface RateLimitInfo {
  requests?: RateWindow;
  /** Prompt and answer tokens together. */
  tokens?: RateWindow;
  /** Prompt tokens alone (Anthropic's input-tokens). */
  inputTokens?: RateWindow;
  /** Answer tokens alone (Anthropic's output-tokens). */
  outputTokens?: RateWindow;
}

type Resource = keyof RateLimitInfo;

/** Each resource's header stem in Anthropic's names. */
const ANTHROPIC: Record<Resource, string> = {
  requests: 'requests',
  tokens: 'tokens',
  inputTokens: 'input-tokens',
  outputTokens: 'output-tokens',
};

/**
 * The rate-limit headers of an answer (OpenAI's, else Anthropic's), or undefined when
 * it carries none (or they are hidden). `wallNow`: epoch ms, to read Anthropic's reset
 * times.
 */
export function readRateLimitHeaders(
  headers: HeadersLike,
  wallNow: number = Date.now(),
): RateLimitInfo | undefined {
  const info: RateLimitInfo = {};
  let found = false;
  for (const what of ['requests', 'tokens'] as const) {
    const w = readWindow(
      headers.get(`x-ratelimit-limit-${what}`),
      headers.get(`x-ratelimit-remaining-${what}`),
      parseDuration(headers.get(`x-ratelimit-reset-${what}`)),
    );
    if (w) [info[what], found] = [w, true];
  }
  if (found) return info;
  for (const what of Object.keys(ANTHROPIC) as Resource[]) {
    const stem = `anthropic-ratelimit-${ANTHROPIC[what]}`;
    const w = readWindow(
      headers.get(`${stem}-limit`),
      headers.get(`${stem}-remaining`),
      resetAt(headers.get(`${stem}-reset`), wallNow),
    );
    if (w) [info[what], found] = [w, true];
  }
  return found ? info : undefined;
}

function readWindow(
  limitText: string | null,
  remainingText: string | null,
  resetMs: number | undefined,
): RateWindow | undefined {
  const limit = count(limitText);
  const remaining = count(remainingText);
  if (limit === undefined || remaining === undefined || limit <= 0) return undefined;
  return { limit, remaining, resetMs };
}

/** Milliseconds from `wallNow` to an RFC 3339 time (never negative); undefined when unreadable. */
function resetAt(value: string | null, wallNow: number): number | undefined {
  if (value === null) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - wallNow);
}

function count(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A reset duration as OpenAI writes it ("1s", "6m0s", "120ms", "1h2m3.5s") or a bare
 * number of seconds; undefined when unreadable.
 */
export function parseDuration(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/.test(text)
    ? text.match(/\d+(?:\.\d+)?(?:ms|h|m|s)/g)
    : null;
  if (!parts) return undefined;
  let ms = 0;
  for (const part of parts) {
    const unit = /ms|h|m|s/.exec(part)![0];
    ms += parseFloat(part) * UNIT_MS[unit]!;
  }
  return ms;
}

/** A request's share of each resource: one request, its prompt and answer tokens. */
function shares(tokens: number, answerTokens: number): Record<Resource, number> {
  return {
    requests: 1,
    tokens,
    inputTokens: Math.max(0, tokens - answerTokens),
    outputTokens: answerTokens,
  };
}

/**
 * Budgets learned from the server's headers: one bucket per resource it names
 * (requests, tokens, input and output tokens), each refilling at the advertised budget
 * per minute and never holding more than the server says is left (less what is in
 * flight and not yet counted there). A request's `tokens` are its prompt and answer
 * together, `answerTokens` the answer's part of them.
 */
export class HeaderPacer {
  readonly #buckets = new Map<Resource, TokenBucket>();

  /** True once an answer carried readable rate-limit headers. */
  get active(): boolean {
    return this.#buckets.size > 0;
  }

  /**
   * Learns from one answer's headers; the `inFlight` requests (of `inFlightTokens`, of
   * which `inFlightAnswer` answer tokens) may not be counted by the server yet.
   */
  observe(
    info: RateLimitInfo,
    inFlight: number,
    inFlightTokens: number,
    inFlightAnswer: number,
    now: number,
  ): void {
    const uncounted = shares(inFlightTokens, inFlightAnswer);
    uncounted.requests = inFlight;
    for (const what of Object.keys(ANTHROPIC) as Resource[]) {
      const w = info[what];
      if (w) this.#buckets.set(what, sync(this.#buckets.get(what), w, uncounted[what], now));
    }
  }

  /** Milliseconds until a request of `tokens` (`answerTokens` of them the answer's) fits. */
  waitMs(tokens: number, answerTokens: number, now: number): number {
    if (this.#buckets.size === 0) return 0;
    const need = shares(tokens, answerTokens);
    let wait = 0;
    for (const [what, b] of this.#buckets) wait = Math.max(wait, b.waitMs(need[what], now));
    return wait;
  }

  take(tokens: number, answerTokens: number, now: number): void {
    if (this.#buckets.size === 0) return;
    const need = shares(tokens, answerTokens);
    for (const [what, b] of this.#buckets) b.take(need[what], now);
  }

  /** A request used `promptDelta` / `answerDelta` more tokens than it reserved (negative: fewer). */
  correctTokens(promptDelta: number, answerDelta: number, now: number): void {
    this.#buckets.get('tokens')?.adjust(-(promptDelta + answerDelta), now);
    this.#buckets.get('inputTokens')?.adjust(-promptDelta, now);
    this.#buckets.get('outputTokens')?.adjust(-answerDelta, now);
  }
}

function sync(
  bucket: TokenBucket | undefined,
  w: RateWindow,
  uncounted: number,
  now: number,
): TokenBucket {
  const b = bucket ?? new TokenBucket(w.limit, now);
  if (b.perMinute !== w.limit) b.setRate(w.limit, now);
  b.clamp(w.remaining - uncounted, now);
  return b;
}
