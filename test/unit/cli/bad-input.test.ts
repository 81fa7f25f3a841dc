/**
 * Bad input to the headless command: each case is something a user can type or leave
 * on disk, and the command must answer with a catalogued `error [CODE]: ...` naming
 * the thing, an exit code that says it failed, and no committed rows lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIN,
  isProgressLine,
  readParquet,
  readRunDirectory,
  runMain,
  tabsynth,
} from '../compat/cli-run.ts';

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

const run = runMain;

/** `generate samplers.yaml` of 20 rows in groups of 5 into `out`. */
const generate20 = (out: string, ...more: string[]) =>
  run(
    'generate',
    file('samplers.yaml'),
    '--rows',
    '20',
    '--buffer-size',
    '5',
    '--out',
    out,
    ...more,
  );

/** generate20 of shard `k` (K/COUNT). */
const generateShard = (out: string, k: string, ...more: string[]) =>
  generate20(out, '--shard', k, ...more);

/** `generate samplers.yaml --rows 5 --run-config PATH`. */
const withRunConfig = (path: string) =>
  run(
    'generate',
    file('samplers.yaml'),
    '--rows',
    '5',
    '--out',
    file('rc-out'),
    '--run-config',
    path,
  );

/** stderr's lines that are not progress lines. */
const errors = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && !isProgressLine(l));

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

  it("--trace the --out file, or the run directory's manifest, is refused: the trace was lost under the rows, or the run read it as a damaged manifest", async () => {
    const jsonl = file('both.jsonl');
    const same = await generate(jsonl, '--trace', jsonl);
    expect(same.code).toBe(1);
    expect(errors(same.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: --trace .*both\.jsonl: expected a file apart from the run's output, found the --out file/,
      ),
    ]);
    const runDir = file('trace-in-run');
    const manifest = await generate(runDir, '--trace', join(runDir, 'manifest.json'));
    expect(manifest.code).toBe(1);
    expect(errors(manifest.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: --trace .*manifest\.json: .*found one of the files the run writes/,
      ),
    ]);
    // A trace of another name beside the parts is fine.
    expect((await generate(runDir, '--trace', join(runDir, 'trace.jsonl'))).code).toBe(0);
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

describe('generate --resume over a damaged run directory', () => {
  /** A complete run of 20 rows in 4 groups in `out`, and its rows. */
  async function completeRun(out: string) {
    const args = ['generate', file('samplers.yaml'), '--rows', '20', '--buffer-size', '5'];
    expect((await run(...args, '--out', out)).code).toBe(0);
    return { args, rows: await readRunDirectory(out) };
  }

  it('a part file listed in the manifest that is missing or not Parquet is named in a warning and generated again: all 20 rows are there, not "wrote 20 of 20" over 10', async () => {
    const out = file('damaged-dir');
    const { args, rows } = await completeRun(out);
    await rm(join(out, 'part-00001.parquet'));
    await writeFile(join(out, 'part-00002.parquet'), 'junk');
    const ran = await run(...args, '--out', out, '--resume');
    expect(ran.code).toBe(0);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(
        /^warning: .*row group 1 .*part-00001\.parquet is missing; generating it again$/,
      ),
      expect.stringMatching(
        /^warning: .*row group 2 .*part-00002\.parquet is 4 bytes.*; generating it again$/,
      ),
    ]);
    expect(await readRunDirectory(out)).toEqual(rows);
  });

  it('with --out FILE.parquet, a damaged part in FILE.parquet.run is generated again and the file written, not an `error:` with a stack', async () => {
    const out = file('damaged.parquet');
    const { args, rows } = await completeRun(file('damaged-source'));
    await cp(file('damaged-source'), `${out}.run`, { recursive: true });
    await writeFile(join(`${out}.run`, 'part-00003.parquet'), 'PAR1 cut short');
    const ran = await run(...args, '--out', out, '--resume');
    expect(ran.stderr).not.toMatch(/^error/m);
    expect(ran.code).toBe(0);
    expect(await readParquet(out)).toEqual(rows);
  });
});

