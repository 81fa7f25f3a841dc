/**
 * Row numbers as a user reads them count from 1 everywhere: the preview table, a
 * run's table and its pager ("Rows 1–6 of 6"), the row detail's title, and the row a
 * run's warning names. "Row 1" is the first row. Runs on the real engine client and
 * worker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import PreviewPanel from '../../../src/ui/components/PreviewPanel.svelte';
import RunPanel from '../../../src/ui/components/RunPanel.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { engineSession, WAIT } from './engine-session.ts';
import { MemoryStorage } from './memory-storage.ts';

let client: EngineClient | undefined;
afterEach(() => {
  client?.dispose();
  client = undefined;
});

/** Six rows of a uniform draw; a skip.when that cannot be evaluated warns on each. */
const CONFIG = {
  columns: [
    {
      name: 'n',
      column_type: 'sampler',
      sampler_type: 'uniform',
      params: { low: 0, high: 1e9 },
      convert_to: 'int',
    },
    {
      name: 'doubled',
      column_type: 'expression',
      expr: '{{ n * 2 }}',
      skip: { when: '{{ n.unit.name }}', value: 'none' },
    },
  ],
  run: { num_records: 6 },
};

/** The row detail shows `n` as the first row's (an integer a table shows whole). */
const showsN = (n: string | undefined) => new RegExp(`Close\\s*n\\s*${n}\\s*doubled`);

/** The texts of column `c` (0: the row number) of each row of `table`. */
const column = (table: Element, c: number) =>
  [...table.querySelectorAll('tbody tr')].map(
    (tr) => tr.querySelectorAll('td')[c]?.textContent?.trim() ?? '',
  );

describe('row numbers count from 1', () => {
  it('the preview numbers its rows 1 to 10; Row 1 opens the first row', async () => {
    const design = new Design(new MemoryStorage());
    design.load(CONFIG);
    const made = engineSession('row-numbers-preview');
    client = made.client;
    const screen = await render(PreviewPanel, { design, session: made.session });
    await expect.element(screen.getByRole('button', { name: 'Open row 10' }), WAIT).toBeVisible();
    const table = screen.container.querySelector('table')!;
    expect(column(table, 0)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);

    await userEvent.click(screen.getByRole('button', { name: 'Open row 1', exact: true }));
    const dialog = screen.getByRole('dialog', { name: 'Row 1' });
    await expect.element(dialog).toHaveTextContent(showsN(column(table, 1)[0]));
  });

  it("a run's table, its pager, its row detail and its warning name the same rows", async () => {
    const design = new Design(new MemoryStorage());
    design.load(CONFIG);
    const made = engineSession('row-numbers-run');
    client = made.client;
    const screen = await render(RunPanel, { design, session: made.session });
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await expect.element(screen.getByText('complete', { exact: true }), WAIT).toBeVisible();

    await expect.element(screen.getByText('Rows 1–6 of 6'), WAIT).toBeVisible();
    const region = screen.getByRole('region', { name: 'Rows of this run' });
    await expect.element(region.getByRole('button', { name: 'Open row 6' })).toBeVisible();
    const table = region.element();
    expect(column(table, 0)).toEqual(['1', '2', '3', '4', '5', '6']);

    await userEvent.click(region.getByRole('button', { name: 'Open row 1', exact: true }));
    const dialog = screen.getByRole('dialog', { name: 'Row 1' });
    await expect.element(dialog).toHaveTextContent(showsN(column(table, 1)[0]));

    // The first warning is the first row's: the engine's row 0, shown as row 1.
    const warnings = screen.getByRole('list', { name: 'Warnings' });
    await expect.element(warnings).toHaveTextContent(/×6\s*\(row 1\):/);
    await expect.element(warnings).toHaveTextContent('could not be evaluated for row 1 (');
  });
});
