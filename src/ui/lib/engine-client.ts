/**
 * Where the app gets its EngineClient: the runtime's `createEngineClient()`,
 * loaded on first use (it starts the engine worker, so not at page load, and
 * keeps Comlink and the worker wiring out of the initial JavaScript).
 */
import type { EngineClient } from '../../runtime/engine-api.ts';

export async function loadEngineClient(): Promise<EngineClient> {
  const { createEngineClient } = await import('../../runtime/client.ts');
  return createEngineClient();
}
