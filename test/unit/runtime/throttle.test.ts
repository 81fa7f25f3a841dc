import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.ts';
import { throttle } from '../../../src/runtime/throttle.ts';

describe('progress cadence (at most 10 updates a second)', () => {
  it('sends the first value at once, then at most one per interval with the latest value', async () => {
    const clock = new FakeClock();
    const sent: number[] = [];
    const t = throttle<number>((v) => sent.push(v), 100, clock);
    for (let i = 1; i <= 50; i++) t(i);
    expect(sent).toEqual([1]);
    await clock.advance(99);
    expect(sent).toEqual([1]);
    await clock.advance(1);
    expect(sent).toEqual([1, 50]);
    for (let i = 51; i <= 1000; i++) {
      t(i);
      if (i % 10 === 0) await clock.advance(10);
    }
    // 950 updates over 950 ms: about one per 100 ms, never more.
    expect(sent.length).toBeLessThanOrEqual(2 + 10);
    expect(sent.at(-1)).toBeGreaterThan(900);
  });

  it('flush sends the held value at once (the final state of a run), cancel drops it', async () => {
    const clock = new FakeClock();
    const sent: string[] = [];
    const t = throttle<string>((v) => sent.push(v), 100, clock);
    t('a');
    t('b');
    t.flush();
    expect(sent).toEqual(['a', 'b']);
    t.flush();
    expect(sent).toEqual(['a', 'b']);
    t('c');
    t.cancel();
    await clock.advance(1000);
    expect(sent).toEqual(['a', 'b']);
  });
});
