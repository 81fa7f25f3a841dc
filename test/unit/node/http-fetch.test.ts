/**
 * The command's fetch over node:http (src/node/http-fetch.ts) against the loopback
 * server: what a run would notice of it is the connections it opens, the answers it
 * reads (redirected or compressed), and a request it gives up on.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeHttpFetch } from '../../../src/node/http-fetch.ts';
import {
  chatCompletion,
  startOpenAIServer,
  type OpenAIServer,
} from '../../support/openai-server.ts';

const servers: OpenAIServer[] = [];
const clients: NodeHttpFetch[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(options: Parameters<typeof startOpenAIServer>[0] = {}) {
  const server = await startOpenAIServer(options);
  servers.push(server);
  const client = new NodeHttpFetch();
  clients.push(client);
  return { server, fetch: client.fetch };
}

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('the command fetch (node:http)', () => {
  it('posts the body and reads the answer, its status and headers', async () => {
    const { server, fetch } = await setup({
      script: [{ status: 201, body: { ok: 1 }, headers: { 'x-ratelimit-limit-requests': '60' } }],
    });
    const res = await fetch(
      `${server.url}/chat/completions`,
      post({ model: 'm' }, { 'X-Two': 'b' }),
    );
    expect([res.ok, res.status, res.statusText]).toEqual([true, 201, 'Created']);
    expect(res.headers.get('X-RateLimit-Limit-Requests')).toBe('60');
    expect(res.headers.get('x-missing')).toBeNull();
    expect(JSON.parse(await res.text())).toEqual({ ok: 1 });
    expect(server.requests[0]?.body).toEqual({ model: 'm' });
    expect(server.requests[0]?.headers['x-two']).toBe('b');
  });

  it('reuses kept-alive connections: one per request at once, not one per request', async () => {
    const { server, fetch } = await setup();
    for (let i = 0; i < 20; i++) {
      await (await fetch(`${server.url}/chat/completions`, post({ messages: [] }))).text();
    }
    expect(server.connections).toBe(1);
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 8 }, async () =>
          (await fetch(`${server.url}/chat/completions`, post({ messages: [] }))).text(),
        ),
      );
    }
    expect(server.connections).toBe(8);
    expect(server.requests).toHaveLength(44);
  });

  it('sends a request once more when its kept-alive socket was closed under it', async () => {
    const { server, fetch } = await setup({ script: [{ status: 200, body: {} }, { reset: true }] });
    await (await fetch(`${server.url}/chat/completions`, post({ n: 1 }))).text();
    const res = await fetch(`${server.url}/chat/completions`, post({ n: 2 }));
    expect(JSON.parse(await res.text())).toMatchObject({
      choices: [{ message: { content: 'echo: ' } }],
    });
    expect(server.requests.map((r) => r.raw)).toEqual(['{"n":1}', '{"n":2}', '{"n":2}']);
    expect(server.connections).toBe(2);
  });

  it("a reset on a fresh connection is the caller's to handle", async () => {
    const { server, fetch } = await setup({ script: [{ reset: true }] });
    await expect(fetch(`${server.url}/chat/completions`, post({}))).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('decodes a gzip-compressed answer', async () => {
    const body = JSON.stringify(chatCompletion('squeezed'));
    const { server, fetch } = await setup({
      script: [{ status: 200, body: gzipSync(body), headers: { 'content-encoding': 'gzip' } }],
    });
    const res = await fetch(`${server.url}/chat/completions`, post({}));
    expect(await res.text()).toBe(body);
    expect(server.requests[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it('follows a 307 with the same method and body, and a 303 as a GET', async () => {
    const { server, fetch } = await setup({
      script: [
        { status: 307, headers: { location: '/v2/chat/completions' } },
        { status: 303, headers: { location: '/v3/done' } },
        { status: 200, body: { done: true } },
      ],
    });
    const res = await fetch(`${server.url}/chat/completions`, post({ n: 1 }));
    expect(await res.text()).toBe('{"done":true}');
    expect(server.requests.map((r) => [r.method, r.path, r.raw])).toEqual([
      ['POST', '/v1/chat/completions', '{"n":1}'],
      ['POST', '/v2/chat/completions', '{"n":1}'],
      ['GET', '/v3/done', ''],
    ]);
  });

  it('drops the API key when a redirect leads to another origin', async () => {
    const other = await setup();
    const { server, fetch } = await setup({
      script: [{ status: 308, headers: { location: `${other.server.url}/chat/completions` } }],
    });
    const res = await fetch(
      `${server.url}/chat/completions`,
      post({}, { authorization: 'Bearer sk-secret', 'x-api-key': 'sk-secret' }),
    );
    expect(res.status).toBe(200);
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer sk-secret');
    const moved = other.server.requests[0]!;
    expect(moved.headers['authorization']).toBeUndefined();
    expect(moved.headers['x-api-key']).toBeUndefined();
  });

  it('refuses a redirect loop after 20 redirects', async () => {
    const { server, fetch } = await setup({
      handler: () => ({ status: 302, headers: { location: '/v1/again' } }),
    });
    await expect(fetch(`${server.url}/start`, { method: 'GET' })).rejects.toThrow(
      /more than 20 redirects/,
    );
    expect(server.requests).toHaveLength(21);
  });

  it('ends an exchange when its signal aborts, with the signal reason', async () => {
    const { server, fetch } = await setup({ script: [{ hang: true }] });
    const controller = new AbortController();
    const pending = fetch(`${server.url}/chat/completions`, {
      ...post({}),
      signal: controller.signal,
    });
    await server.received(1);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(fetch(`${server.url}/x`, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('names the cause when nothing listens', async () => {
    const { server, fetch } = await setup();
    const url = server.url;
    await server.close();
    servers.length = 0;
    await expect(fetch(`${url}/chat/completions`, post({}))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
