/**
 * SPEC 2: the same config and seed give the same values whatever the row-group
 * size, the number of row groups in flight and the order model answers complete
 * in. Runs Data Designer fixtures (test/fixtures/dd) in process.
 */
import { describe, expect, it } from 'vitest';
import type { ChatResponse, ModelTransport } from '../../../src/core/models/types.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { runFixture, type FixtureRun } from '../compat/run-fixture.ts';
import { ShuffledCompletions } from './shuffled-completions.ts';

const BUFFER_SIZES = [7, 100, 1000];
const ROW_GROUPS_IN_FLIGHT = [1, 3, 8];

/** Settings that must not change a value: (buffer_size, max_concurrent_row_groups). */
const LAYOUTS = BUFFER_SIZES.flatMap((bufferSize) =>
  ROW_GROUPS_IN_FLIGHT.map((maxConcurrentRowGroups) => ({ bufferSize, maxConcurrentRowGroups })),
);

function project(rows: Row[], columns: readonly string[]): Row[] {
  return rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])));
}

async function layoutsAgree(name: string, numRecords: number, columns?: string[]): Promise<void> {
  let first: FixtureRun | undefined;
  for (const layout of LAYOUTS) {
    const run = await runFixture(name, { overrides: { numRecords, seed: 11, ...layout } });
    expect(run.rows).toHaveLength(numRecords);
    if (!first) {
      first = run;
      continue;
    }
    const cols = columns ?? first.columns;
    expect(project(run.rows, cols), JSON.stringify(layout)).toEqual(project(first.rows, cols));
  }
}

describe('SPEC 2 determinism across buffer_size and max_concurrent_row_groups', () => {
  it('every sampler, constraint and expression column (statistical-samplers, 2500 rows)', async () => {
    await layoutsAgree('statistical-samplers', 2500);
  }, 60_000);

  it('seed rows, people, uuids, dates and expressions (seeding-with-a-dataset, 1200 rows)', async () => {
    await layoutsAgree('seeding-with-a-dataset', 1200);
  }, 60_000);

  it('model columns on the simulated provider too (product-info-qa, text-to-python)', async () => {
    await layoutsAgree('product-info-qa', 150);
    await layoutsAgree('text-to-python', 150);
  }, 60_000);

  it('a different seed gives different values (the comparison can fail)', async () => {
    const overrides = { numRecords: 50, bufferSize: 7 };
    const a = await runFixture('statistical-samplers', { overrides: { ...overrides, seed: 1 } });
    const b = await runFixture('statistical-samplers', { overrides: { ...overrides, seed: 2 } });
    expect(b.rows).not.toEqual(a.rows);
  });
});

describe('SPEC 2 determinism whatever order model answers complete in', () => {
  for (const name of ['product-info-qa', 'embeddings-and-processors', 'multi-turn-chat']) {
    it(`${name}: answers released in a shuffled order give the same rows`, async () => {
      const overrides = { numRecords: 60, seed: 5, bufferSize: 7, maxConcurrentRowGroups: 4 };
      const inOrder = await runFixture(name, { overrides });
      const shuffled = new ShuffledCompletions(99);
      const reordered = await runFixture(name, {
        overrides,
        wrapTransport: shuffled.wrap,
        drive: shuffled.drive,
      });
      // The wrapper really did hold answers back and release them out of order.
      expect(shuffled.maxHeld).toBeGreaterThan(1);
      expect(shuffled.releaseOrder).not.toEqual([...shuffled.releaseOrder].sort((x, y) => x - y));
      expect(reordered.rows).toEqual(inOrder.rows);
      expect(reordered.extraTables).toEqual(inOrder.extraTables);
    }, 60_000);
  }
});

/** A model whose answers depend on nothing but how many calls came before. */
function countingModel(): (inner: ModelTransport) => ModelTransport {
  let calls = 0;
  return () => ({
    chat: (): Promise<ChatResponse> =>
      Promise.resolve({
        text: `answer #${calls++}`,
        usage: { promptTokens: 1, completionTokens: 1 },
        attempts: 1,
      } as ChatResponse),
  });
}

describe('SPEC 2 non-model columns do not depend on what models answer', () => {
  it('seeding-with-a-dataset: every column but physician_notes is the same under an unrepeatable model, any layout and order', async () => {
    const nonModel = [
      'diagnosis',
      'patient_summary',
      'patient_sampler',
      'doctor_sampler',
      'patient_id',
      'first_name',
      'last_name',
      'dob',
      'symptom_onset_date',
      'date_of_visit',
      'physician',
    ];
    const base = await runFixture('seeding-with-a-dataset', {
      overrides: { numRecords: 90, seed: 3 },
    });
    for (const bufferSize of BUFFER_SIZES) {
      const shuffled = new ShuffledCompletions(bufferSize);
      const model = countingModel();
      const run = await runFixture('seeding-with-a-dataset', {
        overrides: { numRecords: 90, seed: 3, bufferSize, maxConcurrentRowGroups: 2 },
        wrapTransport: (t) => shuffled.wrap(model(t)),
        drive: shuffled.drive,
      });
      expect(project(run.rows, nonModel)).toEqual(project(base.rows, nonModel));
      // The model column did change: the answers were not the simulated ones.
      expect(run.rows[0]!['physician_notes']).toMatch(/^answer #\d+$/);
    }
  }, 60_000);
});
