/**
 * SPEC 2 in Node's directory store: `tabsynth generate --simulate` into a directory
 * gives the same values as the engine in process, whatever --buffer-size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain, readRunDirectory, tabsynth } from '../compat/cli-run.ts';
import { fixturePath, runFixture } from '../compat/run-fixture.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-determinism-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SPEC 2 the CLI directory store holds the in-process values', () => {
  for (const name of ['seeding-with-a-dataset', 'product-info-qa']) {
    it(`${name}: --buffer-size 7 and 40 on disk equal buffer_size 100 in memory`, async () => {
      const rows = 40;
      const expected = await runFixture(name, {
        overrides: { numRecords: rows, seed: 21, bufferSize: 100 },
      });
      for (const bufferSize of [7, 40]) {
        const out = join(dir, `${name}-${bufferSize}`);
        const ran = await tabsynth(
          'generate',
          fixturePath(name),
          '--rows',
          String(rows),
          '--seed',
          '21',
          '--buffer-size',
          String(bufferSize),
          '--out',
          out,
          '--simulate',
        );
        expect(ran.code, ran.stderr).toBe(0);
        const onDisk = await readRunDirectory(out);
        // Nested values come back from Parquet as JSON text (SPEC 4's fallback); compare them parsed.
        expect(onDisk.map((r) => plain(r, true))).toEqual(expected.rows.map((r) => plain(r, true)));
      }
    }, 120_000);
  }
});
