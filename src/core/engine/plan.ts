/**
 * The engine's input: a compiled, validated pipeline. `compilePlan` (config/compile.ts)
 * builds it from a config; scheduler tests build it by hand. The engine knows nothing
 * of column types: only generators, their granularity, their upstreams and whether
 * they call a model.
 */
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../models/types.ts';
import type { Clock } from '../clock.ts';
import type { ConnectionLimit } from '../models/connection-budget.ts';
import type { ModelTransport } from '../models/types.ts';
import type { Row, RowGroupStore } from '../storage/types.ts';
import type { ColumnValues } from '../storage/columnar.ts';
import type { EngineLog, Progress, TaskTrace } from './events.ts';

/** A model call made through the engine, which holds the model's limiter and retries. */
export interface ModelAccess {
  /** `modelKey` is a PlanModel key. `seed` and `signal` are filled in by the engine. */
  chat(modelKey: string, request: Omit<ChatRequest, 'seed' | 'signal'>): Promise<ChatResponse>;
  embed(
    modelKey: string,
    request: Omit<EmbeddingRequest, 'seed' | 'signal'>,
  ): Promise<EmbeddingResponse>;
}

export interface CellContext {
  /** The row so far: values of every column already generated for it. Read only. */
  row: Readonly<Row>;
  /** Global row index. */
  rowIndex: number;
  /** hash(run seed, generator name, row): the cell's seed (SPEC 2). */
  seed: number;
  /** The run seed. */
  runSeed: number;
  signal: AbortSignal;
  models: ModelAccess;
}

export interface BatchContext {
  /**
   * The values written so far for the batch's rows (the group's surviving rows, in
   * row order), column by column, each aligned with `rowIndices`. Read only. Row
   * objects, where a generator needs them: RowView, rowAt or rowsOf (storage/columnar.ts).
   */
  columns: ColumnValues;
  /** Global row index of each row of the batch. */
  rowIndices: readonly number[];
  /** Row group id. */
  rowGroup: number;
  runSeed: number;
  signal: AbortSignal;
  models: ModelAccess;
}

/** Values for the generator's outputs, for one row. */
export type CellValues = Record<string, unknown>;

/** Values for the generator's outputs, one array per output column aligned with `rows`. */
export interface BatchValues {
  columns: Record<string, unknown[]>;
  /**
   * Indices (into the batch's rows) of rows this generator could not produce
   * (e.g. a constraint that failed). They are dropped; the rest keep their values.
   */
  droppedRows?: number[];
  /** Why each of `droppedRows` failed, by batch index, for the report's first errors. */
  rowErrors?: Map<number, unknown>;
}

interface PlanGeneratorBase {
  /** Unique; the name of its (first) output column. Used in seeds, traces and progress. */
  name: string;
  /** Columns this generator writes (a sampler group writes many; side columns too). */
  outputs: string[];
  /** Names of generators whose outputs this one reads. */
  upstream: string[];
  /** The PlanModel key when this generator calls a model (limiter, fairness weight). */
  modelKey?: string;
  /**
   * Skip (SPEC 1): when `skipWhen(row)` is true the cell gets `skipValue` for every
   * output and no task runs. Only on cell generators.
   */
  skipWhen?: (row: Readonly<Row>) => boolean;
  skipValue?: unknown;
  /** A cell whose upstream cell was skipped is skipped too. */
  propagateSkip?: boolean;
}

/** A per-cell column (llm-*, embedding): one task per row. */
export interface CellGenerator extends PlanGeneratorBase {
  granularity: 'cell';
  generate(ctx: CellContext): Promise<CellValues> | CellValues;
}

/** A whole-column generator (samplers, seed dataset, expression, validation). */
export interface ColumnGenerator extends PlanGeneratorBase {
  granularity: 'column';
  generate(ctx: BatchContext): Promise<BatchValues> | BatchValues;
}

export type PlanGenerator = CellGenerator | ColumnGenerator;

export type ProcessorStage = 'pre_batch' | 'post_batch' | 'after_run';

