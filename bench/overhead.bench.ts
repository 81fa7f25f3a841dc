/**
 * `npm run bench -- overhead`: the scheduler's own cost. 5 per-cell columns whose
 * generators answer at once (no model, no work), so the wall time is the engine's:
 * microseconds per task in async and sequential mode, and the peak heap of a 1M-row
 * run against a 200k-row one (memory must be bounded by row groups, not rows).
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

async function run(rows: number, mode: 'async' | 'sequential') {
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const store = new NullStore();
  const started = performance.now();
  const result = await runEngine({
    plan: plan(rows, mode),
    transports: new Map(),
    store,
    runId: `overhead-${mode}-${rows}`,
    config: {},
    configHash: 'overhead',
    onProgress: () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  if (result.rowsWritten !== rows)
    throw new Error(`${mode}: wrote ${result.rowsWritten} of ${rows}`);
  const tasks = rows * COLUMNS;
  return { seconds, usPerTask: (seconds * 1e6) / tasks, peakMb: (peak - base) / 2 ** 20 };
}

const asyncSmall = await run(SMALL, 'async');
const sequentialSmall = await run(SMALL, 'sequential');
const asyncLarge = await run(LARGE, 'async');
const heapRatio = asyncLarge.peakMb / asyncSmall.peakMb;

printTable(`overhead: ${COLUMNS} per-cell columns answering at once`, [
  {
    run: `async ${SMALL} rows`,
    seconds: asyncSmall.seconds,
    us_per_task: asyncSmall.usPerTask,
    peak_heap_mb: asyncSmall.peakMb,
  },
  {
    run: `sequential ${SMALL} rows`,
    seconds: sequentialSmall.seconds,
    us_per_task: sequentialSmall.usPerTask,
    peak_heap_mb: sequentialSmall.peakMb,
  },
  {
    run: `async ${LARGE} rows`,
    seconds: asyncLarge.seconds,
    us_per_task: asyncLarge.usPerTask,
    peak_heap_mb: asyncLarge.peakMb,
  },
]);
console.log(
  `target: <= 5 us per task; peak heap ${LARGE} vs ${SMALL} rows within 1.2x (got ${round(heapRatio)}x)`,
);
printFigures({
  us_per_task: round(asyncSmall.usPerTask),
  us_per_task_sequential: round(sequentialSmall.usPerTask),
  heap_ratio_1m_vs_200k: round(heapRatio),
});
