/**
 * Datetimes in the preview table, pandas' rule: a `datetime` column with `unit: D`
 * (every value at midnight UTC) shows dates; one with `unit: h` shows date and time,
 * without a `T` or milliseconds; the row detail writes them the same way. On the
 * real engine client and worker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import PreviewPanel from '../../../src/ui/components/PreviewPanel.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { engineSession, WAIT } from './engine-session.ts';
import { MemoryStorage } from './memory-storage.ts';

let client: EngineClient | undefined;
afterEach(() => {
  client?.dispose();
  client = undefined;
});

const datetime = (name: string, unit: string) => ({
  name,
  column_type: 'sampler',
  sampler_type: 'datetime',
  params: { start: '2024-01-01', end: '2024-12-31', unit },
});

describe('datetimes in the preview table', () => {
  it('a unit D column shows dates; a unit h column shows date and time', async () => {
    const design = new Design(new MemoryStorage());
    design.load({ columns: [datetime('day', 'D'), datetime('hour', 'h')] });
    const made = engineSession('datetimes');
    client = made.client;
    const session = made.session;
    const screen = await render(PreviewPanel, { design, session });
    await expect.element(screen.getByRole('button', { name: 'Open row 10' }), WAIT).toBeVisible();

    const table = screen.container.querySelector('table')!;
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    const column = (name: string) =>
      [...table.querySelectorAll('tbody tr')].map(
        (tr) => tr.querySelectorAll('td')[heads.indexOf(name)]?.textContent?.trim() ?? '',
      );
    const days = column('day');
    const hours = column('hour');
    expect(days).toHaveLength(10);
    for (const d of days) expect(d).toMatch(/^2024-\d\d-\d\d$/);
    for (const h of hours) expect(h).toMatch(/^2024-\d\d-\d\d \d\d:00:00$/);
    expect(hours.some((h) => !h.endsWith(' 00:00:00'))).toBe(true);

    // The row detail writes them as its table does.
    await userEvent.click(screen.getByRole('button', { name: 'Open row 1', exact: true }));
    const dialog = screen.getByRole('dialog');
    await expect.element(dialog).toHaveTextContent(new RegExp(`day\\s*${days[0]}hour`));
    await expect.element(dialog).toHaveTextContent(new RegExp(`hour\\s*${hours[0]}$`));
  });
});
