/**
 * Issue 10, Data Designer's run settings and command line, through `main` as the
 * command runs it: --run-config, the resume modes, CSV and JSONL output, local seed
 * sources with a wildcard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readParquet, readRunDirectory, runMain, withoutProgress } from '../compat/cli-run.ts';

const SAMPLERS = `
columns:
  - { name: product, column_type: sampler, sampler_type: category, params: { values: [lamp, "mug, large", desk] } }
  - { name: price, column_type: sampler, sampler_type: uniform, params: { low: 1, high: 100 } }
  - { name: label, column_type: expression, expr: "{{ product }} at {{ price }}" }
`;

let dir: string;
const file = (name: string) => join(dir, name);

const run = runMain;

/** `generate CONFIG --rows ROWS --out OUT ...more`, CONFIG a file of the test folder. */
const generate = (config: string, rows: string, out: string, ...more: string[]) =>
  run('generate', file(config), '--rows', rows, '--out', out, ...more);

/** A config of seed columns city and zone read from `path`. */
const seeded = (path: string) => `seed_config:
  source: { seed_type: local, path: ${path} }
columns:
  - { name: city, column_type: seed-dataset }
  - { name: zone, column_type: seed-dataset }
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-settings-'));
  await writeFile(file('samplers.yaml'), SAMPLERS);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generate --run-config', () => {
  it("reads Data Designer's run config: buffer_size shapes the row groups; settings tabsynth does not implement are named in a warning", async () => {
    await writeFile(
      file('run.yaml'),
      'buffer_size: 4\nmax_in_flight_tasks: 16\nshutdown_error_window: 5\ndisplay_tui: false\nnon_inference_max_parallel_workers: 2\njinja_rendering_engine: native\nrequest_admission: { cooldown_seconds: 1 }\n',
    );
    const out = file('rc-dir');
    const ran = await generate('samplers.yaml', '10', out, '--run-config', file('run.yaml'));
    expect(ran.code).toBe(0);
    for (const name of ['non_inference_max_parallel_workers', 'jinja_rendering_engine']) {
      expect(ran.stderr).toMatch(new RegExp(`warning: .*run\\.yaml: ${name} is not implemented`));
    }
    // request_admission is honoured (issue 12), display_tui shapes progress: no warning for them.
    expect(ran.stderr).not.toMatch(
      /buffer_size|max_in_flight_tasks|shutdown_error_window|request_admission|display_tui/,
    );
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      bufferSize: number;
      committed: { rows: number }[];
    };
    expect(manifest.bufferSize).toBe(4);
    expect(manifest.committed.map((g) => g.rows)).toEqual([4, 4, 2]);
  });

  it('a bad value or an unknown key is an error naming the file and the field', async () => {
    await writeFile(file('bad-run.yaml'), 'buffer_size: 0\nbufer_size: 3\n');
    const ran = await generate(
      'samplers.yaml',
      '3',
      file('bad-rc'),
      '--run-config',
      file('bad-run.yaml'),
    );
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/bad-run\.yaml: buffer_size/);
    expect(ran.stderr).toMatch(/bad-run\.yaml: bufer_size.*unknown key/);
  });
});

describe('resume modes', () => {
  const args = (out: string, ...more: string[]) => [
    'generate',
    file('samplers.yaml'),
    '--rows',
    '6',
    '--buffer-size',
    '3',
    '--out',
    out,
    ...more,
  ];

  it('default never: a run already in the output is refused and names both resume modes', async () => {
    const out = file('never');
    expect((await run(...args(out))).code).toBe(0);
    const again = await run(...args(out));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a run.*--resume.*--resume if-possible/);
  });

  it('--resume (always) with no run to continue is an error', async () => {
    const ran = await run(...args(file('always-none')), '--resume');
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/--resume: expected a run to continue/);
  });

  it('--resume (always) with a changed config is refused', async () => {
    const out = file('always-changed');
    expect((await run(...args(out, '--seed', '1'))).code).toBe(0);
    const ran = await run(...args(out, '--seed', '2'), '--resume');
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/RUN_CONFIG_CHANGED/);
  });

  it('--resume if-possible continues a matching run and starts a changed one fresh, saying so', async () => {
    const out = file('if-possible');
    expect((await run(...args(out, '--seed', '1'), '--resume', 'if-possible')).code).toBe(0);
    const first = await readRunDirectory(out);
    const same = await run(...args(out, '--seed', '1'), '--resume', 'if-possible');
    expect(same.code).toBe(0);
    expect(withoutProgress(same.stderr)).toBe('');
    expect(await readRunDirectory(out)).toEqual(first);

    const changed = await run(...args(out, '--seed', '2'), '--resume=if-possible');
    expect(changed.code).toBe(0);
    expect(changed.stderr).toMatch(/cannot resume the run in .*; starting fresh/);
    const fresh = await readRunDirectory(out);
    expect(fresh).toHaveLength(6);
    expect(fresh).not.toEqual(first);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      seed: number;
    };
    expect(manifest.seed).toBe(2);
  });
});

describe('resume modes and side tables', () => {
  it('--resume if-possible starting fresh removes the old run, its dropped-columns parts included', async () => {
    await writeFile(
      file('dropping.yaml'),
      `${SAMPLERS}  - { name: secret, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 1 }, drop: true }\n`,
    );
    const out = file('fresh-side');
    const gen = (rows: string, seed: string) =>
      run(
        'generate',
        file('dropping.yaml'),
        '--rows',
        rows,
        '--buffer-size',
        '3',
        '--seed',
        seed,
        '--out',
        out,
        '--resume',
        'if-possible',
      );
    expect((await gen('6', '1')).code).toBe(0);
    expect((await readdir(join(out, 'dropped-columns'))).sort()).toEqual([
      'part-00000.parquet',
      'part-00001.parquet',
    ]);
    const fresh = await gen('3', '2');
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toMatch(/starting fresh/);
    expect((await readdir(out)).filter((n) => n.startsWith('part-'))).toEqual([
      'part-00000.parquet',
    ]);
    expect(await readdir(join(out, 'dropped-columns'))).toEqual(['part-00000.parquet']);
  });
});

describe('generate --out FILE.parquet, written while the run runs', () => {
  it('3.8 a resumed run splices the groups of both sessions into one file equal to an uninterrupted run', async () => {
    const args = ['--buffer-size', '3', '--seed', '9'];
    expect((await generate('samplers.yaml', '8', file('whole.parquet'), ...args)).code).toBe(0);
    // The state a stopped run leaves: its run directory, one group short.
    const runDir = file('resumed.parquet.run');
    expect((await generate('samplers.yaml', '8', runDir, ...args)).code).toBe(0);
    const manifestPath = join(runDir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      committed: { id: number; rows: number }[];
      rowsWritten: number;
      status: string;
    };
    manifest.committed = manifest.committed.filter((g) => g.id !== 1);
    manifest.rowsWritten -= 3;
    manifest.status = 'cancelled';
    await writeFile(manifestPath, JSON.stringify(manifest));
    await rm(join(runDir, 'part-00001.parquet'));

    const resumed = await generate(
      'samplers.yaml',
      '8',
      file('resumed.parquet'),
      ...args,
      '--resume',
    );
    expect(resumed.code).toBe(0);
    expect(await readParquet(file('resumed.parquet'))).toEqual(
      await readParquet(file('whole.parquet')),
    );
    expect((await readdir(dir)).includes('resumed.parquet.run')).toBe(false);
  });
});

describe('generate --out FILE.csv and FILE.jsonl', () => {
  it('write the same rows as the directory output, in row order', async () => {
    const to = (out: string) =>
      generate('samplers.yaml', '7', out, '--buffer-size', '3', '--seed', '5');
    expect((await to(file('ref'))).code).toBe(0);
    const rows = await readRunDirectory(file('ref'));

    expect((await to(file('data.jsonl'))).code).toBe(0);
    const jsonl = (await readFile(file('data.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(jsonl.map((l) => JSON.parse(l) as unknown)).toEqual(rows);

    expect((await to(file('data.csv'))).code).toBe(0);
    const csv = (await readFile(file('data.csv'), 'utf8')).split('\r\n');
    expect(csv[0]).toBe('product,price,label');
    expect(csv).toHaveLength(1 + 7 + 1);
    const expected = rows.map(
      (r) => `${quote(String(r['product']))},${String(r['price'])},${quote(String(r['label']))}`,
    );
    expect(csv.slice(1, 8)).toEqual(expected);
    // Their run directories are gone once the files are complete.
    expect((await readdir(dir)).filter((n) => /^data\.(csv|jsonl)\.run$/.test(n))).toEqual([]);
  });
});

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

describe('seed source with a wildcard', () => {
  it('data/*.csv reads every matching file in name order as one dataset', async () => {
    await mkdir(file('seeds'), { recursive: true });
    await writeFile(file('seeds/b.csv'), 'city,zone\nOslo,2\nLima,3\n');
    await writeFile(file('seeds/a.csv'), 'city,zone\nRome,1\n');
    await writeFile(file('seeds/c.txt'), 'not a seed');
    await writeFile(file('seeded.yaml'), seeded('seeds/*.csv'));
    const ran = await generate('seeded.yaml', '4', file('seeded.parquet'));
    expect(withoutProgress(ran.stderr)).toBe('');
    expect(ran.code).toBe(0);
    const rows = await readParquet(file('seeded.parquet'));
    expect(rows.map((r) => r['city'])).toEqual(['Rome', 'Oslo', 'Lima', 'Rome']);
  });

  it('a wildcard that matches nothing is an error naming the path', async () => {
    await writeFile(file('unmatched.yaml'), seeded('seeds/*.parquet'));
    const ran = await run('validate', file('unmatched.yaml'));
    expect(ran.code).toBe(0);
    const gen = await generate('unmatched.yaml', '2', file('u.parquet'));
    expect(gen.code).toBe(1);
    expect(gen.stderr).toMatch(
      /seed path 'seeds\/\*\.parquet': expected at least one file matching it/,
    );
  });
});
