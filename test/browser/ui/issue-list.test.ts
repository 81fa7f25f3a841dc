/**
 * Issue 14, "each error shows once, where it belongs": an issue of the column or
 * section on screen shows at its field; the issue list then only points to it.
 * Issues elsewhere show in the list, in the designer's words.
 */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import IssueList from '../../../src/ui/components/IssueList.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

describe('the issue list', () => {
  it('names an issue of the open column as shown at its field, and words the others', async () => {
    const design = new Design(new MemoryStorage());
    design.load({
      columns: [
        { name: '', column_type: 'expression', expr: '{{ 1 }}' },
        { name: 'b', column_type: 'expression', expr: '{{ 2 }}' },
      ],
    });
    design.select(1);
    const screen = await render(IssueList, { design });
    const item = screen.getByRole('listitem');
    await expect.element(item).toHaveTextContent('columns[0].name');
    await expect.element(item).toHaveTextContent('Give the column a name');

    design.select(0);
    await expect.element(item).toHaveTextContent('shown at its field');
    await expect.element(item).not.toHaveTextContent('Give the column a name');
  });

  it('an issue of the column list as a whole ("no columns") opens Columns and is not shown at a field', async () => {
    const design = new Design(new MemoryStorage());
    design.load({ columns: [] });
    expect(design.issues.map((i) => i.path)).toContain('columns');
    design.openSection('models');
    const screen = await render(IssueList, { design });
    await userEvent.click(screen.getByRole('button', { name: /^columns/ }));
    expect(design.section).toBe('columns');
    await expect.element(screen.getByRole('listitem')).not.toHaveTextContent('shown at its field');
  });
});
