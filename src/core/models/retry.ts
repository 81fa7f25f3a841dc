/**
 * HTTP-level retries of a model transport (SPEC 3.6): 5xx, 408 and network errors
 * are tried again up to `maxRetries` times with exponential backoff (factor 2,
 * jitter, capped at 60 s), waiting on the injected clock. 429 is never retried here:
 * it goes back to the caller, whose limiter decides. Timeouts are not retried here
 * either: one already cost the full timeout, and the engine sets the task aside.
 */
import type { Clock } from '../clock.ts';
import { ErrorCodes, ModelError, TabsynthError } from '../errors.ts';

export interface RetryPolicy {
  /** Where backoff waits happen. */
  clock: Clock;
  /** Retries after the first attempt. Default 3. */
  maxRetries: number;
  /** Backoff before the first retry, before jitter. Default 1000 ms. */
  baseMs: number;
  /** Upper bound of any single wait. Default 60 000 ms. */
  capMs: number;
  /** Uniform [0, 1) source of the jitter. */
  random: () => number;
}

export const DEFAULT_MAX_HTTP_RETRIES = 3;
export const DEFAULT_BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;

/**
 * The wait before retry number `retry` (1-based): the exponential step
 * base × 2^(retry-1), capped, then "equal jitter" over its upper half, so waits
 * never collapse to zero and never exceed the cap.
 */
export function backoffDelay(retry: number, policy: Omit<RetryPolicy, 'clock'>): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return step / 2 + (step / 2) * policy.random();
}

/** Whether the transport itself should try a failed attempt again. */
export function isRetriedInside(err: unknown): err is ModelError {
  return (
    err instanceof ModelError &&
    (err.code === ErrorCodes.MODEL_SERVER || err.code === ErrorCodes.MODEL_NETWORK)
  );
}

/**
 * Runs `attempt(n)` (n = 1, 2, ...) until it succeeds, fails with an error that is
 * not retried inside, or has failed `1 + maxRetries` times; the last error is thrown
 * as is. A Retry-After on a retried error replaces the backoff (still capped).
 * Rejects with RUN_CANCELLED when `signal` aborts during a wait.
 */
export async function withHttpRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (err) {
      if (!isRetriedInside(err) || n > policy.maxRetries) throw err;
      const asked = err.retryAfterMs;
      const wait = asked !== undefined ? Math.min(policy.capMs, asked) : backoffDelay(n, policy);
      await policy.clock.sleep(wait, signal);
    }
  }
}

/** Checks a retry count given in options: a non-negative integer. */
export function checkMaxRetries(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `${what}: expected a non-negative integer, got ${String(value)}`,
    );
  }
  return value;
}
