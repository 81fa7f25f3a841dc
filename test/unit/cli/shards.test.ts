/**
 * SPEC 6 through the command, as a batch system runs it: shard processes writing
 * into one directory, then `merge`, compared value by value with a one-process run
 * of the same config; a shard killed mid-run and resumed; merge naming missing and
 * duplicated row groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { plain, readParquet, readRunDirectory, tabsynth } from '../compat/cli-run.ts';
import {
  chatCompletion,
  startOpenAIServer,
  type OpenAIServer,
} from '../../support/openai-server.ts';

const BIN = resolve(__dirname, '../../../bin/tabsynth.mjs');
const SLOW = { timeout: 300_000 };

/** Statistical columns, an expression, an llm column and seed columns (shuffled by global row). */
const config = (provider: string) => `
model_providers:
  - ${provider}
model_configs:
  - { alias: writer, model: demo-writer, provider: p, inference_parameters: { max_parallel_requests: 2 } }
seed_config:
  source: { seed_type: local, path: cities.csv }
  sampling_strategy: shuffle
columns:
  - { name: city, column_type: seed-dataset }
  - { name: zone, column_type: seed-dataset }
  - { name: price, column_type: sampler, sampler_type: uniform, params: { low: 1, high: 100 } }
  - { name: kind, column_type: sampler, sampler_type: category, params: { values: [lamp, mug, desk], weights: [3, 2, 1] } }
  - { name: visits, column_type: sampler, sampler_type: poisson, params: { mean: 4 } }
  - { name: label, column_type: expression, expr: "{{ kind }} in {{ city }} at {{ price | round(2) }}" }
  - { name: review, column_type: llm-text, model_alias: writer, prompt: "Review the {{ kind }} from {{ city }}." }
`;
const SIMULATED = '{ name: p, provider_type: simulated }';
const ROWS = ['--rows', '40', '--buffer-size', '4', '--seed', '11'];
/** `generate` of the simulated config as shard `spec`, into `out`. */
const shardArgs = (out: string, spec: string) => [
  'generate',
  file('sim.yaml'),
  ...ROWS,
  '--out',
  out,
  '--shard',
  spec,
];

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-shards-'));
  const cities = ['Oslo', 'Lima', 'Rome', 'Pune', 'Kyiv', 'Accra', 'Quito'];
  await writeFile(
    file('cities.csv'),
    `city,zone\n${cities.map((c, i) => `${c},${i}`).join('\n')}\n`,
  );
  await writeFile(file('sim.yaml'), config(SIMULATED));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `tabsynth ...` in a child process with extra environment variables. */
function start(env: Record<string, string>, ...args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolveDone) =>
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const rowsOf = async (path: string) => (await readParquet(path)).map((r) => plain(r));

describe('shards and merge', SLOW, () => {
  it('SPEC 6: three shard processes and merge give exactly the one-process dataset, value by value', async () => {
    const single = await tabsynth(
      'generate',
      file('sim.yaml'),
      ...ROWS,
      '--out',
      file('single.parquet'),
    );
    expect(single.code).toBe(0);
    const expected = await rowsOf(file('single.parquet'));
    expect(expected).toHaveLength(40);

    const shared = file('shared');
    const shards = await Promise.all([
      start({}, ...shardArgs(shared, '0/3')).done,
      start({}, ...shardArgs(shared, '1/3')).done,
      // As a Kubernetes Indexed Job runs it: the index from the environment.
      start({ JOB_COMPLETION_INDEX: '2' }, ...shardArgs(shared, 'auto/3')).done,
    ]);
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    expect(shards[2]!.stdout).toMatch(/shard 2 of 3 \(0-based\): 3 of 10 row groups/);
    expect(shards[0]!.stdout).toMatch(
      /model p\/demo-writer \(simulated\): up to 2 parallel requests from this shard, 6 from all 3 shards/,
    );
    const names = (await readdir(shared)).sort();
    expect(names.filter((n) => n.startsWith('manifest'))).toEqual([
      'manifest.shard-0-of-3.json',
      'manifest.shard-1-of-3.json',
      'manifest.shard-2-of-3.json',
    ]);
    expect(names.filter((n) => n.startsWith('part-'))).toHaveLength(10);

    const merged = await tabsynth('merge', shared, '--out', file('merged.parquet'));
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/merged 3 shards: 40 rows in 10 row groups/);
    expect(await rowsOf(file('merged.parquet'))).toEqual(expected);

    // Without --out: the combined manifest, and the directory reads as the same dataset.
    const combined = await tabsynth('merge', shared);
    expect(combined.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(shared, 'manifest.json'), 'utf8')) as {
      committed: { id: number }[];
      rowsWritten: number;
      status: string;
    };
    expect(manifest.committed.map((g) => g.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(manifest.rowsWritten).toBe(40);
    expect(manifest.status).toBe('complete');
    expect((await readRunDirectory(shared)).map((r) => plain(r))).toEqual(expected);
  });

  it('merge names missing row groups, duplicated ones and shards of another run; it writes nothing then', async () => {
    const shared = file('broken');
    for (const k of [0, 1, 2]) {
      const ran = await tabsynth(...shardArgs(shared, `${k}/3`));
      expect(ran.code).toBe(0);
    }
    await rm(join(shared, 'manifest.shard-1-of-3.json'));
    await copyFile(
      join(shared, 'manifest.shard-0-of-3.json'),
      join(shared, 'manifest.shard-0-of-1.json'),
    );
    const ran = await tabsynth('merge', shared, '--out', file('broken.parquet'));
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/missing row groups \(3 of 10\): 1, 4, 7/);
    expect(ran.stderr).toMatch(
      /row group 0 is duplicated: in manifest\.shard-0-of-1\.json and manifest\.shard-0-of-3\.json/,
    );
    expect(ran.stderr).toMatch(/row group 9 is duplicated/);
    await expect(readFile(file('broken.parquet'))).rejects.toThrow(/ENOENT/);
    expect((await readdir(shared)).includes('manifest.json')).toBe(false);

    // A shard of another seed is not part of this run.
    await rm(join(shared, 'manifest.shard-0-of-1.json'));
    const other = await tabsynth(
      'generate',
      file('sim.yaml'),
      '--rows',
      '40',
      '--buffer-size',
      '4',
      '--seed',
      '12',
      '--out',
      shared,
      '--shard',
      '1/3',
    );
    expect(other.code).toBe(0);
    const mixed = await tabsynth('merge', shared);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(
      /manifest\.shard-1-of-3\.json has configHash [\w-]+, manifest\.shard-0-of-3\.json has [\w-]+/,
    );
    expect(mixed.stderr).toMatch(/has seed 12, manifest\.shard-0-of-3\.json has 11/);
  });

  it('--shard auto without a batch index variable is an error naming all three', async () => {
    const env = {
      JOB_COMPLETION_INDEX: '',
      SLURM_ARRAY_TASK_ID: '',
      AWS_BATCH_JOB_ARRAY_INDEX: '',
    };
    const ran = await start(
      env,
      'generate',
      file('sim.yaml'),
      '--rows',
      '8',
      '--out',
      file('auto'),
      '--shard',
      'auto/2',
    ).done;
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(
      /JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX/,
    );
  });
});

