/**
 * The command's progress display on a fake clock: Data Designer's cadence (a line at
 * most once per progress_interval, only when the run moved; a terminal redrawn at most
 * every 0.75 s) and what each line says.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.ts';
import type { Progress } from '../../../src/core/engine/events.ts';
import { ProgressLog, TERMINAL_INTERVAL_MS } from '../../../src/cli/progress-log.ts';

/** Progress of a 1000-row run: `rows` committed, `cells` done in one column. */
function progress(rows: number, cells: number, more: Partial<Progress> = {}): Progress {
  return {
    rowsCommitted: rows,
    rowsRequested: 1000,
    droppedRows: 0,
    columns: { review: { done: cells, failed: 0, skipped: 0 } },
    requestsInFlight: 8,
    requests: cells,
    tokensIn: 0,
    tokensOut: 0,
    models: {},
    errorRate: 0,
    etaMs: undefined,
    elapsedMs: 0,
    ...more,
  };
}

function logged(options: Partial<ConstructorParameters<typeof ProgressLog>[0]> = {}) {
  const clock = new FakeClock();
  const lines: string[] = [];
  const log = new ProgressLog({
    sink: { kind: 'log', line: (t) => lines.push(t) },
    intervalMs: 5000,
    clock,
    rowsRequested: 1000,
    ...options,
  });
  return { clock, lines, log };
}

describe('progress lines where stderr is not a terminal', () => {
  it('the first line goes out at once; later ones at most once per interval, with the latest figures', async () => {
    const { clock, lines, log } = logged();
    log.update(progress(0, 10));
    expect(lines).toEqual([
      'progress: 0 / 1000 rows (0%), 0.0 rows/s, 8 requests in flight, 10 cells done, elapsed 0.0s',
    ]);
    await clock.advance(1000);
    log.update(progress(0, 50));
    await clock.advance(2000);
    log.update(progress(100, 120));
    await clock.advance(1999);
    expect(lines).toHaveLength(1);
    await clock.advance(1);
    // 5 s after the first line: the figures of the latest update, timed now.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'progress: 100 / 1000 rows (10%), 20.0 rows/s, 8 requests in flight, 120 cells done, elapsed 5.0s, eta 45.0s',
    );
    // Nothing arrives: no line, however long the wait.
    await clock.advance(60_000);
    expect(lines).toHaveLength(2);
  });

  it('progress_interval sets the spacing: 1 s gives a line each second the run moves', async () => {
    const { clock, lines, log } = logged({ intervalMs: 1000 });
    for (let s = 0; s < 10; s++) {
      log.update(progress(s * 10, s * 20));
      await clock.advance(1000);
    }
    expect(lines).toHaveLength(10);
    expect(lines.map((l) => /^progress: (\d+) \//.exec(l)?.[1])).toEqual([
      '0',
      '10',
      '20',
      '30',
      '40',
      '50',
      '60',
      '70',
      '80',
      '90',
    ]);
  });

  it('a run that has not moved since the last line prints nothing, as Data Designer does', async () => {
    const { clock, lines, log } = logged({ intervalMs: 1000 });
    log.update(progress(0, 10));
    for (let s = 0; s < 5; s++) {
      await clock.advance(1000);
      log.update(progress(0, 10));
    }
    await clock.advance(1000);
    expect(lines).toHaveLength(1);
    log.update(progress(0, 11));
    await clock.advance(1000);
    expect(lines).toHaveLength(2);
  });

  it('the final line says how the run ended, with the last figures and no eta, even inside the interval', async () => {
    const { clock, lines, log } = logged();
    log.update(progress(0, 10));
    await clock.advance(2000);
    log.update(progress(1000, 2000, { droppedRows: 0, requestsInFlight: 0 }));
    await clock.advance(500);
    log.finish('done');
    expect(lines.at(-1)).toBe(
      'progress done: 1000 / 1000 rows (100%), 400.0 rows/s, 0 requests in flight, 2000 cells done, elapsed 2.5s',
    );
    // Nothing after the end: a held update is dropped, later ones ignored.
    log.update(progress(1000, 3000));
    await clock.advance(10_000);
    log.finish('done');
    expect(lines).toHaveLength(2);
  });

  it('a log ends with its final line even when no progress came: a shard with no row groups is done at once', () => {
    const idle = logged({ shard: { index: 5, count: 8 }, rowsRequested: 0 });
    idle.log.finish('done');
    expect(idle.lines).toEqual([
      'progress [shard 5/8] done: 0 / 0 rows (100%), 0.0 rows/s, 0 requests in flight, 0 cells done, elapsed 0.0s',
    ]);
    const failed = logged();
    failed.log.finish('failed');
    expect(failed.lines).toEqual([
      'progress failed: 0 / 1000 rows (0%), 0.0 rows/s, 0 requests in flight, 0 cells done, elapsed 0.0s',
    ]);
    // A resumed run that fails at once still has the rows committed before it.
    const resumed = logged({ rowsBefore: 600 });
    resumed.log.finish('failed');
    expect(resumed.lines).toEqual([
      'progress failed: 600 / 1000 rows (60%), 0.0 rows/s, 0 requests in flight, 0 cells done, elapsed 0.0s',
    ]);
  });

  it("a shard's lines name it and count its own rows; dropped rows count toward done", async () => {
    const { clock, lines, log } = logged({ shard: { index: 2, count: 8 }, rowsRequested: 125 });
    await clock.advance(10_000);
    log.update(progress(50, 80, { droppedRows: 5 }));
    expect(lines[0]).toBe(
      'progress [shard 2/8]: 50 / 125 rows (44%), 5 dropped, 5.0 rows/s, 8 requests in flight, 80 cells done, elapsed 10.0s, eta 14.0s',
    );
    log.finish('stopped early');
    expect(lines[1]).toMatch(/^progress \[shard 2\/8\] stopped early: 50 \/ 125 rows \(44%\)/);
  });

  it('rows committed before a resume count toward done but not toward the rate', async () => {
    const { clock, lines, log } = logged({ rowsBefore: 600 });
    await clock.advance(4000);
    log.update(progress(800, 900));
    expect(lines[0]).toMatch(/^progress: 800 \/ 1000 rows \(80%\), 50\.0 rows\/s, .* eta 4\.0s$/);
  });

  it('an interval that is not above zero is refused', () => {
    expect(() => logged({ intervalMs: 0 })).toThrow(/expected ms > 0, got 0/);
  });
});

describe('the progress line on a terminal', () => {
  it('is redrawn in place at most every 0.75 s, whatever progress_interval says, and closed with a newline', async () => {
    const clock = new FakeClock();
    const drawn: string[] = [];
    const log = new ProgressLog({
      sink: { kind: 'terminal', write: (t) => drawn.push(t) },
      intervalMs: 60_000,
      clock,
      rowsRequested: 1000,
    });
    log.update(progress(0, 1));
    expect(drawn).toEqual([
      '\r0 / 1000 rows (0%), 0.0 rows/s, 8 requests in flight, 1 cells done, elapsed 0.0s\x1b[K',
    ]);
    for (let i = 2; i <= 31; i++) {
      log.update(progress(0, i));
      await clock.advance(100);
    }
    // 3 s of updates every 0.1 s: the first draw and one per 0.75 s.
    expect(drawn).toHaveLength(1 + Math.floor(3000 / TERMINAL_INTERVAL_MS));
    log.finish('done');
    expect(drawn.at(-1)).toBe(
      '\r0 / 1000 rows (0%), 0.0 rows/s, 8 requests in flight, 31 cells done, elapsed 3.0s\x1b[K\n',
    );
  });
});
