/**
 * Issue 14, never lose work by a click: deleting a stored run asks first, naming
 * the run and its rows; afterwards focus is on the row that took its place (its
 * Open button, never its Delete), or on the list's heading when none is left. The
 * session runs on the real engine client and worker over IndexedDB.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import { createEngineClient } from '../../../src/runtime/client.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import RunsHistory from '../../../src/ui/components/RunsHistory.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { Session } from '../../../src/ui/state/session.svelte.ts';
import { STATISTICAL_CONFIG } from '../runtime/support/configs.ts';
import { freshDbName, runInto } from '../runtime/support/fixtures.ts';
import { MemoryStorage } from './memory-storage.ts';

/** Generous: the first answer waits for the engine worker to start. */
const WAIT = { timeout: 30_000 };

let dispose: (() => void) | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  dispose?.();
  dispose = undefined;
});

describe('issue 14: deleting a stored run', () => {
  it('asks first; No keeps the run; Yes deletes it and focus goes to the next row, never to its Delete', async () => {
    const dbName = freshDbName('ui-delete');
    const store = new IdbRunStore({ dbName });
    for (const id of ['run-one', 'run-two']) {
      await runInto(store, id, STATISTICAL_CONFIG, { numRecords: 12, bufferSize: 12 });
    }
    const client = createEngineClient({
      dbName,
      cacheDbName: freshDbName('ui-delete-cache'),
      poolSize: 0,
    });
    dispose = () => client.dispose();
    const session = new Session(() => Promise.resolve(client), new MemoryStorage());
    const screen = await render(RunsHistory, {
      session,
      design: new Design(new MemoryStorage()),
      onResume: () => {},
    });
    const rows = screen.getByRole('row').filter({ hasText: /run-/ });
    await expect.poll(() => rows.elements().length, WAIT).toBe(2);
    const first = rows.nth(0);
    const firstId = first.element().querySelector('code')?.textContent ?? '';
    const secondId = rows.nth(1).element().querySelector('code')?.textContent ?? '';

    const ask = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await userEvent.click(first.getByRole('button', { name: `Delete run ${firstId}` }));
    expect(ask).toHaveBeenCalledWith(
      `Delete run (${firstId}, 12 rows)? Its rows cannot be brought back.`,
    );
    expect(rows.elements().length).toBe(2);

    ask.mockReturnValue(true);
    await userEvent.click(first.getByRole('button', { name: `Delete run ${firstId}` }));
    await expect.poll(() => rows.elements().length, WAIT).toBe(1);
    await expect
      .element(screen.getByRole('button', { name: `Open run ${secondId}` }))
      .toHaveFocus();

    await userEvent.click(screen.getByRole('button', { name: `Delete run ${secondId}` }));
    await expect.poll(() => rows.elements().length, WAIT).toBe(0);
    await expect.element(screen.getByRole('heading', { name: 'Stored runs' })).toHaveFocus();
  });
});