describe('a shard killed mid-run', SLOW, () => {
  let server: OpenAIServer;
  /** While true, the server answers the first four requests (one row group) and holds the rest. */
  let holding = true;
  let answered = 0;

  beforeAll(async () => {
    server = await startOpenAIServer({
      handler: (req) => {
        if (holding && ++answered > 4) return { hang: true };
        const messages = (req.body?.['messages'] as { content: string }[] | undefined) ?? [];
        return { status: 200, body: chatCompletion(`about: ${messages.at(-1)?.content ?? ''}`) };
      },
    });
    await writeFile(
      file('http.yaml'),
      config(`{ name: p, endpoint: "${server.url}", provider_type: openai }`),
    );
    // One row group at a time, so the answered requests finish exactly the first group.
    await writeFile(file('one-group.yaml'), 'max_concurrent_row_groups: 1\n');
  });
  afterAll(async () => {
    await server.close();
  });

  it('3.8: resumed with --resume, it completes; merged, the shards equal the one-process run', async () => {
    const shared = file('killed');
    await mkdir(shared, { recursive: true });
    const args = [
      'generate',
      file('http.yaml'),
      ...ROWS,
      '--out',
      shared,
      '--run-config',
      file('one-group.yaml'),
    ];
    const manifestPath = join(shared, 'manifest.shard-1-of-3.json');

    // Kill shard 1 as soon as its manifest lists a committed group: its next group is held.
    const shard = start({}, ...args, '--shard', '1/3');
    await new Promise<void>((resolveCommitted) => {
      const watcher = watch(shared, () => {
        void readFile(manifestPath, 'utf8')
          .then((text) => {
            if ((JSON.parse(text) as { committed: unknown[] }).committed.length > 0) {
              watcher.close();
              resolveCommitted();
            }
          })
          .catch(() => undefined);
      });
    });
    shard.child.kill('SIGKILL');
    const killed = await shard.done;
    expect(killed.signal).toBe('SIGKILL');
    const partial = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      committed: { id: number }[];
      status: string;
    };
    expect(partial.status).toBe('running');
    expect(partial.committed.map((g) => g.id)).toEqual([1]);

    holding = false;
    const resumed = await start({}, ...args, '--shard', '1/3', '--resume').done;
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const k of [0, 2]) {
      const other = await start({}, ...args, '--shard', `${k}/3`).done;
      expect(other.code, other.stderr).toBe(0);
    }
    expect((await tabsynth('merge', shared, '--out', file('killed.parquet'))).code).toBe(0);

    const single = await start(
      {},
      'generate',
      file('http.yaml'),
      ...ROWS,
      '--out',
      file('http-single.parquet'),
    ).done;
    expect(single.code, single.stderr).toBe(0);
    const expected = await rowsOf(file('http-single.parquet'));
    expect(
      expected.every((r) =>
        String((r as { review: string }).review).startsWith('about: Review the'),
      ),
    ).toBe(true);
    expect(await rowsOf(file('killed.parquet'))).toEqual(expected);
  });
});
