/**
 * What the OpenAI and Anthropic transports share above one attempt (http-post.ts):
 * their common options read once (fetch, clock, retry policy, timeouts, key), and a
 * POST retried with backoff whose answer carries its attempts and rate-limit headers.
 * Each transport keeps only its URL, headers, body and answer parsing.
 */
import { systemClock, type Clock } from '../clock.ts';
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { FetchLike } from './fetch.ts';
import type { RequestSummary } from './http-errors.ts';
import { postJson, type PostAttempt } from './http-post.ts';
import {
  BACKOFF_CAP_MS,
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_MAX_HTTP_RETRIES,
  checkMaxRetries,
  withHttpRetries,
  type RetryPolicy,
} from './retry.ts';

/** Per-attempt timeout when neither the request nor the transport sets one. */
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;

/** The options every HTTP transport takes. */
export interface HttpTransportOptions {
  /** The provider's API key; never put in a message or details. Default: none. */
  apiKey?: string;
  /** Added to every request (and may override the defaults). Default: none. */
  extraHeaders?: Record<string, string>;
  /** Default: the host's global fetch, looked up at call time. */
  fetch?: FetchLike;
  /** Where backoff waits happen. Default: systemClock. */
  clock?: Clock;
  /** Retries of 5xx, 408 and network errors after the first attempt. Default 3. */
  maxHttpRetries?: number;
  /** Uniform [0, 1) source of backoff jitter. Default: Math.random. */
  random?: () => number;
  /** Backoff before the first retry, before jitter; doubles per retry, capped at 60 s. Default 1000 ms. */
  backoffBaseMs?: number;
  /** Per-attempt timeout when a request has no `timeoutMs`. Default 60 000 ms. */
  defaultTimeoutMs?: number;
  /** Wall-clock epoch milliseconds, to read a Retry-After given as an HTTP date. Default: Date.now. */
  wallNow?: () => number;
}

/** One request of a transport: an attempt's fields but those the client fills in. */
type HttpCall = Omit<PostAttempt, 'attempt' | 'timeoutMs' | 'secret' | 'fetch' | 'wallNow'> & {
  /** The request's own timeout; default: the transport's. */
  timeoutMs: number | undefined;
};

interface HttpClient {
  /** The API key, redacted from every message. */
  readonly secret: string | undefined;
  /** POSTs `call`, retried with backoff; `parse` reads a 2xx answer's JSON. */
  post<T extends object>(
    call: HttpCall,
    parse: (json: unknown, text: string, req: RequestSummary) => T,
  ): Promise<T & { attempts: number }>;
}

/** The client of a transport named `name` (in errors: "OpenAI transport timeoutMs: …"). */
export function httpClient(options: HttpTransportOptions, name: string): HttpClient {
  const secret = options.apiKey || undefined;
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const wallNow = options.wallNow ?? (() => Date.now());
  const checkTimeout = (ms: number, what: string): number => {
    if (typeof ms !== 'number' || !(ms > 0) || !Number.isFinite(ms)) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `${name} transport ${what}: expected a positive number of milliseconds, got ${String(ms)}`,
      );
    }
    return ms;
  };
  const defaultTimeoutMs = checkTimeout(
    options.defaultTimeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    'defaultTimeoutMs',
  );
  const policy: RetryPolicy = {
    clock: options.clock ?? systemClock,
    maxRetries: checkMaxRetries(
      options.maxHttpRetries ?? DEFAULT_MAX_HTTP_RETRIES,
      `${name} transport maxHttpRetries`,
    ),
    baseMs: options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
    capMs: BACKOFF_CAP_MS,
    random: options.random ?? Math.random,
  };

  return {
    secret,
    async post(call, parse) {
      const timeoutMs = checkTimeout(call.timeoutMs ?? defaultTimeoutMs, 'timeoutMs');
      const { value, attempts } = await withHttpRetries(
        async (attempt) => {
          const { json, text, req, rateLimits } = await postJson({
            ...call,
            attempt,
            timeoutMs,
            secret,
            fetch: doFetch,
            wallNow: wallNow(),
          });
          const parsed = parse(json, text, req);
          return rateLimits ? { ...parsed, rateLimits } : parsed;
        },
        policy,
        call.signal,
      );
      return { ...value, attempts };
    },
  };
}
