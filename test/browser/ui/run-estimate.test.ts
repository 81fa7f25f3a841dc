/**
 * Issue 12, cost: before a run, the run panel estimates it from the preview of the
 * config on screen: tokens per row per model times the rows asked for, and the cost
 * where the model has prices. Real engine client and worker, simulated models.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import PreviewPanel from '../../../src/ui/components/PreviewPanel.svelte';
import RunPanel from '../../../src/ui/components/RunPanel.svelte';
import { engineSession, WAIT } from './engine-session.ts';
import { pricedDesign, WRITER_PRICES } from './priced-design.ts';

let client: EngineClient | undefined;
afterEach(() => {
  client?.dispose();
  client = undefined;
});

const WRITER = 'sim/demo-writer (simulated)';
const CRITIC = 'sim/demo-critic (simulated)';
const int = (n: number) => Math.round(n).toLocaleString();
/** Tokens per row: whole from 10, else to a tenth. */
const perRow = (n: number) => (n >= 10 ? int(n) : n.toFixed(1));
const usd = (n: number) => (n < 1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);

/** The estimate table's cells, per model label. */
function estimateRows(container: HTMLElement): Record<string, string[]> {
  const rows = container.querySelectorAll('[aria-label="Estimate"] tbody tr');
  return Object.fromEntries(
    [...rows].map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      return [cells[0], cells.slice(1)];
    }),
  );
}

describe('issue 12: the estimate of a run before it starts', () => {
  it('shows tokens per row per model times the rows asked for, and the cost at the prices set', async () => {
    const design = pricedDesign({ run: { num_records: 1000 } });
    const made = engineSession('estimate');
    client = made.client;
    const { session } = made;
    const screen = await render(RunPanel, { design, session });
    const estimate = screen.getByRole('region', { name: 'Estimate' });
    await expect.element(estimate.getByText('Estimate for 1,000 rows')).toBeVisible();
    await expect
      .element(estimate.getByText('Preview this config to estimate its tokens and cost.'))
      .toBeVisible();

    await userEvent.click(estimate.getByRole('button', { name: 'Estimate' }));
    await expect.element(estimate.getByRole('cell', { name: WRITER }), WAIT).toBeVisible();

    // What the 10-row preview spent, per model, as the engine counted it.
    const preview = session.preview!;
    expect(preview.rowsAsked).toBe(10);
    const used = Object.values(preview.models);
    const writer = used.find((m) => m.label === WRITER)!;
    const critic = used.find((m) => m.label === CRITIC)!;
    expect(writer.tokensIn).toBeGreaterThan(0);
    expect(writer.tokensOut).toBeGreaterThan(0);
    expect(critic.tokensIn).toBeGreaterThan(0);

    // 1,000 rows: 100 times the preview's, priced per million tokens.
    const cost = (m: { tokensIn: number; tokensOut: number }, rows: number) =>
      ((m.tokensIn * WRITER_PRICES.input + m.tokensOut * WRITER_PRICES.output) / 1e6) * (rows / 10);
    const rows = estimateRows(screen.container);
    expect(rows[WRITER]).toEqual([
      `${perRow(writer.tokensIn / 10)} in / ${perRow(writer.tokensOut / 10)} out`,
      `${int(writer.tokensIn * 100)} in / ${int(writer.tokensOut * 100)} out`,
      usd(cost(writer, 1000)),
    ]);
    // The critic has no prices: its tokens count, its cost is not made up.
    expect(rows[CRITIC]?.[1]).toBe(
      `${int(critic.tokensIn * 100)} in / ${int(critic.tokensOut * 100)} out`,
    );
    expect(rows[CRITIC]?.[2]).toBe('no price');
    await expect
      .element(
        estimate.getByText(`About ${usd(cost(writer, 1000))} in all, from a preview of 10 rows.`),
      )
      .toBeVisible();

    // Asking for more rows scales the estimate, with no new preview.
    await userEvent.fill(screen.getByLabelText('Rows', { exact: true }), '5000');
    await expect.element(estimate.getByText('Estimate for 5,000 rows')).toBeVisible();
    await expect
      .element(
        estimate.getByText(`About ${usd(cost(writer, 5000))} in all, from a preview of 10 rows.`),
      )
      .toBeVisible();
    expect(estimateRows(screen.container)[WRITER]?.[1]).toBe(
      `${int(writer.tokensIn * 500)} in / ${int(writer.tokensOut * 500)} out`,
    );

    // A changed config is not estimated from the old config's preview.
    design.set('columns[1].prompt', 'Write a long review of a {{ product }}.');
    await expect
      .element(estimate.getByText('Preview this config to estimate its tokens and cost.'))
      .toBeVisible();
    expect(estimateRows(screen.container)).toEqual({});
  });

  it('without prices it shows the tokens and says where prices go', async () => {
    const design = pricedDesign({ priced: false, run: { num_records: 200 } });
    const made = engineSession('estimate-unpriced');
    client = made.client;
    const screen = await render(RunPanel, { design, session: made.session });
    const estimate = screen.getByRole('region', { name: 'Estimate' });
    await userEvent.click(estimate.getByRole('button', { name: 'Estimate' }));
    await expect.element(estimate.getByRole('cell', { name: WRITER }), WAIT).toBeVisible();
    await expect.element(estimate.getByText(/No model has prices/)).toBeVisible();
    expect(screen.container.querySelector('[aria-label="Estimate"]')?.textContent).not.toContain(
      '$',
    );
  });

  it("the preview says what a run of the config's rows would take", async () => {
    const design = pricedDesign({ run: { num_records: 1000 } });
    const made = engineSession('estimate-preview');
    client = made.client;
    const { session } = made;
    const screen = await render(PreviewPanel, { design, session, simulate: false });
    await expect.element(screen.getByText(/^A run of 1,000 rows: about/), WAIT).toBeVisible();
    const used = Object.values(session.preview!.models);
    const tokensIn = used.reduce((n, m) => n + m.tokensIn, 0) * 100;
    const tokensOut = used.reduce((n, m) => n + m.tokensOut, 0) * 100;
    const writer = used.find((m) => m.label === WRITER)!;
    const cost =
      ((writer.tokensIn * WRITER_PRICES.input + writer.tokensOut * WRITER_PRICES.output) / 1e6) *
      100;
    const line = screen.container.querySelector('.estimate')?.textContent?.replace(/\s+/g, ' ');
    expect(line?.trim()).toBe(
      `A run of 1,000 rows: about ${int(tokensIn)} tokens in, ${int(tokensOut)} out, ${usd(cost)} (from this preview; details under Run).`,
    );
  });

  it('a config without num_records is estimated at the rows a run would make (the core’s default, 10)', async () => {
    const design = pricedDesign();
    const made = engineSession('estimate-default-rows');
    client = made.client;
    const screen = await render(PreviewPanel, { design, session: made.session, simulate: false });
    await expect.element(screen.getByText(/^A run of 10 rows: about/), WAIT).toBeVisible();
  });
});
