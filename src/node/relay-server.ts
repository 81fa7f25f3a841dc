/**
 * `npx tabsynth serve` (SPEC 5): the built app and its model relay on 127.0.0.1.
 *
 * The pages it serves carry a `<meta name="tabsynth-relay">` with the relay's path
 * and a token made at this start; the tab opens one WebSocket to the relay with it
 * and multiplexes its model requests over it (relay-protocol.ts), and the relay
 * sends them from Node (relay-forward.ts). Not an open proxy: it listens on loopback
 * only, answers only to its own host names (no DNS rebinding), takes a WebSocket
 * only from its own origin with the token, and sends only what relay-policy.ts
 * allows. It logs nothing about a request and stores nothing.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  RELAY_META_NAME,
  RELAY_PATH,
  RELAY_TOKEN_PARAM,
  parseClientMessage,
} from '../runtime/relay-protocol.ts';
import { RelayForwarder } from './relay-forward.ts';

/** The port `npx tabsynth serve` takes by default (Vite's preview port). */
export const DEFAULT_SERVE_PORT = 4173;
/** The only address it listens on. */
const SERVE_HOST = '127.0.0.1';

/** Content types of the built app's files (a static host must send `.wasm` as application/wasm). */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.yaml': 'text/yaml; charset=utf-8',
};

interface RelayServerOptions {
  /** The built app (dist/). Required. */
  root: string;
  /** Default DEFAULT_SERVE_PORT; 0 takes a free one. */
  port?: number;
}

export interface RelayServer {
  /** The app's URL, e.g. `http://127.0.0.1:4173/`. */
  readonly url: string;
  /** This start's token (tests use it; nothing prints it). */
  readonly token: string;
  close(): Promise<void>;
}

export async function startRelayServer(options: RelayServerOptions): Promise<RelayServer> {
  const root = resolve(options.root);
  const token = randomBytes(32).toString('base64url');
  const forwarder = new RelayForwarder();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024 * 1024,
    perMessageDeflate: false,
  });
  let port = 0;
  const hosts = () => new Set([`${SERVE_HOST}:${port}`, `localhost:${port}`]);
  const origins = () => new Set([`http://${SERVE_HOST}:${port}`, `http://localhost:${port}`]);

  const server = createServer((req, res) => {
    if (!hosts().has(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end(`this server answers only at http://${SERVE_HOST}:${port}/`);
      return;
    }
    void serveFile(root, req, res, token).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    const given = url.searchParams.get(RELAY_TOKEN_PARAM) ?? '';
    const allowed =
      url.pathname === RELAY_PATH &&
      hosts().has(req.headers.host ?? '') &&
      origins().has(req.headers.origin ?? '') &&
      sameSecret(given, token);
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => relay(ws, forwarder));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? DEFAULT_SERVE_PORT, SERVE_HOST, () => ok());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${SERVE_HOST}:${port}/`,
    token,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      forwarder.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** One tab's WebSocket: every request it sends goes out at once; abandoned ones are aborted. */
function relay(ws: WebSocket, forwarder: RelayForwarder): void {
  const pending = new Map<number, AbortController>();
  ws.on('message', (data, isBinary) => {
    const message = isBinary ? undefined : parseClientMessage(data.toString());
    if (!message) {
      ws.close(1008, 'expected a tabsynth relay message');
      return;
    }
    if (message.type === 'abort') {
      pending.get(message.id)?.abort();
      pending.delete(message.id);
      return;
    }
    const ctrl = new AbortController();
    pending.set(message.id, ctrl);
    void forwarder.send(message, ctrl.signal).then((answer) => {
      if (ctrl.signal.aborted) return;
      pending.delete(message.id);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(answer));
    });
  });
  ws.on('close', () => {
    for (const ctrl of pending.values()) ctrl.abort();
    pending.clear();
  });
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A file of `root`; pages get the relay's meta tag after `<head>`. */
async function serveFile(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(req.url ?? '/', 'http://relay').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = normalize(join(root, rel));
  const info = file.startsWith(root + sep) ? await stat(file).catch(() => undefined) : undefined;
  if (!info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  const headers = {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (extname(file) === '.html') {
    const meta = `<meta name="${RELAY_META_NAME}" content='${JSON.stringify({ path: RELAY_PATH, token })}'>`;
    const html = (await readFile(file, 'utf8')).replace(/<head>/i, (h) => `${h}${meta}`);
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : html);
    return;
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
