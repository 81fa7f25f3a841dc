/**
 * Bad input to the headless command: each case is something a user can type or leave
 * on disk, and the command must answer with a catalogued `error [CODE]: ...` naming
 * the thing, an exit code that says it failed, and no committed rows lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tabsynth } from '../compat/cli-run.ts';

const SAMPLERS = `
columns:
  - { name: product, column_type: sampler, sampler_type: category, params: { values: [lamp, mug, desk] } }
  - { name: price, column_type: sampler, sampler_type: uniform, params: { low: 1, high: 100 } }
`;

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-bad-input-'));
  await writeFile(file('samplers.yaml'), SAMPLERS);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each case starts Node and tsx (seconds on a busy machine): a generous cap, not a timing check.
const SLOW = { timeout: 120_000 };

/** `generate samplers.yaml --rows 5 --out OUT ...more`. */
const generate = (out: string, ...more: string[]) =>
  tabsynth('generate', file('samplers.yaml'), '--rows', '5', '--out', out, ...more);

/** stderr's lines that are not progress lines. */
const errors = (stderr: string) =>
  stderr.split('\n').filter((l) => l !== '' && !l.startsWith('progress'));

describe('generate --trace', SLOW, () => {
  it('a directory as the trace file is STORE_IO naming --trace, before any run is written (not a crash with a stack)', async () => {
    await mkdir(file('trace-dir'));
    const out = file('trace-out');
    const ran = await generate(out, '--trace', file('trace-dir'));
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(/^error \[STORE_IO\]: --trace .*trace-dir: expected a file .*EISDIR/),
    ]);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('a trace path under a file is STORE_IO naming --trace, not an `error:` with a stack', async () => {
    await writeFile(file('plain-file'), 'x');
    const ran = await generate(
      file('trace-out-2'),
      '--trace',
      join(file('plain-file'), 'trace.jsonl'),
    );
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(/^error \[STORE_IO\]: --trace .*plain-file\/trace\.jsonl: /),
    ]);
  });
});
