/**
 * `npm run bench -- overhead`: the scheduler's own cost. 5 per-cell columns whose
 * generators answer at once (no model, no work), so the wall time is the engine's:
 * microseconds per task in async and sequential mode, and the peak heap of a 1M-row
 * run against a 200k-row one (memory must be bounded by row groups, not rows).
 * Heap is the process's live heap (read after a forced GC during the run): without
 * the GC, heapUsed mostly measures how lazily V8 collected garbage, which varies
 * 1-1.6x between identical runs. The table also shows the part above the heap at
 * the run's start (a few hundred kB: rows of the admitted row groups).
 */
import { DEFAULT_RUN_SETTINGS, type CellGenerator, type Plan } from '../src/core/engine/plan.ts';
import { rowIdGenerator } from '../src/core/generators/sampler-group.ts';
import { runEngine } from '../src/core/engine/run.ts';
import { NullStore } from './support/null-store.ts';
import { printFigures, printTable, round } from './support/report.ts';

const COLUMNS = 5;
const SMALL = Number(process.env['BENCH_ROWS'] ?? 200_000);
const LARGE = SMALL * 5;

function instantColumn(i: number): CellGenerator {
  const name = `c${i}`;
  const upstream = i === 0 ? ['__row_id'] : [`c${i - 1}`];
  return {
    name,
    granularity: 'cell',
    outputs: [name],
    upstream,
    generate: (ctx) => ({ [name]: ctx.rowIndex + i }),
  };
}

function plan(rows: number, mode: 'async' | 'sequential'): Plan {
  const generators = [
    rowIdGenerator('__row_id'),
    ...Array.from({ length: COLUMNS }, (_, i) => instantColumn(i)),
  ];
  return {
    generators,
    outputColumns: generators.map((g) => g.name),
    droppedColumns: [],
    processors: [],
    models: [],
    settings: { ...DEFAULT_RUN_SETTINGS, numRecords: rows, mode },
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run through `npm run bench -- overhead` (node --expose-gc)');

/**
 * One run. With `sampleHeap`, the live heap (after a forced GC) is read at every
 * 20th commit: the memory the run holds, not the garbage a lazy GC has not yet
 * collected. Timing runs take no samples, so GCs do not inflate their time.
 */
async function run(rows: number, mode: 'async' | 'sequential', sampleHeap = false) {
  gc!();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let commits = 0;
  const started = performance.now();
  const result = await runEngine({
    plan: plan(rows, mode),
    transports: new Map(),
    store: new NullStore(),
    runId: `overhead-${mode}-${rows}`,
    config: {},
    configHash: 'overhead',
    onProgress: (p) => {
      if (!sampleHeap || p.rowsCommitted === 0 || ++commits % 20 !== 0) return;
      gc!();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.rowsWritten !== rows)
    throw new Error(`${mode}: wrote ${result.rowsWritten} of ${rows}`);
  const tasks = rows * COLUMNS;
  return {
    seconds,
    usPerTask: (seconds * 1e6) / tasks,
    peakMb: peak / 2 ** 20,
    aboveBaseMb: (peak - base) / 2 ** 20,
  };
}

const asyncSmall = await run(SMALL, 'async');
const sequentialSmall = await run(SMALL, 'sequential');
const asyncLarge = await run(LARGE, 'async');
const heapSmall = await run(SMALL, 'async', true);
const heapLarge = await run(LARGE, 'async', true);
// The ratio is of the process's peak live heap: the run's own share is well under
// 1 MB, so a ratio of that share alone would mostly measure noise in V8's caches.
const heapRatio = heapLarge.peakMb / heapSmall.peakMb;

printTable(`overhead: ${COLUMNS} per-cell columns answering at once (scheduler time per task)`, [
  { run: `async ${SMALL} rows`, seconds: asyncSmall.seconds, us_per_task: asyncSmall.usPerTask },
  {
    run: `sequential ${SMALL} rows`,
    seconds: sequentialSmall.seconds,
    us_per_task: sequentialSmall.usPerTask,
  },
  { run: `async ${LARGE} rows`, seconds: asyncLarge.seconds, us_per_task: asyncLarge.usPerTask },
]);
printTable('peak live heap (forced GC at every 20th commit)', [
  {
    run: `async ${SMALL} rows`,
    peak_live_heap_mb: heapSmall.peakMb,
    above_start_mb: heapSmall.aboveBaseMb,
  },
  {
    run: `async ${LARGE} rows`,
    peak_live_heap_mb: heapLarge.peakMb,
    above_start_mb: heapLarge.aboveBaseMb,
  },
]);
console.log(
  `targets: <= 5 us per task; peak heap ${LARGE} vs ${SMALL} rows within 1.2x (got ${round(heapRatio)}x)`,
);
printFigures({
  us_per_task: round(asyncSmall.usPerTask),
  us_per_task_sequential: round(sequentialSmall.usPerTask),
  heap_ratio_1m_vs_200k: round(heapRatio),
});
