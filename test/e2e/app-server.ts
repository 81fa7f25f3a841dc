/**
 * A small static server for the built site (dist/), for the end-to-end tests and
 * the browser benchmarks: serves under a sub-path (the app's tests check the site
 * works from any sub-path of a static host; the runtime harness uses '/'), `.wasm`
 * as application/wasm, nothing cached.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { CONTENT_TYPES } from '../../src/node/relay-server.ts';

export interface StaticSite {
  /** The site's URL, ending in the sub-path and a slash. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `root` at http://<host, default 127.0.0.1>:<free port><subPath>. */
export async function serveStatic(
  root: string,
  subPath = '/some/sub/path/',
  host = '127.0.0.1',
): Promise<StaticSite> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(subPath)) {
      res.writeHead(404).end('outside the site');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(subPath.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(base, rel));
    if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${subPath}`,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
