import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import ColumnEditor from '../../../src/ui/components/ColumnEditor.svelte';
import ColumnList from '../../../src/ui/components/ColumnList.svelte';
import DagView from '../../../src/ui/components/DagView.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

function design(): Design {
  const d = new Design(new MemoryStorage());
  d.load({
    model_providers: [{ name: 'sim', provider_type: 'simulated' }],
    model_configs: [{ alias: 'w', model: 'x', provider: 'sim' }],
    columns: [
      {
        name: 'price',
        column_type: 'sampler',
        sampler_type: 'gaussian',
        params: { mean: 10, stddev: 2 },
      },
      {
        name: 'product',
        column_type: 'sampler',
        sampler_type: 'category',
        params: { values: ['a', 'b'] },
      },
      { name: 'review', column_type: 'llm-text', model_alias: 'w', prompt: 'Review {{ product }}' },
    ],
  });
  return d;
}

describe('designer components', () => {
  it('an invalid sampler param shows its message at the field and clears when fixed', async () => {
    const d = design();
    const screen = await render(ColumnEditor, { design: d, index: 0 });
    const stddev = screen.getByLabelText('Std. deviation');
    await userEvent.fill(stddev, '-1');
    await expect.element(screen.getByRole('alert').filter({ hasText: 'above 0' })).toBeVisible();
    await expect.element(stddev).toHaveAttribute('aria-invalid', 'true');
    await userEvent.fill(stddev, '3');
    expect(d.get('columns[0].params.stddev')).toBe(3);
    await expect.element(stddev).toHaveAttribute('aria-invalid', 'false');
  });

  it('defaults show as placeholders of empty optional fields', async () => {
    const screen = await render(ColumnEditor, { design: design(), index: 0 });
    await expect
      .element(screen.getByLabelText('Decimal places'))
      .toHaveAttribute('placeholder', 'default: no rounding');
  });

  it('the template editor flags an unknown column and completes column names', async () => {
    const d = design();
    const screen = await render(ColumnEditor, {
      design: d,
      index: 2,
      previewRow: { product: 'lamp', price: 3 },
    });
    const prompt = screen.getByLabelText(/^Prompt/);
    await expect.element(screen.getByText('row 1 →')).toBeVisible();
    await expect.element(screen.getByText(/Review lamp/)).toBeVisible();

    await userEvent.fill(prompt, 'Review {{ prodct }}');
    await expect.element(screen.getByText('Unknown column: prodct')).toBeVisible();
    expect(d.issuesAt('columns[2].prompt').length).toBeGreaterThan(0);

    await userEvent.fill(prompt, 'Price {{ pr');
    await expect.element(screen.getByRole('option', { name: 'price' })).toBeVisible();
    await expect.element(screen.getByRole('option', { name: 'product' })).toBeVisible();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(d.get('columns[2].prompt')).toBe('Price {{ product }}');
    expect(d.issues).toEqual([]);
  });

  it('the column list adds, duplicates, reorders and removes from the keyboard-operable buttons', async () => {
    const d = design();
    const screen = await render(ColumnList, { design: d });
    await userEvent.click(screen.getByRole('button', { name: 'Duplicate price' }));
    expect(d.columnNames).toEqual(['price', 'price_copy', 'product', 'review']);
    await userEvent.click(screen.getByRole('button', { name: 'Move review up' }));
    expect(d.columnNames).toEqual(['price', 'price_copy', 'review', 'product']);
    await userEvent.click(screen.getByRole('button', { name: 'Remove price_copy' }));
    expect(d.columnNames).toEqual(['price', 'review', 'product']);
    await userEvent.selectOptions(screen.getByLabelText('New column type'), 'expression');
    await userEvent.click(screen.getByRole('button', { name: 'Add column' }));
    expect(d.columns[3]?.['column_type']).toBe('expression');
    expect(d.selected).toBe(3);
  });

  it('the DAG draws a node per column and an edge per reference; clicking a node opens it', async () => {
    const d = design();
    d.select(0);
    const screen = await render(DagView, { design: d });
    await expect
      .element(screen.getByRole('button', { name: 'Open column review (llm-text)' }))
      .toBeVisible();
    expect(screen.container.querySelectorAll('.node')).toHaveLength(3);
    expect(screen.container.querySelectorAll('.edge')).toHaveLength(1);
    d.set('columns[2].prompt', 'Review {{ product }} at {{ price }}');
    await expect.poll(() => screen.container.querySelectorAll('.edge').length).toBe(2);
    await userEvent.click(screen.getByRole('button', { name: 'Open column review (llm-text)' }));
    expect(d.selected).toBe(2);
  });
});
