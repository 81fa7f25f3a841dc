/**
 * Issue 12, in the run panel during a run: the cost so far and the projected total
 * where a model has prices, and per model what paces its requests (its budget, or
 * AIMD) and each part of its limit. The run is held mid-way, after its first row
 * group, by an engine worker whose second commit waits for Pause: what the panel
 * shows then is read, whatever the machine's speed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import { createEngineClient } from '../../../src/runtime/client.ts';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import RunPanel from '../../../src/ui/components/RunPanel.svelte';
import { Session } from '../../../src/ui/state/session.svelte.ts';
import { freshDbName } from '../runtime/support/fixtures.ts';
import { WAIT } from './engine-session.ts';
import { MemoryStorage } from './memory-storage.ts';
import { pricedDesign, WRITER_PRICES } from './priced-design.ts';

let client: EngineClient | undefined;
afterEach(() => {
  client?.dispose();
  client = undefined;
});

/** The engine worker whose runs wait for a pause before their second commit. */
const heldEngineWorker = () =>
  new Worker(new URL('../runtime/support/held-engine.worker.ts', import.meta.url), {
    type: 'module',
  });

/** The panel's figures as the user reads them: label → value. */
function figures(container: HTMLElement): Record<string, string> {
  return Object.fromEntries(
    [...container.querySelectorAll('.figures div')].map((d) => [
      d.querySelector('dt')?.textContent?.trim() ?? '',
      d.querySelector('dd')?.textContent?.trim() ?? '',
    ]),
  );
}

/** The models table's cells, per model label. */
function modelRows(container: HTMLElement): Record<string, string[]> {
  return Object.fromEntries(
    [...container.querySelectorAll('table.models tbody tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      return [cells[0], cells.slice(1)];
    }),
  );
}

const usd = (n: number) => (n < 1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);
const count = (s: string) => Number(s.replace(/,/g, ''));

describe('issue 12: cost and pacing in the run panel during a run', () => {
  it('shows the cost so far and the projected total, and per model what paces it and the parts of its limit', async () => {
    // Only the writer is priced (and has a request budget); the critic has neither.
    const design = pricedDesign({
      requestsPerMinute: 6000,
      run: { num_records: 40, buffer_size: 10, max_concurrent_row_groups: 1 },
    });
    client = createEngineClient({
      dbName: freshDbName('run-cost'),
      cacheDbName: freshDbName('run-cost-cache'),
      poolSize: 0,
      createEngineWorker: heldEngineWorker,
    });
    const engine = client;
    const session = new Session(() => Promise.resolve(engine), new MemoryStorage());
    const screen = await render(RunPanel, { design, session });
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));

    // Its first row group committed (the second cannot commit before the pause), it is
    // paused: the panel keeps the run's last figures, read here whatever the machine's speed.
    await expect.element(screen.getByText('10 / 40 rows'), WAIT).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await expect.element(screen.getByText('paused', { exact: true }), WAIT).toBeVisible();
    const shown = figures(screen.container);
    const done = count(
      /^([\d,]+) \//.exec(screen.container.querySelector('.status .rows')!.textContent!)![1]!,
    );

    // Per model: its tokens; the writer's cost at its prices, the critic has none.
    const models = modelRows(screen.container);
    const writerRow = models['sim/demo-writer (simulated)']!;
    const criticRow = models['sim/demo-critic (simulated)']!;
    const [writerIn, writerOut] = writerRow[4]!.split(' / ').map(count) as [number, number];
    const [criticIn, criticOut] = criticRow[4]!.split(' / ').map(count) as [number, number];
    const costSoFar = (writerIn * WRITER_PRICES.input + writerOut * WRITER_PRICES.output) / 1e6;
    expect(costSoFar).toBeGreaterThan(0);
    expect(writerRow[5]).toBe(usd(costSoFar));
    expect(criticRow[5]).toBe('no price');
    // The run's figures: tokens of both models, the cost so far, and the cost
    // projected to every row asked for from the rows done.
    expect(shown['tokens in / out']).toBe(
      `${(writerIn + criticIn).toLocaleString()} / ${(writerOut + criticOut).toLocaleString()}`,
    );
    expect(shown['cost so far']).toBe(usd(costSoFar));
    expect(shown['projected total']).toBe(usd((costSoFar / done) * 40));

    // Paced by: the writer's budget; the critic, without one, by AIMD alone.
    expect(writerRow[3]).toBe('budget');
    expect(criticRow[3]).toBe('AIMD');
    // The limit against the cap, then each part of it.
    expect(writerRow[0]).toMatch(/^3 \/ 3configured 3 · adaptive 3/);
    expect(criticRow[0]).toMatch(/^2 \/ 2configured 2 · adaptive 2/);
    // Simulated models send no headers: no note that headers are missing or hidden.
    expect(screen.container.textContent).not.toContain('No readable rate-limit headers');
  });

  it('a run of models without prices shows no cost', async () => {
    const design = pricedDesign({ priced: false, run: { num_records: 20, buffer_size: 10 } });
    client = createEngineClient({
      dbName: freshDbName('run-nocost'),
      cacheDbName: freshDbName('run-nocost-cache'),
      poolSize: 0,
    });
    const engine = client;
    const session = new Session(() => Promise.resolve(engine), new MemoryStorage());
    const screen = await render(RunPanel, { design, session });
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await expect.element(screen.getByText('complete', { exact: true }), WAIT).toBeVisible();
    const shown = figures(screen.container);
    expect(shown['tokens in / out']).toMatch(/^[\d,]+ \/ [\d,]+$/);
    expect(shown['cost so far']).toBeUndefined();
    expect(shown['projected total']).toBeUndefined();
  });
});
