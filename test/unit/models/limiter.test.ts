import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../../src/core/clock.ts';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import { RequestLimiter, type Grant } from '../../../src/core/models/limiter.ts';

function limiter(cap: number, clock = new FakeClock(), extra = {}): RequestLimiter {
  return new RequestLimiter({ cap, clock, ...extra });
}

async function take(l: RequestLimiter, n: number, tokens = 0): Promise<Grant[]> {
  const out: Grant[] = [];
  for (let i = 0; i < n; i++) out.push(await l.acquire(tokens));
  return out;
}

/** Start times of `n` requests that all ask at once and end at once. */
async function startTimes(l: RequestLimiter, clock: FakeClock, n: number, tokens = 0) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    void l.acquire(tokens).then((g) => {
      times.push(clock.now());
      l.release(g, { kind: 'success' });
    });
  }
  await clock.runAll();
  return times;
}

describe('3.5 adaptive limit (AIMD)', () => {
  it('grants up to the cap at once and queues the rest in order', async () => {
    const l = limiter(2);
    const [a] = await take(l, 2);
    const order: number[] = [];
    void l.acquire().then(() => order.push(1));
    void l.acquire().then(() => order.push(2));
    await flushMicrotasks();
    expect([l.inFlight, l.waiting, order]).toEqual([2, 2, []]);
    l.release(a!, { kind: 'success' });
    await flushMicrotasks();
    expect(order).toEqual([1]);
  });

  it('on 429 the limit becomes max(1, floor(limit x 0.75)) once per burst', async () => {
    const clock = new FakeClock();
    const l = limiter(8, clock);
    const grants = await take(l, 8);
    l.release(grants[0]!, { kind: 'rate_limited', retryAfterMs: 1000 });
    expect(l.limit).toBe(6);
    l.release(grants[1]!, { kind: 'rate_limited', retryAfterMs: 1000 }); // same burst
    l.release(grants[2]!, { kind: 'rate_limited' });
    expect(l.limit).toBe(6);
    await clock.advance(2000);
    const [g] = await take(l, 1);
    l.release(g!, { kind: 'rate_limited', retryAfterMs: 10 });
    expect(l.limit).toBe(4); // a new burst after the cooldown
    const one = limiter(1, clock);
    const [o] = await take(one, 1);
    one.release(o!, { kind: 'rate_limited' });
    expect(one.limit).toBe(1);
  });

  it('new requests wait Retry-After on the clock', async () => {
    const clock = new FakeClock();
    const l = limiter(4, clock);
    const [g] = await take(l, 1);
    l.release(g!, { kind: 'rate_limited', retryAfterMs: 5000 });
    let got = false;
    void l.acquire().then(() => (got = true));
    await clock.advance(4999);
    expect(got).toBe(false);
    await clock.advance(1);
    expect(got).toBe(true);
  });

  // Changed from "Retry-After 0 means no wait": Data Designer's default cooldown applies (issue 10).
  it('Retry-After: 0, negative or missing means the default 2 s cooldown', async () => {
    for (const retryAfterMs of [0, -5, undefined]) {
      const clock = new FakeClock();
      const l = limiter(4, clock);
      const [g] = await take(l, 1);
      l.release(g!, {
        kind: 'rate_limited',
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      let got = false;
      void l.acquire().then(() => (got = true));
      await clock.advance(1999);
      expect(got).toBe(false);
      await clock.advance(1);
      expect(got).toBe(true);
    }
  });

  it('after the cooldown every 25 successes add one, up to the cap', async () => {
    const clock = new FakeClock();
    const l = limiter(4, clock);
    const [g] = await take(l, 1);
    l.release(g!, { kind: 'rate_limited', retryAfterMs: 100 }); // 4 -> 3
    await clock.advance(50);
    expect(l.tryAcquire()).toBeUndefined();
    await clock.advance(50);
    const succeed = async (n: number) => {
      for (let i = 0; i < n; i++) l.release((await take(l, 1))[0]!, { kind: 'success' });
    };
    await succeed(24);
    expect(l.limit).toBe(3);
    await succeed(1);
    expect(l.limit).toBe(4);
    await succeed(100);
    expect(l.limit).toBe(4);
  });

  it("Data Designer's request-admission settings change each rule", async () => {
    const clock = new FakeClock();
    const l = limiter(10, clock, {
      admission: {
        decreaseFactor: 0.5,
        increaseStep: 2,
        successesUntilIncrease: 3,
        cooldownMs: 500,
      },
    });
    const [g] = await take(l, 1);
    l.release(g!, { kind: 'rate_limited' });
    expect(l.limit).toBe(5);
    await clock.advance(499);
    expect(l.tryAcquire()).toBeUndefined();
    await clock.advance(1);
    for (let i = 0; i < 3; i++) l.release((await take(l, 1))[0]!, { kind: 'success' });
    expect(l.limit).toBe(7);
  });

  it('a startup ramp starts at 1 and reaches the cap linearly; a 429 ends it', async () => {
    const clock = new FakeClock();
    const l = limiter(5, clock, { admission: { startupRampMs: 4000 } });
    expect(l.limit).toBe(1);
    await clock.advance(1000);
    expect(l.limit).toBe(2);
    // A waiter is served when the ramp raises the limit, without a release.
    await take(l, 2);
    let got = false;
    void l.acquire().then(() => (got = true));
    await clock.advance(999);
    expect(got).toBe(false);
    await clock.advance(1);
    expect(got).toBe(true);
    await clock.advance(4000);
    expect(l.limit).toBe(5);

    const r = limiter(9, clock, { admission: { startupRampMs: 8000 } });
    await clock.advance(4000); // ramp at 5
    const [g] = await take(r, 1);
    r.release(g!, { kind: 'rate_limited', retryAfterMs: 10 });
    expect(r.limit).toBe(3);
    await clock.advance(8000);
    expect(r.limit).toBe(3); // the ramp no longer raises it
  });

  it("a limit below the cap is explained by the rule holding it, in this run's figures", async () => {
    const clock = new FakeClock();
    const full = limiter(4, clock);
    expect(full.lowered).toBeUndefined();

    const custom = limiter(10, clock, {
      admission: { increaseStep: 2, successesUntilIncrease: 3 },
    });
    const [g] = await take(custom, 1);
    custom.release(g!, { kind: 'rate_limited' });
    expect(custom.lowered).toEqual({
      reason: 'lowered after the endpoint answered 429 (rate limited)',
      fix: 'none needed: it grows back by 2 every 3 successes',
    });
    const usual = limiter(4, clock);
    const [h] = await take(usual, 1);
    usual.release(h!, { kind: 'rate_limited' });
    expect(usual.lowered?.fix).toBe('none needed: it grows back by one every 25 successes');

    const ramp = limiter(5, clock, { admission: { startupRampMs: 4000 } });
    expect(ramp.lowered?.reason).toBe(
      'starting: it ramps up from 1 to 5 over 4 s (startup_ramp_seconds)',
    );
    await clock.advance(4000);
    expect(ramp.lowered).toBeUndefined();

    const slow = limiter(16, clock, { latencyControl: 'slow-start' });
    expect(slow.limit).toBe(4);
    expect(slow.lowered?.reason).toBe(
      "starting low (slow start): the server's capacity is not known yet",
    );
    const [t] = await take(slow, 1);
    slow.release(t!, { kind: 'timeout' });
    expect(slow.limit).toBe(2);
    expect(slow.lowered).toEqual({
      reason: 'lowered because latency grows with concurrency (the server queues requests)',
      fix: 'none needed: it grows back while latency stays flat',
    });
  });

  it('an abort while waiting rejects with RUN_CANCELLED and frees the place in line', async () => {
    const l = limiter(1);
    await take(l, 1);
    const ac = new AbortController();
    const p = l.acquire(0, ac.signal);
    expect(l.waiting).toBe(1);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: ErrorCodes.RUN_CANCELLED });
    expect(l.waiting).toBe(0);
  });

  it('refuses a cap that is not a positive integer, naming the value', () => {
    expect(() => limiter(0)).toThrow(TabsynthError);
    expect(() => limiter(0)).toThrow(/got 0/);
  });
});

