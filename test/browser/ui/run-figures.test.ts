/**
 * Issue 9: a finished run's panel shows its average rows/s and its elapsed time
 * to a tenth of a second, its chart keeps the run's series, and the internal
 * `__samplers` task shows as "samplers". The panel runs on the real engine client
 * and worker; the series is also fed a run's reports directly, as the engine sends
 * them, to pin a run that commits only at its end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import type { Progress } from '../../../src/core/engine/events.ts';
import { createEngineClient } from '../../../src/runtime/client.ts';
import type { EngineClient, RunOutcome } from '../../../src/runtime/engine-api.ts';
import RunPanel from '../../../src/ui/components/RunPanel.svelte';
import Timeline from '../../../src/ui/components/Timeline.svelte';
import { formatDuration } from '../../../src/ui/lib/format.ts';
import { RunSeries } from '../../../src/ui/state/run-series.svelte.ts';
import { Session } from '../../../src/ui/state/session.svelte.ts';
import { freshDbName } from '../runtime/support/fixtures.ts';
import { MemoryStorage } from './memory-storage.ts';
import { samplerDesign } from './sampler-design.ts';

/** Generous: the first answer waits for the engine worker to start and load the pipeline. */
const WAIT = { timeout: 30_000 };

let client: EngineClient | undefined;
afterEach(() => {
  client?.dispose();
  client = undefined;
});

/** A report of a 100-row run in one row group, `made` rows through both generators. */
function report(elapsedMs: number, made: number, committed = 0): Progress {
  return {
    rowsCommitted: committed,
    rowsRequested: 100,
    droppedRows: 0,
    columns: {
      __samplers: { done: 100, failed: 0, skipped: 0 },
      review: { done: made, failed: 0, skipped: 0 },
    },
    requestsInFlight: committed === 100 ? 0 : 4,
    requests: made,
    tokensIn: 0,
    tokensOut: 0,
    models: {},
    errorRate: 0,
    etaMs: undefined,
    elapsedMs,
  };
}

const outcome = (wallMs: number): RunOutcome => ({
  runId: 'r',
  status: 'complete',
  rowsWritten: 100,
  rowsRequested: 100,
  droppedRows: 0,
  stoppedEarly: false,
  firstErrors: [],
  requests: 100,
  tokensIn: 0,
  tokensOut: 0,
  wallMs,
});

describe('issue 9: the run series', () => {
  it('a 7-second run that commits only at its end keeps its whole series, and ends with its average rows/s', () => {
    const series = new RunSeries();
    series.begin('start');
    for (let s = 1; s <= 7; s++) series.record(report(s * 1000, Math.min(100, s * 15)));
    series.record(report(7000, 100, 100));
    series.finish(outcome(7000));

    const made = series.points.map((p) => p.made);
    expect(series.points[0]).toMatchObject({ t: 0, made: 0 });
    expect(made).toEqual([...made].sort((a, b) => a - b));
    // Rows were made all along, though none was committed before the end.
    expect(series.points.filter((p) => p.made > 0 && p.rows === 0).length).toBe(7);
    expect(series.points.at(-1)).toMatchObject({ t: 7000, rows: 100 });
    expect(series.rowsPerSecond).toBeCloseTo(100 / 7, 5);
  });

  it('a long run keeps its first and last samples as the series thins, and a resume continues it', () => {
    const series = new RunSeries();
    series.begin('start');
    for (let i = 1; i <= 2000; i++) series.record(report(i * 250, Math.min(99, i / 20)));
    expect(series.points.length).toBeLessThanOrEqual(480);
    expect(series.points[0]?.t).toBe(0);
    expect(series.points.at(-1)?.t).toBe(500_000);
    series.finish({ ...outcome(500_000), status: 'cancelled', rowsWritten: 0 });

    series.begin('continue');
    series.record(report(1000, 10));
    expect(series.points.at(-1)?.t).toBe(501_000);
  });
});

describe('issue 14: a resumed run', () => {
  it('its average rows/s counts only the rows of its resumed part, over that part', () => {
    const series = new RunSeries();
    series.begin('resume');
    series.record(report(500, 10, 40));
    series.finish(outcome(2000), 40);
    expect(series.rowsPerSecond).toBeCloseTo(30, 5);
  });
});

describe('issue 9: a finished run in the run panel', () => {
  it('shows its average rows/s, its elapsed time to a tenth of a second, its chart, and "samplers"', async () => {
    const design = samplerDesign({ num_records: 100 });
    client = createEngineClient({
      dbName: freshDbName('figures'),
      cacheDbName: freshDbName('figures-cache'),
      poolSize: 0,
    });
    const engine = client;
    const session = new Session(() => Promise.resolve(engine), new MemoryStorage());
    const screen = await render(RunPanel, { design, session });
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await expect.element(screen.getByText('complete', { exact: true }), WAIT).toBeVisible();

    const done = session.outcome!;
    expect(done.rowsWritten).toBe(100);
    const figures = Object.fromEntries(
      [...screen.container.querySelectorAll('.figures div')].map((d) => [
        d.querySelector('dt')?.textContent,
        d.querySelector('dd')?.textContent,
      ]),
    );
    expect(figures['elapsed']).toBe(formatDuration(done.wallMs));
    expect(figures['elapsed']).toMatch(/^\d+\.\ds$/);
    const average = (done.rowsWritten * 1000) / done.wallMs;
    expect(Number(figures['rows/s']?.replace(/,/g, ''))).toBeCloseTo(
      average,
      average >= 10 ? -1 : 1,
    );
    expect(Number(figures['rows/s']?.replace(/,/g, ''))).toBeGreaterThan(0);
    await expect
      .element(
        screen.getByRole('img', { name: 'Rows per second and requests in flight over time' }),
      )
      .toBeVisible();
    await expect
      .element(screen.getByRole('progressbar', { name: 'Column samplers' }))
      .toBeInTheDocument();
    await expect.element(screen.getByText('samplers', { exact: true })).toBeVisible();
    expect(screen.container.textContent).not.toContain('__samplers');
  });

  it('the timeline names the sampler lane "samplers"', async () => {
    const screen = await render(Timeline, {
      traces: [
        {
          column: '__samplers',
          rowGroup: 0,
          row: null,
          kind: 'from_scratch',
          dispatched: 0,
          started: 0,
          finished: 5,
          status: 'ok',
          attempt: 1,
        },
      ],
    });
    await expect
      .element(screen.getByRole('img', { name: 'Gantt chart of 1 tasks over 1 lanes: samplers' }))
      .toBeInTheDocument();
  });
});
