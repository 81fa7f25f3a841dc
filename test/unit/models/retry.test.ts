/**
 * HTTP-level retry policy (SPEC 3.6): exponential backoff with factor 2, jitter and
 * a 60 s cap; which errors are retried inside; waits on the clock.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../../src/core/clock.ts';
import { ErrorCodes, ModelError } from '../../../src/core/errors.ts';
import {
  BACKOFF_CAP_MS,
  backoffDelay,
  withHttpRetries,
  type RetryPolicy,
} from '../../../src/core/models/retry.ts';

const at = (random: number) => ({
  maxRetries: 3,
  baseMs: 1000,
  capMs: BACKOFF_CAP_MS,
  random: () => random,
});

describe('SPEC 3.6 backoff: factor 2, jitter, capped at 60 s', () => {
  it('the upper bound doubles each retry', () => {
    const highs = [1, 2, 3, 4].map((n) => backoffDelay(n, at(0.999999)));
    for (let i = 1; i < highs.length; i++) expect(highs[i]! / highs[i - 1]!).toBeCloseTo(2, 4);
  });

  it('jitter spreads a wait over the upper half of its step', () => {
    expect(backoffDelay(3, at(0))).toBe(4000 / 2);
    expect(backoffDelay(3, at(0.999999))).toBeLessThan(4000);
    expect(backoffDelay(3, at(0.999999))).toBeGreaterThan(3999);
  });

  it('no wait exceeds 60 s however many retries', () => {
    for (const n of [7, 8, 20, 60, 2000])
      expect(backoffDelay(n, at(0.999999))).toBeLessThanOrEqual(60_000);
  });
});

describe('SPEC 3.6 retries inside the transport', () => {
  function policy(clock: FakeClock): RetryPolicy {
    return { clock, ...at(0.5) };
  }
  const fail = (code: (typeof ErrorCodes)[keyof typeof ErrorCodes]) => new ModelError(code, code);

  it('MODEL_SERVER and MODEL_NETWORK are retried until success, counting attempts', async () => {
    const clock = new FakeClock();
    const errors = [fail(ErrorCodes.MODEL_SERVER), fail(ErrorCodes.MODEL_NETWORK)];
    const p = withHttpRetries(async () => {
      const e = errors.shift();
      if (e) throw e;
      return 'ok';
    }, policy(clock));
    await clock.runAll();
    await expect(p).resolves.toEqual({ value: 'ok', attempts: 3 });
  });

  it.each([
    ErrorCodes.MODEL_RATE_LIMITED,
    ErrorCodes.MODEL_TIMEOUT,
    ErrorCodes.MODEL_REQUEST_REJECTED,
    ErrorCodes.MODEL_BAD_RESPONSE,
  ])('%s is thrown at once', async (code) => {
    const clock = new FakeClock();
    let calls = 0;
    const p = withHttpRetries(async () => {
      calls++;
      throw fail(code);
    }, policy(clock));
    await expect(p).rejects.toMatchObject({ code });
    expect(calls).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('stops after maxRetries and throws the last error', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const p = withHttpRetries(async () => {
      calls++;
      throw new ModelError(ErrorCodes.MODEL_SERVER, `attempt ${calls}`);
    }, policy(clock));
    p.catch(() => {});
    await clock.runAll();
    await expect(p).rejects.toThrow('attempt 4');
  });

  it('an abort during a backoff wait rejects with RUN_CANCELLED', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const p = withHttpRetries(
      async () => {
        throw fail(ErrorCodes.MODEL_SERVER);
      },
      policy(clock),
      controller.signal,
    );
    await flushMicrotasks();
    expect(clock.pending).toBe(1);
    controller.abort();
    await expect(p).rejects.toMatchObject({ code: ErrorCodes.RUN_CANCELLED });
  });
});
