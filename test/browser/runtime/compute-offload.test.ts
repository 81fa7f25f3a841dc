import { describe, expect, it } from 'vitest';
import { runEngine } from '../../../src/core/engine/run.ts';
import type { RunSettings } from '../../../src/core/engine/plan.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { columnsOf } from '../../../src/core/storage/columnar.ts';
import { createEngineClient } from '../../../src/runtime/client.ts';
import { poolBlockRunner, poolEncoder } from '../../../src/runtime/compute.ts';
import type { ComputeApi } from '../../../src/runtime/compute.ts';
import { encodeColumnBlock, encodeRowGroup, toColumnBlock } from '../../../src/runtime/encode.ts';
import { offloadPlan } from '../../../src/runtime/offload.ts';
import type { RunBlock } from '../../../src/runtime/offload.ts';
import { loadBrowserPipeline } from '../../../src/runtime/pipeline.ts';
import type { BrowserPipeline } from '../../../src/runtime/pipeline.ts';
import { WorkerPool } from '../../../src/runtime/worker-pool.ts';
import { ALL_TYPES_CONFIG, STATISTICAL_CONFIG } from './support/configs.ts';
import { freshDbName } from './support/fixtures.ts';

const computeWorker = () =>
  new Worker(new URL('../../../workers/compute.worker.ts', import.meta.url), { type: 'module' });

/** A pool of crashy-compute workers: the first `crashes` die in their first block. */
function crashyPool(crashes: number) {
  let made = 0;
  const create = () =>
    new Worker(new URL('./support/crashy-compute.worker.ts', import.meta.url), {
      type: 'module',
      name: made++ < crashes ? 'crash' : 'ok',
    });
  return new WorkerPool<ComputeApi>({ create, size: 1 });
}

/** Every row of a run of `pipeline` (its plan rewritten by `offload` when given). */
async function rowsOf(pipeline: BrowserPipeline, runBlock?: RunBlock): Promise<Row[]> {
  const store = new MemoryStore();
  await runEngine({
    plan: runBlock ? offloadPlan(pipeline, runBlock) : pipeline.plan,
    transports: pipeline.transports,
    store,
    runId: 'run',
    config: pipeline.redacted,
    configHash: pipeline.hash,
  });
  const rows: Row[] = [];
  for (const id of store.committedGroupIds('run')) {
    rows.push(...(await store.readRowGroup('run', id)).rows);
  }
  return rows;
}

function load(config: string, overrides: Partial<RunSettings>) {
  return loadBrowserPipeline(config, { overrides, simulate: true });
}

/** `runBlock` counting the blocks it sends, by generator. */
function counting(runBlock: RunBlock) {
  const blocks = new Map<string, number>();
  const counted: RunBlock = (request, signal) => {
    blocks.set(request.generator, (blocks.get(request.generator) ?? 0) + 1);
    return runBlock(request, signal);
  };
  return { counted, blocks };
}

describe('issue 4 compute pool: row groups cross as columns', () => {
  it('4 a row group sent as columns encodes to the same bytes and types as its rows', async () => {
    const pipeline = await load(ALL_TYPES_CONFIG, { numRecords: 40, bufferSize: 40 });
    const rows = await rowsOf(pipeline);
    const columns = pipeline.plan.outputColumns;
    const expected = encodeRowGroup(rows, columns, {});
    const values = columnsOf(rows, columns);
    const { block, transfer } = toColumnBlock(values, rows.length, columns);
    expect(transfer.length).toBeGreaterThan(0);
    expect(encodeColumnBlock(block, columns, {})).toEqual(expected);

    const pool = new WorkerPool<ComputeApi>({ create: computeWorker, size: 1 });
    try {
      const pooled = await poolEncoder(pool).encode(values, rows.length, columns, {});
      expect(pooled.types).toEqual(expected.types);
      expect([...pooled.ipc]).toEqual([...expected.ipc]);
    } finally {
      pool.terminate();
    }
  });
});

describe('issue 4 compute pool: sampler blocks and expression batches', () => {
  for (const bufferSize of [1, 7, 100]) {
    it(`4 a statistical run through the pool gives exactly the rows of the same run in-process (buffer_size ${bufferSize})`, async () => {
      const pipeline = await load(STATISTICAL_CONFIG, { numRecords: 100, bufferSize });
      const pool = new WorkerPool<ComputeApi>({ create: computeWorker, size: 2 });
      try {
        const { counted, blocks } = counting(poolBlockRunner(pool));
        const pooled = await rowsOf(pipeline, counted);
        const groups = Math.ceil(100 / bufferSize);
        expect(blocks.get('__samplers')).toBe(groups);
        expect(blocks.get('segment')).toBe(groups);
        expect(blocks.get('high_value')).toBe(groups);
        expect(pooled).toHaveLength(100);
        expect(pooled).toEqual(await rowsOf(pipeline));
      } finally {
        pool.terminate();
      }
    });
  }

  it('4 model columns stay in the engine worker; offloaded columns match around them', async () => {
    const pipeline = await load(ALL_TYPES_CONFIG, { numRecords: 30, bufferSize: 10 });
    const pool = new WorkerPool<ComputeApi>({ create: computeWorker, size: 1 });
    try {
      const { counted, blocks } = counting(poolBlockRunner(pool));
      const pooled = await rowsOf(pipeline, counted);
      expect([...blocks.keys()].sort()).toEqual(['__samplers', 'good', 'label']);
      expect(pooled).toEqual(await rowsOf(pipeline));
    } finally {
      pool.terminate();
    }
  });

  it('4 a compute worker dying mid-block is replaced, the block retried once, and the rows are unchanged', async () => {
    const pipeline = await load(STATISTICAL_CONFIG, { numRecords: 30, bufferSize: 10 });
    const pool = crashyPool(1);
    try {
      const pooled = await rowsOf(pipeline, poolBlockRunner(pool));
      expect(pool.replaced).toBe(1);
      expect(pooled).toEqual(await rowsOf(pipeline));
    } finally {
      pool.terminate();
    }
  });
});

describe('issue 4 compute pool through the engine worker', () => {
  /** The rows of one run through the engine client with these host options. */
  async function clientRows(poolSize: number, offloadGeneration: boolean): Promise<Row[]> {
    const client = createEngineClient({
      dbName: freshDbName('offload'),
      cacheDbName: freshDbName('cache'),
      poolSize,
      offloadGeneration,
    });
    try {
      await client.startRun({
        config: STATISTICAL_CONFIG,
        runId: 'r',
        overrides: { numRecords: 50, bufferSize: 20 },
      });
      return (await client.readRows('r')).rows;
    } finally {
      client.dispose();
    }
  }

  it('4 a run with generation on the pool stores exactly the rows of a run without a pool', async () => {
    const pooled = await clientRows(1, true);
    expect(pooled).toHaveLength(50);
    expect(pooled).toEqual(await clientRows(0, false));
  });
});
