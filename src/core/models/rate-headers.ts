/**
 * OpenAI's rate-limit headers (`x-ratelimit-limit-requests`, `-remaining-requests`,
 * `-reset-requests` and the same for tokens) read from an answer, and the pacer that
 * turns them into budgets before the first 429 (SPEC 3.5).
 *
 * A browser reads a cross-origin response's headers only when the server lists them
 * in Access-Control-Expose-Headers; when none can be read the pacer stays idle and
 * the limiter paces from the configured budgets and AIMD alone (and says so).
 */
import type { HeadersLike } from './fetch.ts';
import { TokenBucket } from './token-bucket.ts';

/** One resource's figures as the server gave them. */
export interface RateWindow {
  /** The budget per minute. */
  limit: number;
  /** What is left of it now. */
  remaining: number;
  /** Milliseconds until it is whole again; undefined when not given. */
  resetMs: number | undefined;
}

export interface RateLimitInfo {
  requests?: RateWindow;
  tokens?: RateWindow;
}

/** The rate-limit headers of an answer, or undefined when it carries none (or they are hidden). */
export function readRateLimitHeaders(headers: HeadersLike): RateLimitInfo | undefined {
  const requests = readWindow(headers, 'requests');
  const tokens = readWindow(headers, 'tokens');
  if (!requests && !tokens) return undefined;
  return { ...(requests ? { requests } : {}), ...(tokens ? { tokens } : {}) };
}

function readWindow(headers: HeadersLike, what: 'requests' | 'tokens'): RateWindow | undefined {
  const limit = count(headers.get(`x-ratelimit-limit-${what}`));
  const remaining = count(headers.get(`x-ratelimit-remaining-${what}`));
  if (limit === undefined || remaining === undefined || limit <= 0) return undefined;
  return { limit, remaining, resetMs: parseDuration(headers.get(`x-ratelimit-reset-${what}`)) };
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

/**
 * Budgets learned from the server's headers: one bucket for requests, one for tokens,
 * each refilling at the advertised budget per minute and never holding more than the
 * server says is left (less what is in flight and not yet counted there).
 */
export class HeaderPacer {
  #requests: TokenBucket | undefined;
  #tokens: TokenBucket | undefined;

  /** True once an answer carried readable rate-limit headers. */
  get active(): boolean {
    return this.#requests !== undefined || this.#tokens !== undefined;
  }

  /** Learns from one answer's headers; `inFlight` requests may not be counted by the server yet. */
  observe(info: RateLimitInfo, inFlight: number, inFlightTokens: number, now: number): void {
    if (info.requests) this.#requests = sync(this.#requests, info.requests, inFlight, now);
    if (info.tokens) this.#tokens = sync(this.#tokens, info.tokens, inFlightTokens, now);
  }

  /** Milliseconds until a request of `tokens` fits what the server allows. */
  waitMs(tokens: number, now: number): number {
    return Math.max(this.#requests?.waitMs(1, now) ?? 0, this.#tokens?.waitMs(tokens, now) ?? 0);
  }

  take(tokens: number, now: number): void {
    this.#requests?.take(1, now);
    this.#tokens?.take(tokens, now);
  }

  /** A request used `delta` more tokens than it reserved (negative: fewer). */
  correctTokens(delta: number, now: number): void {
    this.#tokens?.adjust(-delta, now);
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