describe('merge over a damaged part file', () => {
  it('a shard part that is not Parquet is named with the shard to resume, nothing is written; once resumed, the merge joins every row', async () => {
    const out = file('shards');
    const shard = (k: number, ...more: string[]) => generateShard(out, `${k}/2`, ...more);
    expect((await shard(0)).code).toBe(0);
    expect((await shard(1)).code).toBe(0);
    const rows = await readRunDirectory(out);
    await writeFile(join(out, 'part-00002.parquet'), 'junk');

    const merged = file('shards.parquet');
    const refused = await run('merge', out, '--out', merged);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /manifest\.shard-0-of-2\.json lists row group 2 but part-00002\.parquet is 4 bytes.*--shard 0\/2 --resume/,
    );
    expect(refused.stderr).not.toMatch(/^error: /m);
    await expect(readdir(merged)).rejects.toThrow(/ENOENT/);

    expect((await shard(0, '--resume')).code).toBe(0);
    expect((await run('merge', out, '--out', merged)).code).toBe(0);
    expect(await readParquet(merged)).toEqual(rows);
  });
});

describe('--out that cannot become what it names', () => {
  it('generate --out NAME.parquet over a directory is refused before the run, not after it with the rows left behind', async () => {
    const out = file('taken.parquet');
    await mkdir(out);
    const ran = await run('generate', file('samplers.yaml'), '--rows', '5', '--out', out);
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: --out .*taken\.parquet: expected a file .*found a directory$/,
      ),
    ]);
    await expect(readdir(`${out}.run`)).rejects.toThrow(/ENOENT/);
  });

  it('generate --out DIR over a file, or under one, names the file, not "cannot read .../manifest.json: ENOTDIR"', async () => {
    await writeFile(file('notes.txt'), 'mine');
    for (const [out, found] of [
      [file('notes.txt'), 'found a file$'],
      [
        join(file('notes.txt'), 'run'),
        `found a file at ${file('notes.txt')}, where a folder must be$`,
      ],
    ] as const) {
      const ran = await run('generate', file('samplers.yaml'), '--rows', '5', '--out', out);
      expect(ran.code).toBe(1);
      expect(errors(ran.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(`^error \\[INVALID_ARGUMENT\\]: --out .*expected a directory .*${found}`),
        ),
      ]);
    }
  });

  it('merge --out under a file is refused before DIR is touched, not an `error:` with a stack', async () => {
    const shards = file('merge-out-shards');
    for (const k of [0, 1]) {
      const ran = await run(
        'generate',
        file('samplers.yaml'),
        '--rows',
        '10',
        '--buffer-size',
        '5',
        '--shard',
        `${k}/2`,
        '--out',
        shards,
      );
      expect(ran.code).toBe(0);
    }
    await writeFile(file('plain'), 'x');
    const ran = await run('merge', shards, '--out', join(file('plain'), 'all.parquet'));
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: merge --out .*all\.parquet: expected a file, found a file at .*plain, where a folder must be$/,
      ),
    ]);
    expect(await readdir(shards)).not.toContain('manifest.json');
  });
});

describe('generate --run-config', () => {
  it('a run-config file that does not parse is named in the error, not "(root): YAML syntax error" as if the config were at fault', async () => {
    await writeFile(file('broken-run.yaml'), 'buffer_size: [\n');
    const ran = await withRunConfig(file('broken-run.yaml'));
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      'error [CONFIG_SYNTAX]: config has 1 problem',
      expect.stringMatching(/^ {2}.*broken-run\.yaml: YAML syntax error at line/),
    ]);
  });

  it('a directory as the run-config file is named as the run config', async () => {
    await mkdir(file('run-config-dir'));
    const ran = await withRunConfig(file('run-config-dir'));
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(/^error \[STORE_IO\]: cannot read run config .*run-config-dir: EISDIR/),
    ]);
  });
});

