/** Builders for hand-made Plans, fake generators and fake transports. */
import { DEFAULT_RUN_SETTINGS } from '../../../src/core/engine/plan.ts';
import type {
  BatchContext,
  BatchValues,
  CellContext,
  CellGenerator,
  CellValues,
  ColumnGenerator,
  EngineOptions,
  Plan,
  PlanGenerator,
  PlanModel,
  PlanProcessor,
  RunSettings,
} from '../../../src/core/engine/plan.ts';
import type { ChatRequest, ChatResponse, ModelTransport } from '../../../src/core/models/types.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import type { Row } from '../../../src/core/storage/types.ts';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A per-cell generator writing `fn(ctx)` into its column. */
export function cell(
  name: string,
  upstream: string[],
  fn: (ctx: CellContext) => unknown = (ctx) => `${name}${ctx.rowIndex}`,
  extra: Partial<CellGenerator> = {},
): CellGenerator {
  return {
    name,
    outputs: [name],
    upstream,
    granularity: 'cell',
    generate: (ctx): CellValues | Promise<CellValues> => {
      const v = fn(ctx);
      return v instanceof Promise ? v.then((x) => ({ [name]: x })) : { [name]: v };
    },
    ...extra,
  };
}

/** A whole-column generator writing `fn(ctx, i)` for each row. */
export function column(
  name: string,
  upstream: string[],
  fn: (ctx: BatchContext, i: number) => unknown = (ctx, i) => ctx.rowIndices[i],
  extra: Partial<ColumnGenerator> = {},
): ColumnGenerator {
  return {
    name,
    outputs: [name],
    upstream,
    granularity: 'column',
    generate: (ctx): BatchValues => ({
      columns: { [name]: ctx.rowIndices.map((_, i) => fn(ctx, i)) },
    }),
    ...extra,
  };
}

export function plan(
  generators: PlanGenerator[],
  settings: Partial<RunSettings> & { numRecords: number },
  more: { processors?: PlanProcessor[]; models?: PlanModel[]; droppedColumns?: string[] } = {},
): Plan {
  const dropped = more.droppedColumns ?? [];
  return {
    generators,
    outputColumns: generators.flatMap((g) => g.outputs).filter((c) => !dropped.includes(c)),
    droppedColumns: dropped,
    processors: more.processors ?? [],
    models: more.models ?? [],
    settings: { ...DEFAULT_RUN_SETTINGS, ...settings },
  };
}

export function options(
  p: Plan,
  more: Partial<EngineOptions> = {},
): EngineOptions & { store: MemoryStore } {
  return {
    plan: p,
    transports: new Map(),
    store: new MemoryStore(),
    runId: 'run-1',
    config: {},
    configHash: 'hash-1',
    ...more,
  } as EngineOptions & { store: MemoryStore };
}

/** Every committed row, in row order. */
export async function committedRows(store: MemoryStore, runId = 'run-1'): Promise<Row[]> {
  const out: Row[] = [];
  for (const id of store.committedGroupIds(runId))
    out.push(...(await store.readRowGroup(runId, id)).rows);
  return out;
}

/** A transport answering each chat with what `answer` returns (or throws). */
export class FakeTransport implements ModelTransport {
  calls: ChatRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    private answer: (req: ChatRequest, n: number) => Promise<string> | string = () => 'ok',
  ) {}
  async chat(request: ChatRequest): Promise<ChatResponse> {
    const n = this.calls.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const text = await this.answer(request, n);
      return { text, usage: { promptTokens: 1, completionTokens: 2 }, attempts: 1 };
    } finally {
      this.inFlight--;
    }
  }
}

/** A per-cell generator that asks model `key` and writes the answer. */
export function modelCell(name: string, upstream: string[], key: string): CellGenerator {
  return {
    name,
    outputs: [name],
    upstream,
    granularity: 'cell',
    modelKey: key,
    generate: async (ctx) => {
      const r = await ctx.models.chat(key, {
        model: key,
        messages: [{ role: 'user', content: `${name} ${ctx.rowIndex}` }],
      });
      return { [name]: r.text };
    },
  };
}

/**
 * Waits for a condition that is checked again whenever the test reports that
 * something happened (`notify`): tests wait on the event they mean, never on a
 * number of microtask turns.
 */
export class Changes {
  #waiters: { cond: () => boolean; resolve: () => void }[] = [];

  notify(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.cond()) return true;
      w.resolve();
      return false;
    });
  }

  until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ cond, resolve }));
  }
}

/** `committed(id)` settles once row group `id`'s commit to `store` has settled. */
export function watchCommits(store: MemoryStore): { committed(id: number): Promise<void> } {
  const done = new Map<number, Deferred<void>>();
  const of = (id: number): Deferred<void> => {
    let d = done.get(id);
    if (d === undefined) done.set(id, (d = deferred()));
    return d;
  };
  const commit = store.commit.bind(store);
  store.commit = async (g, m) => {
    try {
      await commit(g, m);
    } finally {
      of(g.id).resolve();
    }
  };
  return { committed: (id) => of(id).promise };
}
