/**
 * "Served from anywhere" (issue 11): a page over plain http from an address other
 * than localhost is not a secure context: no crypto.randomUUID, no crypto.subtle.
 * Run ids and the response cache (SPEC 3.8) work the same there.
 */
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedTransport, type AsyncKV } from '../../src/core/models/cached.ts';
import type { ChatRequest, ModelTransport } from '../../src/core/models/types.ts';
import { randomUuid } from '../../src/core/random/uuid.ts';

/** What an insecure context has of crypto: getRandomValues only. */
function insecureCrypto(): void {
  vi.stubGlobal('crypto', {
    getRandomValues: <T extends ArrayBufferView>(a: T) =>
      webcrypto.getRandomValues(a as never) as T,
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('outside a secure context', () => {
  it('run ids are random version-4 UUIDs from getRandomValues', () => {
    insecureCrypto();
    expect(globalThis.crypto.randomUUID).toBeUndefined();
    const ids = new Set(Array.from({ length: 100 }, () => randomUuid()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('3.8 the response cache answers a repeated request without crypto.subtle, under the same key as in a secure context', async () => {
    const map = new Map<string, unknown>();
    const kv: AsyncKV = {
      get: (k) => Promise.resolve(map.get(k)),
      set: (k, v) => Promise.resolve(void map.set(k, v)),
    };
    let calls = 0;
    const inner: ModelTransport = {
      chat: () =>
        Promise.resolve({
          text: `answer ${++calls}`,
          usage: { promptTokens: 1, completionTokens: 1 },
          attempts: 1,
        }),
    };
    const request: ChatRequest = {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      seed: 3,
    };
    await cachedTransport(inner, kv, 'p/m').chat(request);
    const secureKey = [...map.keys()][0];
    map.clear();
    insecureCrypto();
    expect(globalThis.crypto.subtle).toBeUndefined();
    const cached = cachedTransport(inner, kv, 'p/m');
    expect((await cached.chat(request)).text).toBe('answer 2');
    expect((await cached.chat(request)).text).toBe('answer 2');
    expect(cached.stats).toEqual({ hits: 1, misses: 1 });
    expect([...map.keys()]).toEqual([secureKey]);
  });
});
