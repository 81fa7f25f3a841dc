/** A Session on the real engine client and worker, kept in memory: for tests that run or preview. */
import { createEngineClient } from '../../../src/runtime/client.ts';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import { Session } from '../../../src/ui/state/session.svelte.ts';
import { freshDbName } from '../runtime/support/fixtures.ts';
import { MemoryStorage } from './memory-storage.ts';

/** Generous: the first answer waits for the engine worker to start and load the pipeline. */
export const WAIT = { timeout: 30_000 };

/** A session on a fresh engine client (fresh databases named after `name`); dispose `client` after. */
export function engineSession(name: string): { client: EngineClient; session: Session } {
  const client = createEngineClient({
    dbName: freshDbName(name),
    cacheDbName: freshDbName(`${name}-cache`),
    poolSize: 0,
  });
  const session = new Session(() => Promise.resolve(client), new MemoryStorage());
  return { client, session };
}
