/**
 * `tabsynth serve [--port N] [--dist DIR]`: the built app on 127.0.0.1 with its model
 * relay (src/node/relay-server.ts), until Ctrl-C. A tab opened at the printed URL
 * sends its model requests through the relay: no six-connection limit on http://
 * endpoints, and endpoints without CORS headers (NVIDIA's hosted API) are reachable.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SERVE_PORT, startRelayServer, type RelayServer } from '../node/relay-server.ts';
import type { Output } from './output.ts';

export const SERVE_USAGE = `usage: tabsynth serve [--port ${DEFAULT_SERVE_PORT}] [--dist DIR]

Serves the built app (DIR, default the package's dist/; \`npm run build\` makes it) on
127.0.0.1 with a model relay: the tab's model requests go through it, from Node.`;

/** The package's built app. */
const PACKAGE_DIST = fileURLToPath(new URL('../../dist', import.meta.url));

export interface ServeHooks {
  /** Resolves when the server should stop. Default: the first Ctrl-C (SIGINT) or SIGTERM. */
  stopped?: (server: RelayServer) => Promise<void>;
}

/** Runs `serve` with its arguments (after the verb); resolves to the exit code once stopped. */
export async function serveCommand(
  argv: readonly string[],
  output: Output,
  hooks: ServeHooks = {},
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { port: { type: 'string' }, dist: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (err) {
    output.err(`serve: ${(err as Error).message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (values.help) {
    output.out(SERVE_USAGE);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_SERVE_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port > 65535) {
    output.err(`serve --port: expected an integer from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  const root = values.dist === undefined ? PACKAGE_DIST : resolve(values.dist);
  if (!existsSync(join(root, 'index.html'))) {
    output.err(
      `serve: expected the built app at ${root} (index.html), found none: run \`npm run build\` first`,
    );
    return 1;
  }
  let server: RelayServer;
  try {
    server = await startRelayServer({ root, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    output.err(
      code === 'EADDRINUSE'
        ? `serve: port ${port} on 127.0.0.1 is taken: choose another with --port`
        : `serve: could not listen on 127.0.0.1:${port}: ${(err as Error).message}`,
    );
    return 1;
  }
  output.out(`tabsynth: the app and its model relay at ${server.url} (Ctrl-C stops)`);
  await (hooks.stopped ?? untilSignal)(server);
  await server.close();
  return 0;
}

function untilSignal(): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