export interface ProcessorBatch {
  rows: Row[];
  rowIndices: number[];
  /**
   * Separate output tables derived from this batch, by table name (a schema_transform
   * processor's reshaped rows, Data Designer's `processors-files/<name>/`). Every
   * processor passes on the tables it receives. Default: none.
   */
  extraTables?: Record<string, Row[]>;
}

export interface PlanProcessor {
  name: string;
  stage: ProcessorStage;
  /**
   * Returns the surviving rows (a subset of `rowIndices`, same order); it may add,
   * change or remove columns. Throwing stops the run (SPEC 3.7).
   */
  process(batch: ProcessorBatch, signal: AbortSignal): Promise<ProcessorBatch> | ProcessorBatch;
}

/** One model behind one limiter: (provider, model). */
export interface PlanModel {
  key: string;
  /** Smallest max_parallel_requests of the aliases sharing it. */
  maxParallelRequests: number;
  /** Label for progress and traces, e.g. "simulated/demo-model". */
  label: string;
  /** Answered by the simulated provider (its type, or a run simulating every model). Default: false. */
  simulated?: boolean;
  /** The connection limit of its endpoint's origin where the engine runs (SPEC 3.5). Default: none, not capped. */
  connection?: ConnectionLimit;
}

/** Run settings of SPEC 3.9. */
export interface RunSettings {
  /** Rows to generate. */
  numRecords: number;
  /** The run seed. Default: 0. */
  seed: number;
  /** Rows per row group. Default: 1000. */
  bufferSize: number;
  /** Row groups admitted at once. Default: 3. */
  maxConcurrentRowGroups: number;
  /** Tasks running at once. Default: 1024. */
  maxInFlightTasks: number;
  /** Failure share over the window at or above which the run stops (a window without failures never stops it). Default: 0.5. */
  shutdownErrorRate: number;
  /** Outcomes considered. Default: 10. */
  shutdownErrorWindow: number;
  /** Default: false. */
  disableEarlyShutdown: boolean;
  /** Rounds of salvage for set-aside tasks. Default: 2. */
  salvageMaxRounds: number;
  /** Record task traces. Default: false. */
  trace: boolean;
  /** Default: 'async'. */
  mode: 'async' | 'sequential';
}

export const DEFAULT_RUN_SETTINGS: Omit<RunSettings, 'numRecords'> = {
  seed: 0,
  bufferSize: 1000,
  maxConcurrentRowGroups: 3,
  maxInFlightTasks: 1024,
  shutdownErrorRate: 0.5,
  shutdownErrorWindow: 10,
  disableEarlyShutdown: false,
  salvageMaxRounds: 2,
  trace: false,
  mode: 'async',
};

export interface Plan {
  /** Generators in topological order (samplers and seed columns first). */
  generators: PlanGenerator[];
  /** Output columns in config order; `drop: true` columns are not among them. */
  outputColumns: string[];
  /** Columns generated but left out of the output (`drop: true`). */
  droppedColumns: string[];
  processors: PlanProcessor[];
  models: PlanModel[];
  settings: RunSettings;
}

/** Everything `runEngine` needs. */
export interface EngineOptions {
  plan: Plan;
  /** One transport per PlanModel key. */
  transports: ReadonlyMap<string, ModelTransport>;
  store: RowGroupStore;
  runId: string;
  /** The config with secrets removed, stored in the manifest. */
  config: unknown;
  /** Hash of that config and the data-shaping settings; resume refuses a different one. */
  configHash: string;
  /** Continue the run `runId` from its manifest in `store`, skipping committed row groups. */
  resume?: boolean;
  /**
   * Which row groups this run generates (a shard's share, SPEC 6). Default: all.
   * Values stay those of the whole run: seeds come from global row indices.
   */
  rowGroups?: (id: number) => boolean;
  clock?: Clock;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onTrace?: (trace: TaskTrace) => void;
  /** Why the run stopped, for the host's log (an INTERNAL error with its stack). Default: none. */
  onLog?: (entry: EngineLog) => void;
}
