import { describe, expect, it } from 'vitest';
import { cachedTransport } from '../../../src/core/models/cached.ts';
import type { AsyncKV } from '../../../src/core/models/cached.ts';
import type { ChatRequest, ModelTransport } from '../../../src/core/models/types.ts';

function mapKV(): AsyncKV & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: (k) => Promise.resolve(structuredClone(map.get(k))),
    set: (k, v) => {
      map.set(k, structuredClone(v));
      return Promise.resolve();
    },
  };
}

function countingTransport(): ModelTransport & { calls: ChatRequest[] } {
  const calls: ChatRequest[] = [];
  return {
    calls,
    chat(request) {
      calls.push(request);
      return Promise.resolve({
        text: `answer ${calls.length} to ${request.messages[0]?.content ?? ''}`,
        usage: { promptTokens: 5, completionTokens: 7 },
        attempts: 1,
      });
    },
    embed(request) {
      return Promise.resolve({
        vectors: request.input.map((_, i) => new Float32Array([i, request.seed])),
        usage: { promptTokens: 1, completionTokens: 0 },
        attempts: 1,
      });
    },
  };
}

const request = (seed: number, content = 'hello', temperature = 0.5): ChatRequest => ({
  model: 'm',
  messages: [{ role: 'user', content }],
  temperature,
  seed,
});

describe('SPEC 3.8 response cache', () => {
  it('3.8 a repeated request for the same cell is answered from the cache and pays no tokens', async () => {
    const inner = countingTransport();
    const kv = mapKV();
    const first = cachedTransport(inner, kv, 'p/m');
    const a = await first.chat(request(1));
    // A new wrapper over the same store: a resumed run in a new worker.
    const again = cachedTransport(inner, kv, 'p/m');
    const b = await again.chat(request(1));
    expect(inner.calls.length).toBe(1);
    expect(b.text).toBe(a.text);
    expect(b.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
    expect(again.stats).toEqual({ hits: 1, misses: 0 });
  });

  it('3.8 the key covers provider/model, inference params, rendered messages and cell seed', async () => {
    const inner = countingTransport();
    const kv = mapKV();
    const t = cachedTransport(inner, kv, 'p/m');
    await t.chat(request(1));
    await t.chat(request(2));
    await t.chat(request(1, 'other prompt'));
    await t.chat(request(1, 'hello', 0.9));
    await cachedTransport(inner, kv, 'q/m').chat(request(1));
    expect(inner.calls.length).toBe(5);
    expect(kv.map.size).toBe(5);
  });

  it('3.8 the engine asks the cache before a model slot; a miss then reads the store once', async () => {
    const inner = countingTransport();
    const kv = mapKV();
    let reads = 0;
    const counted: AsyncKV = { get: (k) => (reads++, kv.get(k)), set: (k, v) => kv.set(k, v) };
    const t = cachedTransport(inner, counted, 'p/m');
    expect(await t.cache.chat(request(1))).toBeUndefined();
    const sent = await t.chat(request(1));
    expect([reads, inner.calls.length]).toEqual([1, 1]);
    const hit = await t.cache.chat(request(1));
    expect(hit).toEqual({
      text: sent.text,
      usage: { promptTokens: 0, completionTokens: 0 },
      attempts: 1,
    });
    expect(t.stats).toEqual({ hits: 1, misses: 1 });
    const vectors = await t.cache.embed({ model: 'e', input: ['a'], seed: 1 });
    expect(vectors).toBeUndefined();
  });

  it('3.8 embeddings are cached as vectors', async () => {
    const inner = countingTransport();
    const kv = mapKV();
    const t = cachedTransport(inner, kv, 'p/e');
    const req = { model: 'e', input: ['a', 'b'], seed: 3 };
    const first = await t.embed!(req);
    const second = await t.embed!(req);
    expect(t.stats).toEqual({ hits: 1, misses: 1 });
    expect(second.vectors).toEqual(first.vectors);
    expect(second.vectors[1]).toBeInstanceOf(Float32Array);
  });

  it('3.8 a failing cache store is a miss, never a failed request', async () => {
    const inner = countingTransport();
    const broken: AsyncKV = {
      get: () => Promise.reject(new Error('db closed')),
      set: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
    };
    const t = cachedTransport(inner, broken, 'p/m');
    await expect(t.chat(request(1))).resolves.toMatchObject({ text: expect.any(String) });
    expect(inner.calls.length).toBe(1);
  });

  it('3.8 a failed request is not cached', async () => {
    let fail = true;
    const inner: ModelTransport = {
      chat: () =>
        fail
          ? Promise.reject(new Error('boom'))
          : Promise.resolve({
              text: 'ok',
              usage: { promptTokens: 1, completionTokens: 1 },
              attempts: 1,
            }),
    };
    const kv = mapKV();
    const t = cachedTransport(inner, kv, 'p/m');
    await expect(t.chat(request(1))).rejects.toThrow('boom');
    fail = false;
    await expect(t.chat(request(1))).resolves.toMatchObject({ text: 'ok' });
    expect(t.stats).toEqual({ hits: 0, misses: 2 });
  });
});
