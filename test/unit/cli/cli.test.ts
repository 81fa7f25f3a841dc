/**
 * The headless command, run as a user runs it: `node bin/tabsynth.mjs ...` in a
 * child process, checking what it prints and its exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { tabsynth, tabsynthWithFileLimit, withoutProgress } from '../compat/cli-run.ts';

const SAMPLERS = `
columns:
  - name: product
    column_type: sampler
    sampler_type: category
    params: { values: [lamp, mug, desk] }
  - name: price
    column_type: sampler
    sampler_type: uniform
    params: { low: 1, high: 100 }
  - name: label
    column_type: expression
    expr: "{{ product }} at {{ price }}"
`;

const WITH_LLM = `
model_providers:
  - name: simulated
    provider_type: simulated
model_configs:
  - alias: writer
    model: demo-writer
    provider: simulated
columns:
  - name: product
    column_type: sampler
    sampler_type: category
    params: { values: [lamp, mug, desk] }
  - name: review
    column_type: llm-text
    model_alias: writer
    prompt: "Write a one-line review of a {{ product }}."
`;

const BROKEN = `
columns:
  - name: price
    column_type: sampler
    sampler_type: uniform
    params: { low: 1 }
  - name: label
    column_type: expression
    expr: "{{ missing_column }}"
`;

let dir: string;
const file = (name: string) => join(dir, name);
const toArrayBuffer = (b: Buffer) =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-cli-'));
  await writeFile(file('samplers.yaml'), SAMPLERS);
  await writeFile(file('llm.yaml'), WITH_LLM);
  await writeFile(file('broken.yaml'), BROKEN);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each case starts Node and tsx (seconds on a busy machine): a generous cap, not a timing check.
const SLOW = { timeout: 120_000 };

describe('tabsynth validate', SLOW, () => {
  it('a valid config prints "ok" and the column order, exit 0', async () => {
    const ran = await tabsynth('validate', file('samplers.yaml'));
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^ok\ncolumns: .*product.*price.*label/);
  });

  it('1 validation: an invalid config prints every problem with its path, exit 1', async () => {
    const ran = await tabsynth('validate', file('broken.yaml'));
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/columns\[0\]\.params\.high/);
    expect(ran.stdout).toMatch(/missing_column/);
  });

  it('a missing config file is an error naming the path, exit 1', async () => {
    const ran = await tabsynth('validate', file('nope.yaml'));
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('nope.yaml');
  });

  it('a bad command line prints usage, exit 2', async () => {
    const ran = await tabsynth('frobnicate', file('samplers.yaml'));
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/unknown command "frobnicate"[\s\S]*usage:/);
  });
});

describe('tabsynth preview and generate', SLOW, () => {
  it('preview prints a table of -n rows', async () => {
    const ran = await tabsynth('preview', file('samplers.yaml'), '-n', '4', '--seed', '3');
    expect(ran.code).toBe(0);
    const lines = ran.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/product\s*\| price\s*\| label/);
    expect(lines).toHaveLength(2 + 4);
  });

  it('generate --simulate with an llm-text column writes one Parquet file with every row', async () => {
    const out = file('reviews.parquet');
    const ran = await tabsynth(
      'generate',
      file('llm.yaml'),
      '--rows',
      '25',
      '--buffer-size',
      '10',
      '--out',
      out,
      '--simulate',
      '--seed',
      '1',
    );
    expect(withoutProgress(ran.stderr)).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/wrote 25 of 25 rows/);
    // stderr is a pipe here, as in a pod's log: progress is plain lines, the last one final.
    expect(ran.stderr).not.toContain('\r');
    expect(ran.stderr.trim().split('\n').at(-1)).toMatch(
      /^progress done: 25 \/ 25 rows \(100%\), [\d.]+ rows\/s, 0 requests in flight, \d+ cells done, elapsed /,
    );
    const bytes = toArrayBuffer(await readFile(out));
    expect(parquetMetadata(bytes).row_groups.map((g) => g.num_rows)).toEqual([10n, 10n, 5n]);
    const rows = await parquetReadObjects({ file: bytes, compressors });
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => typeof r['review'] === 'string' && r['review'].length > 0)).toBe(true);
    // The run directory is gone once the file is complete.
    expect((await readdir(dir)).filter((n) => n.startsWith('reviews.parquet.'))).toEqual([]);
  });

  it('generate into a directory writes a part per row group plus manifest.json; rerun needs --resume', async () => {
    const out = file('run-dir');
    const ran = await tabsynth(
      'generate',
      file('samplers.yaml'),
      '--rows',
      '7',
      '--buffer-size',
      '3',
      '--out',
      out,
    );
    expect(ran.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'manifest.json',
      'part-00000.parquet',
      'part-00001.parquet',
      'part-00002.parquet',
    ]);
    const again = await tabsynth(
      'generate',
      file('samplers.yaml'),
      '--rows',
      '7',
      '--buffer-size',
      '3',
      '--out',
      out,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a run.*--resume/);
  });

  it('3.8 --resume continues a run whose last row group was never committed', async () => {
    const out = file('resumed');
    const args = [
      'generate',
      file('samplers.yaml'),
      '--rows',
      '7',
      '--buffer-size',
      '3',
      '--out',
      out,
    ];
    expect((await tabsynth(...args)).code).toBe(0);
    const whole = await readFile(join(out, 'part-00002.parquet'));
    // As if the run had stopped before committing group 2.
    const manifestPath = join(out, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      committed: { id: number; rows: number }[];
      rowsWritten: number;
      status: string;
    };
    manifest.committed = manifest.committed.filter((g) => g.id !== 2);
    manifest.rowsWritten = 6;
    manifest.status = 'cancelled';
    await writeFile(manifestPath, JSON.stringify(manifest));
    await rm(join(out, 'part-00002.parquet'));

    const resumed = await tabsynth(...args, '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/wrote 7 of 7 rows/);
    const rows = (b: Buffer) => parquetReadObjects({ file: toArrayBuffer(b), compressors });
    expect(await rows(await readFile(join(out, 'part-00002.parquet')))).toEqual(await rows(whole));
  });

  // A file-size limit (ulimit -f) stands in for a disk that fills: the parts, each
  // one row group, fit under it; the one file of all of them does not.
  it.runIf(process.platform === 'linux')(
    'a .parquet file the disk cannot take fails with the error, leaves no partial file, keeps the rows; --resume then writes it',
    async () => {
      const out = file('full-disk.parquet');
      const args = ['generate', file('samplers.yaml'), '--rows', '4000', '--buffer-size', '500'];
      const args1 = [...args, '--seed', '4', '--out', out];
      const full = await tabsynthWithFileLimit(24, ...args1);
      expect(full.code).toBe(1);
      expect(withoutProgress(full.stderr).trim()).toMatch(
        /^error \[STORE_IO\]: cannot write .*full-disk\.parquet: EFBIG/,
      );
      expect(full.stdout).toContain(
        `kept 4000 committed rows in ${out}.run; once ${out} can be written, run the same command with --resume to write it`,
      );
      const left = (await readdir(dir)).filter((n) => n.includes('full-disk'));
      expect(left).toEqual(['full-disk.parquet.run']);

      const resumed = await tabsynth(...args1, '--resume');
      expect(resumed.code).toBe(0);
      const whole = file('whole-disk.parquet');
      expect((await tabsynth(...args, '--seed', '4', '--out', whole)).code).toBe(0);
      expect(await readFile(out)).toEqual(await readFile(whole));
      expect((await readdir(dir)).filter((n) => n.includes('full-disk'))).toEqual([
        'full-disk.parquet',
      ]);
    },
  );
});