describe('shards of two different splits in one directory', () => {
  it('generate --shard K/3 into a directory of shards of 2 is refused before the run, not left for merge to find row groups missing', async () => {
    const out = file('mixed-split');
    const shard = (k: string) => generateShard(out, k);
    expect((await shard('0/2')).code).toBe(0);
    const refused = await shard('1/3');
    expect(refused.code).toBe(1);
    expect(errors(refused.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: --shard 1\/3: expected the shards in .*mixed-split to be of 3, found manifest\.shard-0-of-2\.json/,
      ),
    ]);
    expect(await readdir(out)).not.toContain('manifest.shard-1-of-3.json');
  });
});

describe('--resume with a word that is not a mode', () => {
  it('"--resume latest" says the word was read as a second CONFIG and what --resume takes, not only "got 2"', async () => {
    const ran = await run(
      'generate',
      file('samplers.yaml'),
      '--rows',
      '5',
      '--out',
      file('rs'),
      '--resume',
      'latest',
    );
    expect(ran.code).toBe(2);
    expect(ran.stderr.split('\n')[0]).toBe(
      'generate: expected exactly one CONFIG path, got 2 ("latest" after --resume was read as one: --resume takes nothing, if-possible, always or never)',
    );
  });
});

describe("--out a directory whose manifest.json is another program's", () => {
  it('a web app\'s manifest.json is named as not a run manifest, not "is damaged", and is left as it was', async () => {
    const out = file('web-app');
    await mkdir(out);
    const theirs = '{"name":"My App","icons":[]}\n';
    await writeFile(join(out, 'manifest.json'), theirs);
    const ran = await run('generate', file('samplers.yaml'), '--rows', '5', '--out', out);
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(
        /^error \[STORE_DAMAGED\]: .*web-app\/manifest\.json: expected a tabsynth run manifest, found JSON with none of its fields .*write the run to another directory$/,
      ),
    ]);
    expect(await readFile(join(out, 'manifest.json'), 'utf8')).toBe(theirs);
  });
});

describe('a seed wildcard', () => {
  it('a folder whose name matches the wildcard is not read as a seed file (it was EISDIR, the run refused)', async () => {
    const seeds = file('seeds');
    await mkdir(join(seeds, 'old.csv'), { recursive: true });
    await writeFile(join(seeds, 'a.csv'), 'city,zone\nOslo,1\n');
    await writeFile(
      file('seeded.yaml'),
      'seed_config:\n  source: { seed_type: local, path: "seeds/*.csv" }\ncolumns:\n  - { name: city, column_type: seed-dataset }\n',
    );
    const ran = await run('preview', file('seeded.yaml'), '-n', '2');
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout.split('\n').slice(2)).toEqual(['Oslo', 'Oslo']);
  });
});

describe('a run with --shard and one without in one directory', () => {
  it('a run without --shard into a directory of shards is refused: it overwrote their part files, and merge then joined the wrong rows', async () => {
    const out = file('shards-then-one');
    for (const k of ['0/2', '1/2']) expect((await generateShard(out, k)).code).toBe(0);
    const rows = await readRunDirectory(out);
    const ran = await run(
      'generate',
      file('samplers.yaml'),
      '--rows',
      '8',
      '--buffer-size',
      '2',
      '--out',
      out,
    );
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: .*shards-then-one holds shards of a run \(manifest\.shard-0-of-2\.json, manifest\.shard-1-of-2\.json\): a run without --shard would overwrite/,
      ),
    ]);
    expect(await readRunDirectory(out)).toEqual(rows);
  });

  it('a shard into the directory of a run made without --shard is refused, its part files kept', async () => {
    const out = file('one-then-shard');
    expect((await generate20(out)).code).toBe(0);
    const rows = await readRunDirectory(out);
    const ran = await generateShard(out, '0/2', '--seed', '9');
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: --shard 0\/2: .*one-then-shard holds a run made without --shard/,
      ),
    ]);
    expect(await readRunDirectory(out)).toEqual(rows);
  });
});

