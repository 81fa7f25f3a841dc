/**
 * Issue 14, never lose work by a click: the Design menu lists the designs saved in
 * this browser, opens one, starts a new one, renames one, and deletes one with Undo
 * (focus on Undo, never on the next design's Delete).
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import DesignSwitcher from '../../../src/ui/components/DesignSwitcher.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { DESIGNS_KEYS } from '../../../src/ui/state/designs.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';
import { PRICE_CONFIG } from './sampler-design.ts';

async function setup(storage = new MemoryStorage()) {
  const design = new Design(storage);
  design.load(PRICE_CONFIG, 'Pricing');
  const screen = await render(DesignSwitcher, { design });
  const toggle = screen.getByRole('button', { name: /^Design/ });
  const list = screen.getByRole('region', { name: 'Saved designs' });
  return { design, screen, toggle, list };
}

describe('the Design menu', () => {
  it('shows the open design, lists both designs and switches between them', async () => {
    const { design, screen, toggle, list } = await setup();
    await expect.element(toggle).toHaveTextContent('Pricing');
    await userEvent.click(toggle);
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'true');
    const items = list.getByRole('listitem');
    expect(items.elements()).toHaveLength(2);
    await expect
      .element(list.getByRole('button', { name: /^Pricing/ }))
      .toHaveAttribute('aria-current', 'true');
    await expect.element(list.getByText('Untitled design')).toBeVisible();
    await expect.element(list.getByText(/^edited /).first()).toBeVisible();

    await userEvent.click(list.getByRole('button', { name: /^Untitled design/ }));
    expect(design.columnNames).toEqual(['topic', 'sentence']);
    await expect.element(toggle).toHaveTextContent('Untitled design');
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect
      .element(screen.getByRole('region', { name: 'Saved designs' }))
      .not.toBeInTheDocument();
  });

  it('"New design" opens an empty design with a simulated model; the others stay', async () => {
    const { design, toggle, list } = await setup();
    await userEvent.click(toggle);
    await userEvent.click(list.getByRole('button', { name: 'New design' }));
    expect(design.columns).toEqual([]);
    expect(design.modelAliases).toEqual(['writer']);
    expect(design.designs).toHaveLength(3);
  });

  it('renames a design in place: Enter saves, Escape cancels', async () => {
    const { design, toggle, list } = await setup();
    await userEvent.click(toggle);
    await userEvent.click(list.getByRole('button', { name: 'Rename design Pricing' }));
    const input = list.getByLabelText('New name of design Pricing');
    await userEvent.fill(input, 'Prices 2026');
    await userEvent.keyboard('{Enter}');
    expect(design.name).toBe('Prices 2026');
    await expect.element(toggle).toHaveTextContent('Prices 2026');
    await expect
      .element(list.getByRole('button', { name: 'Rename design Prices 2026' }))
      .toHaveFocus();

    await userEvent.click(list.getByRole('button', { name: 'Rename design Prices 2026' }));
    await userEvent.fill(list.getByLabelText('New name of design Prices 2026'), 'nope');
    await userEvent.keyboard('{Escape}');
    expect(design.name).toBe('Prices 2026');
    // Escape in the name field leaves the list open.
    await expect.element(list).toBeVisible();
  });

  it('deletes a design with Undo, focus on Undo; Undo brings it back open', async () => {
    const { design, toggle, list } = await setup();
    await userEvent.click(toggle);
    await userEvent.click(list.getByRole('button', { name: 'Delete design Pricing' }));
    expect(design.designs).toHaveLength(1);
    expect(design.columnNames).toEqual(['topic', 'sentence']);
    const undo = list.getByRole('button', { name: 'Undo' });
    await expect.element(list.getByRole('status')).toHaveTextContent('Deleted “Pricing”.');
    await expect.element(undo).toHaveFocus();

    await userEvent.click(undo);
    expect(design.designs).toHaveLength(2);
    expect(design.name).toBe('Pricing');
    expect(design.columnNames).toEqual(['price']);
    await expect.element(list.getByRole('status')).not.toBeInTheDocument();
  });

  it('Escape closes the list and gives focus back to the menu button', async () => {
    const { toggle, list } = await setup();
    await userEvent.click(toggle);
    await userEvent.click(list.getByRole('button', { name: /^Pricing/ }));
    await userEvent.click(toggle);
    (list.getByRole('button', { name: 'New design' }).element() as HTMLElement).focus();
    await userEvent.keyboard('{Escape}');
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect.element(toggle).toHaveFocus();
  });

  it('a design another tab adds shows in the open list once that tab saved it', async () => {
    const storage = new MemoryStorage();
    const { design, toggle, list } = await setup(storage);
    // As the app has it: the design follows other tabs while the page is open.
    onTestFinished(design.followOtherTabs());
    await userEvent.click(toggle);
    await expect.element(list.getByRole('button', { name: /^Pricing/ })).toBeVisible();

    // The other tab: the same origin's storage, its own Design.
    const other = new Design(storage);
    other.load(PRICE_CONFIG, 'From another tab');
    expect(list.getByRole('listitem').elements()).toHaveLength(2);
    // The browser tells every other tab of the origin that the list changed.
    window.dispatchEvent(new StorageEvent('storage', { key: DESIGNS_KEYS.index }));
    await expect.element(list.getByRole('button', { name: /^From another tab/ })).toBeVisible();
    expect(list.getByRole('listitem').elements()).toHaveLength(3);
  });

  it('a design deleted here that another tab then edits comes back, and the notice says so instead of offering Undo', async () => {
    const storage = new MemoryStorage();
    const { design, toggle, list } = await setup(storage);
    onTestFinished(design.followOtherTabs());
    const pricing = design.designId;
    // The other tab has Pricing open too.
    const other = new Design(storage);
    other.openDesign(pricing);
    await userEvent.click(toggle);
    await userEvent.click(list.getByRole('button', { name: 'Delete design Pricing' }));
    await expect.element(list.getByRole('button', { name: 'Undo' })).toBeVisible();

    // It edits Pricing before it hears of the delete: the edit wins.
    other.set('run.num_records', 3);
    window.dispatchEvent(new StorageEvent('storage', { key: DESIGNS_KEYS.index }));
    await expect.element(list.getByRole('button', { name: /^Pricing/ })).toBeVisible();
    await expect
      .element(list.getByRole('status'))
      .toHaveTextContent('“Pricing” is back: another tab changed it after it was deleted here.');
    await expect.element(list.getByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
  });
});
