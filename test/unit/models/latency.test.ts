import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.ts';
import { INITIAL_LIMIT, LatencyController, MIN_WINDOW } from '../../../src/core/models/latency.ts';
import { RequestLimiter } from '../../../src/core/models/limiter.ts';

/** Feeds one window of answers of `klass` taking `ms` each, their timeout `timeoutMs`. */
function window(
  c: LatencyController,
  ms: number | ((i: number) => number),
  klass = 'a',
  timeoutMs = 400,
): void {
  const n = Math.max(MIN_WINDOW, c.limit);
  for (let i = 0; i < n; i++) c.answered(klass, typeof ms === 'number' ? ms : ms(i), timeoutMs);
}

/** The first window of a class warms connections up; the second sets its baseline. */
function warm(c: LatencyController, ms: number, klass = 'a'): void {
  window(c, ms * 3, klass);
  window(c, ms, klass);
}

/** A server that works on `capacity` requests at once, `serviceMs` each: latency at `limit` in flight. */
const queueing = (capacity: number, serviceMs: number) => (limit: number) =>
  serviceMs * Math.max(1, limit / capacity);

describe('3.5 backing off when latency grows with concurrency', () => {
  it('starts low and doubles while latency stays flat (slow start), up to the cap', () => {
    const c = new LatencyController(32);
    expect(c.limit).toBe(INITIAL_LIMIT);
    warm(c, 200);
    expect([c.limit, c.baseline('a')]).toEqual([INITIAL_LIMIT, 200]);
    window(c, 200);
    expect(c.limit).toBe(8);
    window(c, 210);
    expect(c.limit).toBe(16);
    window(c, 190);
    window(c, 200);
    expect(c.limit).toBe(32);
    window(c, 200);
    expect(c.limit).toBe(32);
  });

  it('latency more than twice its baseline cuts the limit in proportion', () => {
    const c = new LatencyController(64);
    warm(c, 100); // baseline 100
    window(c, 100); // 8
    window(c, 100); // 16
    window(c, 400); // (400 + 50) / (100 + 50) = 3x the baseline: 16 x 2/3 x 0.75 = 8
    expect(c.limit).toBe(8);
    expect(c.slowStart).toBe(false);
  });

  it('between 1.25x and 2x it holds; below 1.25x it grows by one', () => {
    const c = new LatencyController(64);
    warm(c, 100);
    window(c, 100);
    window(c, 150); // ends slow start at 8
    expect(c.limit).toBe(8);
    window(c, 180);
    expect(c.limit).toBe(8);
    window(c, 110);
    expect(c.limit).toBe(9);
  });

  it('milliseconds of noise on a fast server are not queueing', () => {
    const c = new LatencyController(64);
    warm(c, 1);
    for (let w = 0; w < 12; w++) window(c, (i) => (i % 2 ? 1 : 25));
    expect(c.limit).toBe(64);
  });

  it('queueing far inside the timeout (under a quarter of it) does not hold the limit back', () => {
    const c = new LatencyController(256);
    const latencyAt = queueing(4, 2); // a busy loopback server: 2 ms a request, 4 at once
    for (let w = 0; w < 12; w++) window(c, latencyAt(c.limit), 'a', 60_000);
    expect(c.limit).toBe(256);
  });

  it('a timeout halves the limit once per burst, never below 1', () => {
    const c = new LatencyController(16);
    c.timedOut();
    c.timedOut(); // same burst
    expect(c.limit).toBe(2);
    expect(c.slowStart).toBe(false);
    window(c, 100);
    c.timedOut();
    window(c, 100);
    c.timedOut();
    expect(c.limit).toBe(1);
  });

  it('without a short timeout to protect it starts at the cap and still backs off', () => {
    const c = new LatencyController(32, false);
    expect([c.limit, c.slowStart]).toEqual([32, false]);
    warm(c, 100);
    window(c, 400);
    expect(c.limit).toBeLessThan(32);
  });

  it('never goes above the configured limit', () => {
    const c = new LatencyController(3);
    expect(c.limit).toBe(3);
    for (let i = 0; i < 10; i++) window(c, 50);
    expect(c.limit).toBe(3);
  });

  it('compares each column with its own baseline: a slower column is not queueing', () => {
    const c = new LatencyController(64);
    for (let w = 0; w < 6; w++) {
      const n = Math.max(MIN_WINDOW, c.limit);
      for (let i = 0; i < n; i++) c.answered(i % 2 ? 'long' : 'short', i % 2 ? 2000 : 100);
    }
    expect(c.limit).toBe(64);
    expect(c.baseline('short')).toBe(100);
    expect(c.baseline('long')).toBe(2000);
  });

  it('settles where a queueing server (4 at once, 200 ms) answers well inside a 1 s timeout', () => {
    const latencyAt = queueing(4, 200);
    const c = new LatencyController(32);
    const seen: number[] = [];
    for (let w = 0; w < 30; w++) {
      seen.push(c.limit);
      window(c, latencyAt(c.limit), 'a', 1000);
    }
    expect(Math.max(...seen.map(latencyAt))).toBeLessThan(1000);
    expect(Math.min(...seen.slice(5))).toBeGreaterThanOrEqual(4); // the server stays busy
  });

  it('the limiter runs it only where asked, and its limit caps the effective one', async () => {
    const clock = new FakeClock();
    const on = new RequestLimiter({ cap: 32, clock, latencyControl: 'slow-start' });
    const off = new RequestLimiter({ cap: 32, clock });
    expect([on.limit, off.limit]).toEqual([INITIAL_LIMIT, 32]);
    expect(on.limits['latency']).toBe(INITIAL_LIMIT);
    // Answers taking 200 ms each: a window to warm up, one for the baseline, one to double.
    for (let i = 0; i < 3 * MIN_WINDOW; i++) {
      const g = await on.acquire();
      await clock.advance(200);
      on.release(g, { kind: 'success', klass: 'col' });
    }
    expect(on.limit).toBe(8);
    const g = await on.acquire();
    on.release(g, { kind: 'timeout' });
    expect(on.limit).toBe(4);
  });
});