describe('3.5 budgets per model', () => {
  it('a request budget is paced smoothly: 240 a minute starts one every 250 ms', async () => {
    const clock = new FakeClock();
    const l = limiter(64, clock, { requestsPerMinute: 240 });
    const times = await startTimes(l, clock, 9);
    expect(times).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    expect(l.pacing).toBe('budget');
  });

  it('a token budget reserves prompt and max_tokens before the call', async () => {
    const clock = new FakeClock();
    // 6000 a minute: 100 a second, a bucket of 25.
    const l = limiter(64, clock, { tokensPerMinute: 6000 });
    const times = await startTimes(l, clock, 3, 25);
    expect(times).toEqual([0, 250, 500]);
  });

  it('the reservation is corrected from the usage the answer reports', async () => {
    const clock = new FakeClock();
    const l = limiter(64, clock, { tokensPerMinute: 6000 });
    const g = await l.acquire(25);
    // It used 5, not 25: 20 come back, so the next 25 wait only 50 ms.
    l.release(g, { kind: 'success', usage: { promptTokens: 3, completionTokens: 2 } });
    let at = -1;
    void l.acquire(25).then(() => (at = clock.now()));
    await clock.runAll();
    expect(at).toBe(50);
  });

  it('a request larger than the bucket waits for a full bucket and leaves debt', async () => {
    const clock = new FakeClock();
    const l = limiter(64, clock, { tokensPerMinute: 6000 });
    const times = await startTimes(l, clock, 2, 100);
    // The first goes at once (bucket full), 75 in debt; the second waits for it full again: 1 s.
    expect(times).toEqual([0, 1000]);
  });
});

