/**
 * Seed files from the headless command: `tabsynth generate` reads the config's
 * seed_config.source.path relative to the config file's folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readParquet, tabsynth, withoutProgress } from '../compat/cli-run.ts';

const config = (columns: string[]) => `
seed_config:
  source: { seed_type: local, path: data/animals.csv }
columns:
${columns.map((c) => `  - { name: ${c}, column_type: seed-dataset }`).join('\n')}
  - name: line
    column_type: expression
    expr: "{{ animal }} has {{ legs }} legs"
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-seed-cli-'));
  await mkdir(join(dir, 'data'));
  await writeFile(
    join(dir, 'data', 'animals.csv'),
    'animal,legs\ncat,4\nbird,2\n"spider, house",8\n',
  );
  await writeFile(join(dir, 'ok.yaml'), config(['animal', 'legs']));
  await writeFile(join(dir, 'bad.yaml'), config(['animal', 'legs', 'wings']));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each case starts Node and tsx (seconds on a busy machine): a generous cap, not a timing check.
describe('tabsynth with a seed file', { timeout: 120_000 }, () => {
  it('generate fills seed columns from the file next to the config, in order, wrapping around', async () => {
    const out = join(dir, 'animals.parquet');
    const ran = await tabsynth('generate', join(dir, 'ok.yaml'), '--rows', '5', '--out', out);
    expect(withoutProgress(ran.stderr)).toBe('');
    expect(ran.code).toBe(0);
    const rows = await readParquet(out);
    expect(rows.map((r) => r['animal'])).toEqual(['cat', 'bird', 'spider, house', 'cat', 'bird']);
    expect(rows.map((r) => Number(r['legs']))).toEqual([4, 2, 8, 4, 2]);
    expect(rows[2]!['line']).toBe('spider, house has 8 legs');
  });

  it('generate refuses a seed column the file lacks, naming it and the columns it has, exit 1', async () => {
    const out = join(dir, 'never.parquet');
    const ran = await tabsynth('generate', join(dir, 'bad.yaml'), '--rows', '2', '--out', out);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(
      /columns\[2\]\.name.*'wings' is not a column of animals\.csv; expected one of: animal, legs/,
    );
  });

  it('a seed file that is not there is an error naming the path it looked for, exit 1', async () => {
    await writeFile(
      join(dir, 'lost.yaml'),
      config(['animal', 'legs']).replace('data/animals', 'data/lost'),
    );
    const ran = await tabsynth(
      'generate',
      join(dir, 'lost.yaml'),
      '--rows',
      '2',
      '--out',
      join(dir, 'x.parquet'),
    );
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(
      /seed_config\.source\.path: cannot read seed file 'data\/lost\.csv'.*data\/lost\.csv/,
    );
  });

  it('3.8 --resume is refused when the seed file changed since the run started', async () => {
    const sub = join(dir, 'resume');
    await mkdir(join(sub, 'data'), { recursive: true });
    const csv = join(sub, 'data', 'animals.csv');
    await writeFile(csv, 'animal,legs\ncat,4\n');
    await writeFile(join(sub, 'c.yaml'), config(['animal', 'legs']));
    const args = ['generate', join(sub, 'c.yaml'), '--rows', '2', '--out', join(sub, 'out')];
    expect((await tabsynth(...args)).code).toBe(0);
    expect((await tabsynth(...args, '--resume')).code).toBe(0);
    await writeFile(csv, 'animal,legs\ndog,4\n');
    const ran = await tabsynth(...args, '--resume');
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(
      /--resume: cannot continue the run in .*: its seed file changed since the run started/,
    );
  });
});
