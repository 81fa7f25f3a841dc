/**
 * Issue 14, never lose work by a click, in the designer: renaming a column updates
 * every reference to it when the name is done (one undo step, with an Undo notice);
 * removing a column others read asks first, naming them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import ColumnEditor from '../../../src/ui/components/ColumnEditor.svelte';
import ColumnList from '../../../src/ui/components/ColumnList.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

function design(): Design {
  const d = new Design(new MemoryStorage());
  d.load({
    columns: [
      {
        name: 'product',
        column_type: 'sampler',
        sampler_type: 'category',
        params: { values: ['a', 'b'] },
      },
      {
        name: 'review',
        column_type: 'expression',
        expr: 'Review {{ product }} (not "product", not x.product)',
        skip: { when: '{{ product == "a" }}' },
      },
      { name: 'label', column_type: 'expression', expr: '{{ product | upper }}' },
    ],
    processors: [{ processor_type: 'drop_columns', column_names: ['product'] }],
  });
  return d;
}

afterEach(() => vi.restoreAllMocks());

describe('issue 14: renaming a column updates its references', () => {
  it('when the name is done, every reference follows, the config stays valid, and Undo takes the update back', async () => {
    const d = design();
    const screen = await render(ColumnEditor, { design: d, index: 0 });
    const name = screen.getByRole('textbox', { name: 'Name', exact: true });
    await userEvent.fill(name, 'item');
    await userEvent.tab();

    expect(d.get('columns[1].expr')).toBe('Review {{ item }} (not "product", not x.product)');
    expect(d.get('columns[1].skip.when')).toBe('{{ item == "a" }}');
    expect(d.get('columns[2].expr')).toBe('{{ item | upper }}');
    expect(d.get('processors[0].column_names')).toEqual(['item']);
    expect(d.issues).toEqual([]);
    const notice = screen.getByRole('status');
    await expect
      .element(notice)
      .toHaveTextContent(
        'Renamed product to item: updated 4 references in review, label and processor 1.',
      );

    await userEvent.click(screen.getByRole('button', { name: 'Undo updating the references' }));
    expect(d.get('columns[0].name')).toBe('item');
    expect(d.get('columns[1].expr')).toBe('Review {{ product }} (not "product", not x.product)');
    expect(d.issuesAt('columns[1].expr').map((i) => i.message)).toEqual([
      "column 'review' references 'product', which is not a column",
    ]);
    await expect.element(screen.getByRole('status')).not.toBeInTheDocument();
    // One more undo takes the name back too.
    d.undo();
    expect(d.get('columns[0].name')).toBe('product');
    expect(d.issues).toEqual([]);
  });

  it('Enter finishes the name as leaving the field does', async () => {
    const d = design();
    const screen = await render(ColumnEditor, { design: d, index: 0 });
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name', exact: true }), 'goods');
    await userEvent.keyboard('{Enter}');
    expect(d.get('columns[2].expr')).toBe('{{ goods | upper }}');
  });

  it('a name left empty for a while still updates the references once given', async () => {
    const d = design();
    const screen = await render(ColumnEditor, { design: d, index: 0 });
    const name = screen.getByRole('textbox', { name: 'Name', exact: true });
    await userEvent.fill(name, '');
    await userEvent.tab();
    expect(d.get('columns[2].expr')).toBe('{{ product | upper }}');
    await userEvent.fill(name, 'goods');
    await userEvent.tab();
    expect(d.get('columns[2].expr')).toBe('{{ goods | upper }}');
  });

  it('the notice goes once the document changes again', async () => {
    const d = design();
    const screen = await render(ColumnEditor, { design: d, index: 0 });
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name', exact: true }), 'item');
    await userEvent.tab();
    await expect.element(screen.getByRole('status')).toBeVisible();
    d.set('columns[2].drop', true, false);
    await expect.element(screen.getByRole('status')).not.toBeInTheDocument();
  });

  it('a name another column has is not merged into it', async () => {
    const d = design();
    const screen = await render(ColumnEditor, { design: d, index: 0 });
    await userEvent.fill(screen.getByRole('textbox', { name: 'Name', exact: true }), 'label');
    await userEvent.tab();
    expect(d.get('columns[2].expr')).toBe('{{ product | upper }}');
    await expect.element(screen.getByRole('status')).not.toBeInTheDocument();
  });
});

describe('issue 14: removing a column others read asks first', () => {
  it('names who reads it; No keeps it, Yes removes it and the readers name it as missing', async () => {
    const d = design();
    const screen = await render(ColumnList, { design: d });
    const ask = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await userEvent.click(screen.getByRole('button', { name: 'Remove product' }));
    expect(ask).toHaveBeenCalledWith(
      "'product' is used by review, label and processor 1. Delete it anyway? They will then refer to a column that does not exist.",
    );
    expect(d.columnNames).toEqual(['product', 'review', 'label']);

    ask.mockReturnValue(true);
    await userEvent.click(screen.getByRole('button', { name: 'Remove product' }));
    expect(d.columnNames).toEqual(['review', 'label']);
    expect(d.issuesAt('columns[1].expr').map((i) => i.message)).toEqual([
      "column 'label' references 'product', which is not a column",
    ]);
  });

  it('a column nothing reads goes without a question', async () => {
    const d = design();
    const screen = await render(ColumnList, { design: d });
    const ask = vi.spyOn(window, 'confirm');
    await userEvent.click(screen.getByRole('button', { name: 'Remove label' }));
    expect(ask).not.toHaveBeenCalled();
    expect(d.columnNames).toEqual(['product', 'review']);
  });
});
