#!/usr/bin/env node
// The headless command. Runs the build in dist-cli/ (made by `npm ci` through the
// `prepare` script: no TypeScript is compiled at launch). In a working tree whose
// sources are newer than that build, or with no build, it runs the TypeScript
// sources through tsx instead, so an edit is never shadowed by a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist-cli', 'tabsynth.mjs');

/** Newest modification time of the .ts files under src/, or 0 when there are none. */
function newestSource() {
  const src = join(root, 'src');
  if (!existsSync(src)) return 0;
  let newest = 0;
  for (const name of readdirSync(src, { recursive: true })) {
    if (typeof name === 'string' && name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(join(src, name)).mtimeMs);
    }
  }
  return newest;
}

let entry = built;
if (!existsSync(built) || statSync(built).mtimeMs < newestSource()) {
  // tsx is a dev dependency: a production install runs the build and never gets here.
  const tsx = await import('tsx/esm/api').catch(() => undefined);
  if (tsx) {
    tsx.register();
    entry = join(root, 'src', 'cli', 'main.ts');
  } else if (!existsSync(built)) {
    process.stderr.write(
      `tabsynth: expected the built command in ${built}, found none (and no tsx to run the sources); build it with: npm run build:cli\n`,
    );
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
