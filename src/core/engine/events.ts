/** What the engine reports while it runs (SPEC 3.10). */
import type { FirstError } from '../storage/types.ts';
import type { ModelUsage } from '../models/cost.ts';
import type { Pacing } from '../models/limiter.ts';

export interface ColumnProgress {
  done: number;
  failed: number;
  skipped: number;
}

export interface ModelProgress {
  label: string;
  /** The effective limit: the least of the configured cap, the adaptive limit and the origin's connection budget. */
  limit: number;
  /** The configured cap (smallest max_parallel_requests of the aliases sharing the model). */
  cap: number;
  /** Requests sent and not yet answered: what the server sees. */
  inFlight: number;
  /** Requests waiting for the model's limiter or its origin's connections. */
  waiting: number;
  /** Each part of the limit by name: configured, adaptive, latency, and any other cap. Default: absent. */
  limits?: Record<string, number>;
  /**
   * How requests are paced: 'headers' (the server's rate-limit headers), 'budget' (the
   * configured budgets and AIMD: no readable headers, e.g. hidden by CORS), 'adaptive'
   * (AIMD alone). Default: absent.
   */
  pacing?: Pacing;
  /** This model's tokens, earlier sessions of a resumed run included. Default: absent. */
  tokensIn?: number;
  tokensOut?: number;
  /** US dollars so far, when the model has prices. */
  costUsd?: number;
  /** Why `limit` is below `cap`, in words. Default: absent (not below). */
  reason?: string;
  /** What lifts it. Default: absent. */
  fix?: string;
}

export interface Progress {
  rowsCommitted: number;
  rowsRequested: number;
  droppedRows: number;
  /** Per generator name. */
  columns: Record<string, ColumnProgress>;
  /** Model requests in flight, all models. */
  requestsInFlight: number;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  /** Per model key. */
  models: Record<string, ModelProgress>;
  /** Failure share over the shutdown window. */
  errorRate: number;
  /** Estimated ms to completion, undefined until something was committed. */
  etaMs: number | undefined;
  /** ms since the run started. */
  elapsedMs: number;
  /** US dollars so far, earlier sessions included; absent when no model has prices. */
  costUsd?: number;
  /** The cost so far scaled to every row asked for; absent until a row group is done. */
  projectedCostUsd?: number;
  /** Row groups admitted and not yet committed (at most max_concurrent_row_groups). */
  activeRowGroups?: number;
  /** The first error of each kind so far, with counts (as the manifest keeps them). Default: absent. */
  firstErrors?: FirstError[];
  /** The first warning of each kind so far, with counts (a skip.when that could not be evaluated). Default: absent. */
  warnings?: FirstError[];
}

type TaskKind = 'from_scratch' | 'cell' | 'batch';
export type TaskStatus = 'ok' | 'failed_retryable' | 'failed' | 'cancelled' | 'skipped';

/** One task's trace (when run settings `trace` is on). Times in ms since the run started. */
export interface TaskTrace {
  column: string;
  rowGroup: number;
  row: number | null;
  kind: TaskKind;
  dispatched: number;
  started: number;
  finished: number;
  status: TaskStatus;
  error?: string;
  model?: string;
  attempt: number;
}

export interface RunResult {
  runId: string;
  rowsWritten: number;
  rowsRequested: number;
  droppedRows: number;
  /** True when early shutdown stopped the run. */
  stoppedEarly: boolean;
  firstErrors: FirstError[];
  /** The first warning of each kind, with counts. Default: absent (none). */
  warnings?: FirstError[];
  requests: number;
  tokensIn: number;
  tokensOut: number;
  wallMs: number;
  /** Usage per model key, earlier sessions of a resumed run included. Default: absent. */
  models?: Record<string, ModelUsage>;
  /** US dollars, earlier sessions included; absent when no model has prices. */
  costUsd?: number;
}

/** A line for the host's log: why a run stopped (with the stack of a bug of ours). */
export interface EngineLog {
  level: 'warn' | 'error';
  message: string;
  /** The stack of an INTERNAL error. */
  stack?: string;
}
