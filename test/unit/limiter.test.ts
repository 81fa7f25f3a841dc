import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../src/core/clock.ts';
import { ErrorCodes, TabsynthError } from '../../src/core/errors.ts';
import { AimdLimiter } from '../../src/core/models/limiter.ts';

async function fill(l: AimdLimiter, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await l.acquire();
}

describe('3.5 adaptive limit (AIMD)', () => {
  it('grants up to the cap at once and queues the rest in order', async () => {
    const l = new AimdLimiter(2, new FakeClock());
    await fill(l, 2);
    const order: number[] = [];
    void l.acquire().then(() => order.push(1));
    void l.acquire().then(() => order.push(2));
    await flushMicrotasks();
    expect([l.inFlight, l.waiting, order]).toEqual([2, 2, []]);
    l.release('success');
    await flushMicrotasks();
    expect(order).toEqual([1]);
  });

  it('on 429 the limit becomes max(1, floor(limit x 0.75)) once per burst', async () => {
    const clock = new FakeClock();
    const l = new AimdLimiter(8, clock);
    await fill(l, 8);
    l.release('rate_limited', 1000);
    expect(l.limit).toBe(6);
    l.release('rate_limited', 1000); // same burst: no second decrease
    l.release('rate_limited');
    expect(l.limit).toBe(6);
    await clock.advance(2000);
    await fill(l, 1);
    l.release('rate_limited', 10);
    expect(l.limit).toBe(4); // a new burst after the cooldown
    const one = new AimdLimiter(1, clock);
    await fill(one, 1);
    one.release('rate_limited', 0);
    expect(one.limit).toBe(1);
  });

  it('new acquisitions wait Retry-After on the clock, or 2 s without one', async () => {
    const clock = new FakeClock();
    const l = new AimdLimiter(4, clock);
    await fill(l, 1);
    l.release('rate_limited', 5000);
    let got = false;
    void l.acquire().then(() => (got = true));
    await clock.advance(4999);
    expect(got).toBe(false);
    await clock.advance(1);
    expect(got).toBe(true);

    const l2 = new AimdLimiter(4, clock);
    await fill(l2, 1);
    l2.release('rate_limited');
    let got2 = false;
    void l2.acquire().then(() => (got2 = true));
    await clock.advance(1999);
    expect(got2).toBe(false);
    await clock.advance(1);
    expect(got2).toBe(true);
  });

  it('after the cooldown every 25 successes add one, up to the cap', async () => {
    const clock = new FakeClock();
    const l = new AimdLimiter(4, clock);
    await fill(l, 1);
    l.release('rate_limited', 100); // 4 -> 3
    // successes during the cooldown do not count
    await clock.advance(50);
    expect(l.tryAcquire()).toBe(false);
    await clock.advance(50);
    for (let i = 0; i < 24; i++) {
      await fill(l, 1);
      l.release('success');
    }
    expect(l.limit).toBe(3);
    await fill(l, 1);
    l.release('success');
    expect(l.limit).toBe(4);
    for (let i = 0; i < 100; i++) {
      await fill(l, 1);
      l.release('success');
    }
    expect(l.limit).toBe(4);
  });

  it('an abort while waiting rejects with RUN_CANCELLED and frees the place in line', async () => {
    const l = new AimdLimiter(1, new FakeClock());
    await fill(l, 1);
    const ac = new AbortController();
    const p = l.acquire(ac.signal);
    expect(l.waiting).toBe(1);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: ErrorCodes.RUN_CANCELLED });
    expect(l.waiting).toBe(0);
  });

  it('refuses a cap that is not a positive integer, naming the value', () => {
    expect(() => new AimdLimiter(0, new FakeClock())).toThrow(TabsynthError);
    expect(() => new AimdLimiter(0, new FakeClock())).toThrow(/got 0/);
  });
});
