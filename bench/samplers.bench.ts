/**
 * `npm run bench -- samplers`: 1,000,000 rows of a statistical pipeline (uuid,
 * category, subcategory, uniform, gaussian, bernoulli, poisson, datetime,
 * timedelta and one expression) through the real compile + runEngine, into a store
 * that keeps nothing. Beside it, in the same process:
 * - the plain loop: the same draws written by hand over the same Rng, reseeded per
 *   cell with cellSeed and the same draw math, into column arrays per row group
 *   (checked equal to tabsynth's first row group before timing);
 * - the faker script: what a user would write with @faker-js/faker for the same
 *   columns (one seeded faker, a row object per row).
 * Prints a table, then {"rows_per_s", "plain_loop_ratio", "faker_script_ratio"}:
 * both ratios are tabsynth's time over the other's (below 1: tabsynth is faster).
 * Set BENCH_ROWS for a shorter run.
 */
import { faker } from '@faker-js/faker';
import { compilePlan } from '../src/core/config/compile.ts';
import { loadConfig } from '../src/core/config/load.ts';
import { runEngine } from '../src/core/engine/run.ts';
import { poisson } from '../src/core/generators/samplers/distributions.ts';
import { Rng, cellSeed, hashString } from '../src/core/random/seed.ts';
import type { RowGroupData, RunManifest } from '../src/core/storage/types.ts';
import { NullStore } from './support/null-store.ts';
import { printFigures, printTable, round } from './support/report.ts';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const BUFFER = 1000;
const SEED = 42;

const CATEGORIES = ['electronics', 'clothing', 'home', 'books'];
const WEIGHTS = [4, 3, 2, 1];
const SUBCATEGORIES: Record<string, string[]> = {
  electronics: ['phones', 'laptops', 'audio'],
  clothing: ['shirts', 'shoes'],
  home: ['kitchen', 'garden', 'decor', 'lighting'],
  books: ['fiction', 'non-fiction'],
};
const START = Date.parse('2024-01-01T00:00:00Z');
const END = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

const CONFIG = `
columns:
  - { name: order_id, column_type: sampler, sampler_type: uuid, params: {} }
  - name: category
    column_type: sampler
    sampler_type: category
    params: { values: [${CATEGORIES.join(', ')}], weights: [${WEIGHTS.join(', ')}] }
  - name: subcategory
    column_type: sampler
    sampler_type: subcategory
    params:
      category: category
      values: ${JSON.stringify(SUBCATEGORIES)}
  - { name: price, column_type: sampler, sampler_type: uniform, params: { low: 5, high: 500 } }
  - { name: weight_kg, column_type: sampler, sampler_type: gaussian, params: { mean: 2, stddev: 0.5 } }
  - { name: gift, column_type: sampler, sampler_type: bernoulli, params: { p: 0.2 } }
  - { name: quantity, column_type: sampler, sampler_type: poisson, params: { mean: 3 } }
  - name: ordered_at
    column_type: sampler
    sampler_type: datetime
    params: { start: '2024-01-01', end: '2025-01-01', unit: s }
  - name: delivered_at
    column_type: sampler
    sampler_type: timedelta
    params: { dt_min: 1, dt_max: 14, reference_column_name: ordered_at, unit: D }
  - name: label
    column_type: expression
    expr: '{{ category }}/{{ subcategory }} x{{ quantity }}'
run: { num_records: ${ROWS}, seed: ${SEED}, buffer_size: ${BUFFER} }
`;

/** A NullStore that also keeps the first row group, to check the plain loop against. */
class FirstGroupStore extends NullStore {
  first: RowGroupData | undefined;
  override commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    if (group.id === 0) this.first = group;
    return super.commit(group, manifest);
  }
}

