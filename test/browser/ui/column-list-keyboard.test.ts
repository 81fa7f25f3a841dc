/**
 * Issue 14, keyboard: the column list is one tab stop (a grid with a roving
 * tabindex), the arrows, Home and End move the selection, Enter opens the column,
 * Alt+Up/Down move it, Delete removes it, Left/Right reach the row's own buttons.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { cleanup, render } from 'vitest-browser-svelte';
import ColumnList from '../../../src/ui/components/ColumnList.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

const TEN = Array.from({ length: 10 }, (_, i) => `c${i}`);

function tenColumns(): Design {
  const d = new Design(new MemoryStorage());
  d.load({
    columns: TEN.map((name) => ({
      name,
      column_type: 'sampler',
      sampler_type: 'uniform',
      params: { low: 0, high: 1 },
    })),
  });
  return d;
}

/** The focused element's id, else its accessible name. */
function focused(): string {
  const el = document.activeElement;
  return el?.id || (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim();
}

const selectedRow = () =>
  document.querySelector('[role="row"][aria-selected="true"] .name')?.textContent;

afterEach(() => cleanup());

describe('issue 14: the column list from the keyboard', () => {
  it('a list of 10 columns is one tab stop, on the selected column', async () => {
    const d = tenColumns();
    d.select(4);
    await render(ColumnList, { design: d });
    await userEvent.tab();
    expect(focused()).toBe('col-item-4');
    await userEvent.tab();
    expect(focused()).toBe('add-type');
    await userEvent.tab({ shift: true });
    expect(focused()).toBe('col-item-4');
  });

  it('Up, Down, Home and End move the focus and the selection', async () => {
    const d = tenColumns();
    await render(ColumnList, { design: d });
    await userEvent.tab();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect([focused(), d.selected, selectedRow()]).toEqual(['col-item-2', 2, 'c2']);
    await userEvent.keyboard('{ArrowUp}');
    expect([focused(), d.selected]).toEqual(['col-item-1', 1]);
    await userEvent.keyboard('{End}');
    expect([focused(), d.selected, selectedRow()]).toEqual(['col-item-9', 9, 'c9']);
    // The last row stays the last.
    await userEvent.keyboard('{ArrowDown}');
    expect([focused(), d.selected]).toEqual(['col-item-9', 9]);
    await userEvent.keyboard('{Home}');
    expect([focused(), d.selected]).toEqual(['col-item-0', 0]);
  });

  it('Enter opens the column', async () => {
    const d = tenColumns();
    const opened: number[] = [];
    await render(ColumnList, { design: d, onOpen: (i: number) => opened.push(i) });
    await userEvent.tab();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(opened).toEqual([1]);
    expect(d.selected).toBe(1);
  });

  it('Alt+Down and Alt+Up move the column, the focus going with it', async () => {
    const d = tenColumns();
    await render(ColumnList, { design: d });
    await userEvent.tab();
    await userEvent.keyboard('{Alt>}{ArrowDown}{ArrowDown}{/Alt}');
    expect(d.columnNames).toEqual(['c1', 'c2', 'c0', ...TEN.slice(3)]);
    await expect.poll(focused).toBe('col-item-2');
    await userEvent.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(d.columnNames).toEqual(['c1', 'c0', 'c2', ...TEN.slice(3)]);
    await expect.poll(focused).toBe('col-item-1');
  });

  it('Delete removes the column and the focus stays in the list', async () => {
    const d = tenColumns();
    await render(ColumnList, { design: d });
    await userEvent.tab();
    await userEvent.keyboard('{ArrowDown}{Delete}');
    expect(d.columnNames).toEqual(TEN.filter((n) => n !== 'c1'));
    await expect.poll(focused).toBe('col-item-1');
    expect(selectedRow()).toBe('c2');
  });

  it("Right and Left walk the row's own buttons, which Enter presses", async () => {
    const d = tenColumns();
    await render(ColumnList, { design: d });
    await userEvent.tab();
    // Row 0 cannot move up: its first action is "down".
    await userEvent.keyboard('{ArrowRight}');
    expect(focused()).toBe('Move c0 down');
    await userEvent.keyboard('{ArrowRight}');
    expect(focused()).toBe('Duplicate c0');
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(focused()).toBe('Remove c0');
    await userEvent.keyboard('{ArrowLeft}');
    expect(focused()).toBe('Duplicate c0');
    await userEvent.keyboard('{Enter}');
    expect(d.columnNames.slice(0, 3)).toEqual(['c0', 'c0_copy', 'c1']);
    // The buttons are not tab stops of their own: Tab leaves the list.
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(focused()).toBe('col-item-0');
  });
});
