/**
 * Data Designer fixtures through the headless command: `tabsynth validate` accepts
 * them and `tabsynth generate --simulate` writes their rows to Parquet, reading the
 * seed file next to the config and checking code with the bundled grammars.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain, readParquet, tabsynth, withoutProgress } from './cli-run.ts';
import { fixturePath } from './run-fixture.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-dd-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SPEC 1 Data Designer configs in the headless command', () => {
  it('validate prints ok and the column order of text-to-sql', async () => {
    const ran = await tabsynth('validate', fixturePath('text-to-sql'));
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^ok\n/);
    expect(ran.stdout).toContain('sql, code_validity_result, code_judge_result');
  }, 60_000);

  it('generate --simulate writes text-to-python with valid python and judge scores', async () => {
    const out = join(dir, 'text-to-python.parquet');
    const ran = await tabsynth(
      'generate',
      fixturePath('text-to-python'),
      '--rows',
      '20',
      '--out',
      out,
      '--simulate',
    );
    expect(withoutProgress(ran.stderr)).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('wrote 20 of 20 rows');
    // Nested values (the judge's scores, the validator's errors) are Parquet structs and lists.
    const rows = (await readParquet(out)).map((r) => plain(r) as Record<string, unknown>);
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      expect(row['code_validity_result']).toEqual({ is_valid: true, errors: [] });
      const judged = row['code_judge_result'] as Record<string, { score: unknown }>;
      expect(Object.keys(judged)).toEqual(['Relevance', 'Pythonic']);
      expect([0, 1, 2, 3, 4]).toContain(judged['Relevance']!.score);
    }
  }, 60_000);

  it('generate --simulate reads the seed CSV next to seeding-with-a-dataset', async () => {
    const out = join(dir, 'seeded.parquet');
    const ran = await tabsynth(
      'generate',
      fixturePath('seeding-with-a-dataset'),
      '--rows',
      '8',
      '--out',
      out,
      '--simulate',
    );
    expect(ran.code).toBe(0);
    const rows = await readParquet(out);
    expect(rows.map((r) => r['diagnosis'])).toEqual([
      'cervical spondylosis',
      'impetigo',
      'urinary tract infection',
      'arthritis',
      'dengue',
      'common cold',
      'cervical spondylosis',
      'impetigo',
    ]);
    for (const row of rows) expect(row['patient_id']).toMatch(/^PT-[0-9A-F]{8}$/);
  }, 60_000);
});