async function tabsynth(): Promise<{ seconds: number; first: RowGroupData }> {
  const started = performance.now();
  const config = loadConfig(CONFIG, 'yaml');
  const { plan, transports } = compilePlan(config);
  const store = new FirstGroupStore();
  const result = await runEngine({
    plan,
    transports,
    store,
    runId: 'samplers',
    config,
    configHash: 'samplers',
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.rowsWritten !== ROWS) throw new Error(`wrote ${result.rowsWritten} of ${ROWS}`);
  return { seconds, first: store.first! };
}

// ---------------------------------------------------------------------------
// The plain loop: the same cells, the same Rng and draw math, no engine.

const CUMULATIVE = (() => {
  const total = WEIGHTS.reduce((a, b) => a + b, 0);
  let acc = 0;
  const bounds = WEIGHTS.map((w) => (acc += w / total));
  bounds[bounds.length - 1] = 1;
  return bounds;
})();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const COLUMNS = [
  'order_id',
  'category',
  'subcategory',
  'price',
  'weight_kg',
  'gift',
  'quantity',
  'ordered_at',
  'delivered_at',
] as const;
const HASH = COLUMNS.map(hashString);

function uuid(rng: Rng): string {
  let out = '';
  for (let word = 0; word < 4; word++) {
    let bits = rng.nextUint32();
    if (word === 1) bits = (bits & 0xffff0fff) | 0x00004000;
    if (word === 2) bits = (bits & 0x3fffffff) | 0x80000000;
    out +=
      HEX[bits >>> 24]! +
      HEX[(bits >>> 16) & 0xff]! +
      HEX[(bits >>> 8) & 0xff]! +
      HEX[bits & 0xff]!;
  }
  return out;
}

/** Rows [from, to) as column arrays. */
function plainGroup(rng: Rng, from: number, to: number): Record<string, unknown[]> {
  const n = to - from;
  const cols = {
    order_id: new Array<string>(n),
    category: new Array<string>(n),
    subcategory: new Array<string>(n),
    price: new Array<number>(n),
    weight_kg: new Array<number>(n),
    gift: new Array<number>(n),
    quantity: new Array<number>(n),
    ordered_at: new Array<Date>(n),
    delivered_at: new Array<Date>(n),
    label: new Array<string>(n),
  };
  const spanSec = (END - START) / 1000;
  for (let i = 0; i < n; i++) {
    const r = from + i;
    cols.order_id[i] = uuid(rng.reseed(cellSeed(SEED, HASH[0]!, r)));
    const u = rng.reseed(cellSeed(SEED, HASH[1]!, r)).next();
    let k = 0;
    while (u >= CUMULATIVE[k]!) k++;
    const category = CATEGORIES[k]!;
    cols.category[i] = category;
    const subs = SUBCATEGORIES[category]!;
    const sub = subs[rng.reseed(cellSeed(SEED, HASH[2]!, r)).int(subs.length)]!;
    cols.subcategory[i] = sub;
    cols.price[i] = 5 + 495 * rng.reseed(cellSeed(SEED, HASH[3]!, r)).next();
    cols.weight_kg[i] = 2 + 0.5 * rng.reseed(cellSeed(SEED, HASH[4]!, r)).normal();
    cols.gift[i] = rng.reseed(cellSeed(SEED, HASH[5]!, r)).next() < 0.2 ? 1 : 0;
    const quantity = poisson(rng.reseed(cellSeed(SEED, HASH[6]!, r)), 3);
    cols.quantity[i] = quantity;
    const ordered = START + rng.reseed(cellSeed(SEED, HASH[7]!, r)).int(spanSec) * 1000;
    cols.ordered_at[i] = new Date(ordered);
    const days = 1 + rng.reseed(cellSeed(SEED, HASH[8]!, r)).int(13);
    cols.delivered_at[i] = new Date(ordered + days * DAY);
    cols.label[i] = `${category}/${sub} x${quantity}`;
  }
  return cols;
}

function plainLoop(): number {
  const rng = new Rng(0);
  const started = performance.now();
  let kept = 0;
  for (let from = 0; from < ROWS; from += BUFFER) {
    kept += plainGroup(rng, from, Math.min(ROWS, from + BUFFER))['label']!.length;
  }
  if (kept !== ROWS) throw new Error(`plain loop made ${kept} rows`);
  return (performance.now() - started) / 1000;
}

/** The plain loop must draw exactly what tabsynth drew, or the comparison means nothing. */
function checkSameDraws(first: RowGroupData): void {
  const plain = plainGroup(new Rng(0), 0, first.rows.length);
  first.rows.forEach((row, i) => {
    for (const [column, values] of Object.entries(plain)) {
      const a = values[i] instanceof Date ? (values[i] as Date).getTime() : values[i];
      const v = row[column];
      const b =
        v instanceof Date
          ? v.getTime()
          : typeof v === 'string' && column.endsWith('_at')
            ? Date.parse(v)
            : v;
      if (a !== b)
        throw new Error(`plain loop differs at row ${i}, ${column}: ${String(a)} vs ${String(b)}`);
    }
  });
}

// ---------------------------------------------------------------------------
// The faker script a user would write for the same columns.

function fakerScript(): number {
  const started = performance.now();
  faker.seed(SEED);
  const weighted = CATEGORIES.map((value, i) => ({ value, weight: WEIGHTS[i]! }));
  const from = new Date(START);
  const to = new Date(END);
  let kept = 0;
  for (let start = 0; start < ROWS; start += BUFFER) {
    const rows: Record<string, unknown>[] = [];
    for (let r = start; r < Math.min(ROWS, start + BUFFER); r++) {
      const category = faker.helpers.weightedArrayElement(weighted);
      const subcategory = faker.helpers.arrayElement(SUBCATEGORIES[category]!);
      // Box-Muller and Knuth's Poisson, as faker has neither.
      const u1 = 1 - faker.number.float();
      const u2 = faker.number.float();
      const weight = 2 + 0.5 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      let quantity = 0;
      for (let p = faker.number.float(), limit = Math.exp(-3); p > limit; quantity++) {
        p *= faker.number.float();
      }
      const ordered = faker.date.between({ from, to });
      rows.push({
        order_id: faker.string.uuid(),
        category,
        subcategory,
        price: faker.number.float({ min: 5, max: 500 }),
        weight_kg: weight,
        gift: faker.datatype.boolean({ probability: 0.2 }) ? 1 : 0,
        quantity,
        ordered_at: ordered,
        delivered_at: new Date(ordered.getTime() + faker.number.int({ min: 1, max: 13 }) * DAY),
        label: `${category}/${subcategory} x${quantity}`,
      });
    }
    kept += rows.length;
  }
  if (kept !== ROWS) throw new Error(`faker script made ${kept} rows`);
  return (performance.now() - started) / 1000;
}

// ---------------------------------------------------------------------------

const warm = await tabsynth().catch((err: unknown) => {
  throw err;
});
checkSameDraws(warm.first);
const run = await tabsynth();
const plainSeconds = plainLoop();
const fakerSeconds = fakerScript();

const perSecond = (s: number) => Math.round(ROWS / s);
printTable(`samplers: ${ROWS} rows x 10 columns (buffer_size ${BUFFER}), one process`, [
  {
    pipeline: 'tabsynth (compile + runEngine)',
    seconds: round(run.seconds),
    rows_per_s: perSecond(run.seconds),
    vs_tabsynth: 1,
  },
  {
    pipeline: 'plain loop, same Rng and draws',
    seconds: round(plainSeconds),
    rows_per_s: perSecond(plainSeconds),
    vs_tabsynth: round(plainSeconds / run.seconds),
  },
  {
    pipeline: '@faker-js/faker script',
    seconds: round(fakerSeconds),
    rows_per_s: perSecond(fakerSeconds),
    vs_tabsynth: round(fakerSeconds / run.seconds),
  },
]);
printFigures({
  rows_per_s: perSecond(run.seconds),
  plain_loop_ratio: round(run.seconds / plainSeconds),
  faker_script_ratio: round(run.seconds / fakerSeconds),
});
