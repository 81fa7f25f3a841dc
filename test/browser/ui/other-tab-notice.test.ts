/**
 * The notice on every screen while another tab saved the open design over edits
 * made here: it says so, and that nothing here is saved until the user chooses; each
 * choice is a button reached and pressed from the keyboard, and the notice then goes
 * and hands the focus back to the screen.
 */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import OtherTabNotice from '../../../src/ui/components/OtherTabNotice.svelte';
import { samePricesOpen } from './two-tabs.ts';

/** Tab B edited the design tab A saved first: its notice is up. */
async function heldInTabB() {
  const { tabA, tabB, stored } = samePricesOpen();
  tabA.set('run.num_records', 7);
  tabB.set('run.num_records', 9);
  const chosen = { times: 0 };
  const screen = await render(OtherTabNotice, { design: tabB, onChosen: () => chosen.times++ });
  return { tabB, screen, stored, chosen };
}

describe('the other-tab notice', () => {
  it('says the design was changed in another tab and that nothing here is saved until the choice', async () => {
    const { screen, stored } = await heldInTabB();
    const alert = screen.getByRole('alert');
    await expect.element(alert).toHaveTextContent('This design was changed in another tab.');
    await expect
      .element(alert)
      .toHaveTextContent('Your changes here are not saved until you choose');
    expect(stored()).toBe(7);
  });

  it('"Load their version" from the keyboard shows theirs, and the notice goes', async () => {
    const { tabB, screen, stored, chosen } = await heldInTabB();
    await userEvent.tab();
    await expect.element(screen.getByRole('button', { name: 'Load their version' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByRole('alert')).not.toBeInTheDocument();
    expect(chosen.times).toBe(1);
    expect(tabB.get('run.num_records')).toBe(7);
    expect(stored()).toBe(7);
  });

  it('"Keep mine" from the keyboard stores this tab\'s version, and the notice goes', async () => {
    const { tabB, screen, stored, chosen } = await heldInTabB();
    await userEvent.tab();
    await userEvent.tab();
    await expect.element(screen.getByRole('button', { name: 'Keep mine' })).toHaveFocus();
    await userEvent.keyboard(' ');
    await expect.element(screen.getByRole('alert')).not.toBeInTheDocument();
    expect(chosen.times).toBe(1);
    expect(tabB.get('run.num_records')).toBe(9);
    expect(stored()).toBe(9);
  });
});