describe('3.5 pacing from rate-limit headers', () => {
  it('paces at the advertised budget before any 429, never above what is left', async () => {
    const clock = new FakeClock();
    const l = limiter(64, clock);
    expect(l.pacing).toBe('adaptive');
    const g = await l.acquire();
    l.release(g, {
      kind: 'success',
      rateLimits: { requests: { limit: 1200, remaining: 1, resetMs: 50 } },
    });
    expect(l.pacing).toBe('headers');
    // 1200 a minute is 20 a second: one every 50 ms, and one is left now.
    const times = await startTimes(l, clock, 4);
    expect(times).toEqual([0, 50, 100, 150]);
  });

  it('a server that says nothing is left holds requests until it has refilled', async () => {
    const clock = new FakeClock();
    const l = limiter(64, clock);
    const g = await l.acquire();
    l.release(g, {
      kind: 'success',
      rateLimits: { tokens: { limit: 60_000, remaining: 0, resetMs: 1000 } },
    });
    // 1000 tokens a second; a request of 250 waits 250 ms.
    const times = await startTimes(l, clock, 1, 250);
    expect(times).toEqual([250]);
  });
});

describe("3.5 pacing from Anthropic's input and output token limits", () => {
  it('an output-token limit paces by the answer tokens reserved (max_tokens), not the prompt', async () => {
    const clock = new FakeClock();
    const l = limiter(64, clock);
    const g = await l.acquire();
    l.release(g, {
      kind: 'success',
      rateLimits: {
        inputTokens: { limit: 600_000, remaining: 600_000, resetMs: 0 },
        // 1000 answer tokens a second, none left now.
        outputTokens: { limit: 60_000, remaining: 0, resetMs: 1000 },
      },
    });
    // 900 prompt tokens and 100 answer tokens: 100 ms for the output limit each.
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      void l.acquire(1000, undefined, 100).then((grant) => {
        times.push(clock.now());
        l.release(grant, { kind: 'success' });
      });
    }
    await clock.runAll();
    expect(times).toEqual([100, 200, 300]);
  });

  it('the answer reservation is corrected from the output tokens the answer reports', async () => {
    const clock = new FakeClock();
    const l = limiter(64, clock);
    const first = await l.acquire();
    l.release(first, {
      kind: 'success',
      rateLimits: { outputTokens: { limit: 60_000, remaining: 500, resetMs: 500 } },
    });
    const g = await l.acquire(600, undefined, 500);
    // It wrote 100 of its 500: 400 come back, so the next 500 wait only 100 ms.
    l.release(g, { kind: 'success', usage: { promptTokens: 100, completionTokens: 100 } });
    let at = -1;
    void l.acquire(600, undefined, 500).then(() => (at = clock.now()));
    await clock.runAll();
    expect(at).toBe(100);
  });
});