describe('rows too many for one row group', () => {
  it('preview -n 1e11 and generate --buffer-size 5e9 are refused naming the flag and the limit, not INTERNAL "Invalid typed array length"', async () => {
    const preview = await run('preview', file('samplers.yaml'), '-n', '100000000000');
    expect(preview.code).toBe(2);
    expect(preview.stderr).toMatch(
      /^preview -n: expected at most 10000000 rows .*got 100000000000/,
    );
    const out = join(dir, 'huge');
    const gen = await run(
      'generate',
      file('samplers.yaml'),
      '--rows',
      '5000000000',
      '--buffer-size',
      '5000000000',
      '--out',
      out,
    );
    expect(gen.code).toBe(1);
    expect(gen.stderr).toMatch(
      /error \[INVALID_ARGUMENT\]: run setting buffer_size: expected row groups of at most 10000000 rows/,
    );
    expect(gen.stderr).not.toMatch(/INTERNAL/);
  });
});

describe('generate --progress-interval', SLOW, () => {
  it('an interval past the longest timer (1e10 s) means no line until the end, not a line and a TimeoutOverflowWarning on every update', async () => {
    const ran = await tabsynth(
      'generate',
      file('samplers.yaml'),
      '--rows',
      '5000',
      '--buffer-size',
      '100',
      '--out',
      file('long-interval'),
      '--progress-interval',
      '1e10',
    );
    expect(ran.code).toBe(0);
    expect(ran.stderr).not.toMatch(/TimeoutOverflowWarning/);
    expect(ran.stderr.split('\n').filter((l) => l.startsWith('progress:'))).toHaveLength(1);
  });
});

describe('a config file that is not UTF-8', () => {
  it('a config saved as UTF-16 with a byte-order mark (a Windows editor) is read, not "expected a config object, found a long string"', async () => {
    const text = `\ufeff${SAMPLERS}`;
    const utf16 = Buffer.alloc(text.length * 2);
    for (let i = 0; i < text.length; i++) utf16.writeUInt16LE(text.charCodeAt(i), i * 2);
    await writeFile(file('utf16.yaml'), utf16);
    const ran = await run('validate', file('utf16.yaml'));
    expect(ran.stdout).toBe('ok\ncolumns: product, price');
    expect(ran.code).toBe(0);
  });

  it('a JSON config with a UTF-8 byte-order mark is read, not a JSON syntax error', async () => {
    await writeFile(
      file('bom.json'),
      '\ufeff{"columns":[{"name":"id","column_type":"sampler","sampler_type":"uuid"}]}',
    );
    const ran = await run('validate', file('bom.json'));
    expect(ran.stdout).toBe('ok\ncolumns: id');
  });

  it('binary junk as a run config is CONFIG_SYNTAX naming the file and the encoding', async () => {
    await writeFile(file('junk.yaml'), Buffer.from([0x80, 0xff, 0x00, 0xc3, 0x28, 0x0a]));
    const ran = await withRunConfig(file('junk.yaml'));
    expect(ran.code).toBe(1);
    expect(errors(ran.stderr)).toEqual([
      'error [CONFIG_SYNTAX]: config has 1 problem',
      expect.stringMatching(
        /^ {2}.*junk\.yaml: expected a run config in UTF-8 text .*found bytes that are not UTF-8 text$/,
      ),
    ]);
  });
});

describe('a reader that stops reading', SLOW, () => {
  it('preview | head: once stdout is closed, the rest is dropped and the command exits 0, not a crash on an unhandled EPIPE', async () => {
    // More rows than a pipe holds, so the command is still writing when the reader goes.
    const child = spawn(process.execPath, [BIN, 'preview', file('samplers.yaml'), '-n', '50000']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'close')) as [number | null];
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});

describe('--resume with other settings than the run', () => {
  it('--resume with another --rows names it and the run\'s, before any work, not "the config changed" after a failed run', async () => {
    const out = file('resume-rows');
    expect((await generate20(out)).code).toBe(0);
    const ran = await run(
      'generate',
      file('samplers.yaml'),
      '--rows',
      '30',
      '--buffer-size',
      '5',
      '--out',
      out,
      '--resume',
    );
    expect(ran.code).toBe(1);
    expect(ran.stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^error \[RUN_CONFIG_CHANGED\]: --resume: cannot continue the run in .*resume-rows: its data-shaping settings differ \(--rows 30, the run's 20\); run with the run's settings/,
      ),
    ]);
  });
});

