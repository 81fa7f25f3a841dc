#!/usr/bin/env node
// `npm run bench -- NAME [args]`: runs bench/NAME.bench.ts in Node (through tsx),
// with --expose-gc so a benchmark can measure heap. Each prints a readable table
// and, as its last line, one JSON object with its figures. Benchmarks never fail on time.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- NAME\n  NAME: one of ${names.join(', ')}`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  [
    '--expose-gc',
    '--max-old-space-size=8192',
    '--import',
    'tsx',
    join(here, `${name}.bench.ts`),
    ...args,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
