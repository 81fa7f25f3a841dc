/**
 * Stored runs in the app (RunsHistory) when a run's record is damaged: that run shows
 * "damaged" with the reason and only a Delete button; the other runs show as always;
 * Delete removes it. The session runs on the real engine client and worker.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import { manifestKey } from '../../../src/core/storage/idb-schema.ts';
import { createEngineClient } from '../../../src/runtime/client.ts';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import RunsHistory from '../../../src/ui/components/RunsHistory.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { Session } from '../../../src/ui/state/session.svelte.ts';
import { MemoryStorage } from '../ui/memory-storage.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { freshDbName, runInto } from './support/fixtures.ts';

/** Generous: the first answer waits for the engine worker to start. */
const WAIT = { timeout: 30_000 };

let dispose: (() => void) | undefined;
afterEach(() => {
  dispose?.();
  dispose = undefined;
});

describe('SPEC 4 Stored runs with a damaged run', () => {
  it('4 the damaged run shows "damaged", its reason and Delete; the good run shows as always; Delete removes it', async () => {
    const dbName = freshDbName('ui-damaged');
    const store = new IdbRunStore({ dbName });
    await runInto(store, 'good-run', STATISTICAL_CONFIG, { numRecords: 10, bufferSize: 10 });
    await runInto(store, 'bad-run', STATISTICAL_CONFIG, { numRecords: 10, bufferSize: 10 });
    const kv = idbBackend(dbName);
    const manifest = (await kv.get(manifestKey('bad-run'))) as Record<string, unknown>;
    await kv.set(manifestKey('bad-run'), { ...manifest, columns: 'a,b' });

    const client = createEngineClient({
      dbName,
      cacheDbName: freshDbName('ui-damaged-cache'),
      poolSize: 0,
    });
    dispose = () => client.dispose();
    const session = new Session(() => Promise.resolve(client), new MemoryStorage());
    const design = new Design(new MemoryStorage());
    const screen = await render(RunsHistory, { session, design, onResume: () => {} });

    const bad = screen.getByRole('row').filter({ hasText: 'bad-run' });
    await expect.element(bad.getByText('damaged', { exact: true }), WAIT).toBeVisible();
    await expect
      .element(
        bad.getByText(
          'manifest of run "bad-run" is damaged: columns: expected an array of strings, found the string "a,b"',
        ),
      )
      .toBeVisible();
    await expect.element(bad.getByRole('button', { name: /^Open/ })).not.toBeInTheDocument();
    await expect.element(bad.getByRole('button', { name: /^Resume/ })).not.toBeInTheDocument();
    const good = screen.getByRole('row').filter({ hasText: 'good-run' });
    await expect.element(good.getByText('complete')).toBeVisible();
    await expect.element(good.getByRole('button', { name: /^Open/ })).toBeVisible();

    const ask = vi.spyOn(window, 'confirm').mockReturnValue(true);
    await userEvent.click(bad.getByRole('button', { name: 'Delete run bad-run' }));
    expect(ask).toHaveBeenCalledOnce();
    ask.mockRestore();
    await expect.element(bad, WAIT).not.toBeInTheDocument();
    await expect.element(good).toBeVisible();
    expect((await kv.keys()).filter((k) => k.includes('bad-run'))).toEqual([]);
  });
});
