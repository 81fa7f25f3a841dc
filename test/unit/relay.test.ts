/**
 * SPEC 5 `npx tabsynth serve`: the relay serves the app, carries a tab's model
 * requests to a loopback OpenAI-compatible server over one WebSocket, and is not an
 * open proxy (another origin, a missing or wrong token, a foreign Host, file: and
 * metadata URLs are each refused; a key is never logged).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { serveCommand } from '../../src/cli/serve.ts';
import { startRelayServer, type RelayServer } from '../../src/node/relay-server.ts';
import { RelayClient } from '../../src/runtime/relay-fetch.ts';
import { RELAY_PATH, relayInfoFrom } from '../../src/runtime/relay-protocol.ts';
import { startOpenAIServer, type OpenAIServer } from '../support/openai-server.ts';

const KEY = 'sk-relay-test-secret-0123456789';

function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tabsynth-relay-'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>t</title></head></html>',
  );
  return dir;
}

let relay: RelayServer;
let model: OpenAIServer;
let origin: string;
const clients: RelayClient[] = [];

/** A RelayClient on `ws` (Node 20 has no WebSocket), sending `Origin` as a browser would. */
function client(token = relay.token, from = origin): RelayClient {
  const info = relayInfoFrom(JSON.stringify({ path: RELAY_PATH, token }), {
    protocol: 'http:',
    host: new URL(relay.url).host,
  })!;
  const c = new RelayClient(
    info,
    (url) => new NodeWebSocket(url, { origin: from }) as unknown as WebSocket,
  );
  clients.push(c);
  return c;
}

/** Whether the relay accepts a WebSocket with these settings: the upgrade's status. */
function upgrade(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new NodeWebSocket(new URL(path, relay.url.replace('http', 'ws')), { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

beforeEach(async () => {
  relay = await startRelayServer({ root: site(), port: 0 });
  origin = new URL(relay.url).origin;
  model = await startOpenAIServer();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await relay.close();
  await model.close();
});

describe('5 the model relay of `npx tabsynth serve`', () => {
  it('serves the app with this start’s token in a meta tag', async () => {
    const res = await fetch(relay.url);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain(
      `<meta name="tabsynth-relay" content='{"path":"${RELAY_PATH}","token":"${relay.token}"}'>`,
    );
    const other = await startRelayServer({ root: site(), port: 0 });
    expect(other.token).not.toBe(relay.token);
    await other.close();
  });

  it('carries requests to the loopback server over one connection, key and body intact, never logging the key', async () => {
    const logged = vi.spyOn(console, 'log');
    const errors = vi.spyOn(console, 'error');
    const c = client();
    const answers = await Promise.all(
      [1, 2, 3].map((n) =>
        c.fetch(`${model.url}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: `hi ${n}` }] }),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(JSON.parse(await answers[2]!.text())).toMatchObject({
      choices: [{ message: { content: 'echo: hi 3' } }],
    });
    expect(answers[0]!.headers.get('Content-Type')).toBe('application/json');
    expect(model.requests).toHaveLength(3);
    expect(model.requests[0]!.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(model.requests[0]!.headers['origin']).toBeUndefined();
    const printed = [...logged.mock.calls, ...errors.mock.calls].flat().join(' ');
    expect(printed).not.toContain(KEY);
  });

  it('passes an endpoint’s error status through as it is', async () => {
    await model.close();
    model = await startOpenAIServer({ script: [{ status: 401, body: { error: 'bad key' } }] });
    const res = await client().fetch(`${model.url}/models`);
    expect(res.status).toBe(401);
    expect(res.ok).toBe(false);
  });

  it('refuses a WebSocket from another origin, without a token, with a wrong token or a foreign Host', async () => {
    const path = `${RELAY_PATH}?token=${relay.token}`;
    const host = new URL(relay.url).host;
    expect(await upgrade(path, { origin })).toBe(101);
    expect(await upgrade(path, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(path, {})).toBe(403);
    expect(await upgrade(RELAY_PATH, { origin })).toBe(403);
    expect(await upgrade(`${RELAY_PATH}?token=${relay.token.slice(1)}x`, { origin })).toBe(403);
    expect(await upgrade(path, { origin, host: `rebound.example:${host.split(':')[1]}` })).toBe(
      403,
    );
    const page = await new Promise<number>((resolve) =>
      get(relay.url, { headers: { host: 'rebound.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }),
    );
    expect(page).toBe(403);
  });

  it('a client with a wrong token gets no relay: its requests fail as network errors', async () => {
    await expect(client('wrong').fetch(`${model.url}/models`)).rejects.toThrow(
      /tabsynth relay .* closed/,
    );
    expect(model.requests).toHaveLength(0);
  });

  it('refuses file: URLs, link-local and cloud metadata addresses, and methods other than GET and POST', async () => {
    const c = client();
    const refused = (url: string, method = 'GET') =>
      c.fetch(url, { method }).then(
        () => 'sent',
        (e: Error) => e.message,
      );
    expect(await refused('file:///etc/passwd')).toMatch(/refused by the tabsynth relay: .*file:/);
    expect(await refused('http://169.254.169.254/latest/meta-data/')).toMatch(
      /refused .*link-local and cloud metadata/,
    );
    expect(await refused('http://metadata.google.internal/computeMetadata/v1/')).toMatch(/refused/);
    expect(await refused('http://[::ffff:169.254.169.254]/')).toMatch(/refused/);
    expect(await refused('http://[fe80::1]/')).toMatch(/refused/);
    expect(await refused(`${model.url}/models`, 'DELETE')).toMatch(/only GET and POST/);
    expect(model.requests).toHaveLength(0);
  });

  it('an aborted request is dropped by the relay and rejects with the abort reason', async () => {
    await model.close();
    model = await startOpenAIServer({ script: [{ hang: true }] });
    const c = client();
    const ctrl = new AbortController();
    const sent = c.fetch(`${model.url}/models`, { signal: ctrl.signal });
    await model.received(1);
    ctrl.abort(new Error('gave up'));
    await expect(sent).rejects.toThrow('gave up');
    expect(c.pending).toBe(0);
  });

  it('`tabsynth serve` prints the URL, not the token, and refuses a taken port', async () => {
    const lines: string[] = [];
    const output = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    let url = '';
    const code = await serveCommand(['--port', '0', '--dist', site()], output, {
      stopped: async (server) => {
        url = server.url;
        expect((await fetch(server.url)).status).toBe(200);
        expect(lines.join('\n')).not.toContain(server.token);
      },
    });
    expect(code).toBe(0);
    expect(lines[0]).toBe(`tabsynth: the app and its model relay at ${url} (Ctrl-C stops)`);
    const port = new URL(relay.url).port;
    expect(await serveCommand(['--port', port, '--dist', site()], output)).toBe(1);
    expect(lines.at(-1)).toBe(
      `serve: port ${port} on 127.0.0.1 is taken: choose another with --port`,
    );
    expect(await serveCommand(['--dist', join(tmpdir(), 'no-such-dist')], output)).toBe(1);
    expect(lines.at(-1)).toMatch(/expected the built app at .*run `npm run build` first/);
  });
});