describe('an output that is one of the inputs', () => {
  it('--out the seed file, or --trace the config, is refused and the file kept, not overwritten with generated rows or a trace', async () => {
    const seedText = 'city,zone\nOslo,1\nRome,2\n';
    await writeFile(file('cities.csv'), seedText);
    const configText =
      'seed_config:\n  source: { seed_type: local, path: cities.csv }\ncolumns:\n  - { name: city, column_type: seed-dataset }\n';
    await writeFile(file('cities.yaml'), configText);
    const gen = (...more: string[]) => run('generate', file('cities.yaml'), '--rows', '3', ...more);

    const seedOut = await gen('--out', file('cities.csv'));
    expect(seedOut.code).toBe(1);
    expect(errors(seedOut.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: --out .*cities\.csv: expected a path apart from the command's inputs, found the seed file/,
      ),
    ]);
    expect(await readFile(file('cities.csv'), 'utf8')).toBe(seedText);

    const configTrace = await gen('--out', file('cities-out'), '--trace', file('cities.yaml'));
    expect(configTrace.code).toBe(1);
    expect(errors(configTrace.stderr)).toEqual([
      expect.stringMatching(
        /^error \[INVALID_ARGUMENT\]: --trace .*cities\.yaml: .*found the config file/,
      ),
    ]);
    expect(await readFile(file('cities.yaml'), 'utf8')).toBe(configText);
  });
});

describe('a damaged manifest.json', () => {
  it('--resume says the run cannot be continued and how to start over; --resume if-possible starts over, as it does for a changed config', async () => {
    const out = file('cut-manifest');
    expect((await generate20(out)).code).toBe(0);
    const rows = await readRunDirectory(out);
    const text = await readFile(join(out, 'manifest.json'), 'utf8');
    await writeFile(join(out, 'manifest.json'), text.slice(0, 100));

    const refused = await generate20(out, '--resume');
    expect(refused.code).toBe(1);
    expect(errors(refused.stderr)).toEqual([
      expect.stringMatching(
        /^error \[STORE_DAMAGED\]: .*manifest\.json is damaged: .*; the run cannot be continued: --resume if-possible starts it over, or choose another --out$/,
      ),
    ]);

    const fresh = await generate20(out, '--resume', 'if-possible');
    expect(fresh.code).toBe(0);
    expect(errors(fresh.stderr)).toEqual([
      expect.stringMatching(
        /^cannot resume the run in .*manifest\.json is damaged: .*; starting fresh$/,
      ),
    ]);
    expect(await readRunDirectory(out)).toEqual(rows);
  });
});

describe('merge over a damaged shard manifest', () => {
  it('names the shard and how to start it over; done, the merge joins every row', async () => {
    const out = file('cut-shard');
    for (const k of ['0/2', '1/2']) expect((await generateShard(out, k)).code).toBe(0);
    const rows = await readRunDirectory(out);
    await writeFile(join(out, 'manifest.shard-1-of-2.json'), '{"runId": "ru');
    const refused = await run('merge', out);
    expect(refused.code).toBe(1);
    expect(errors(refused.stderr)).toEqual([
      expect.stringMatching(
        /^error \[STORE_DAMAGED\]: merge: .*manifest\.shard-1-of-2\.json is damaged: .*; generate --shard 1\/2 --resume if-possible starts that shard over$/,
      ),
    ]);
    expect((await generateShard(out, '1/2', '--resume', 'if-possible')).code).toBe(0);
    expect((await run('merge', out)).code).toBe(0);
    expect(await readRunDirectory(out)).toEqual(rows);
  });
});
