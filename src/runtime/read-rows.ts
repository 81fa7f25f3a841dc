/**
 * A stored run's rows as the user sees them, read in the engine worker: committed
 * row groups decoded one at a time with the run's `after_run` processors applied
 * (as export does), for the app's Open (a page of rows) and Profile (every row
 * through the incremental Profiler). The page never decodes or parses a run.
 */
import { compilePlan } from '../core/config/compile.ts';
import type { PlanProcessor } from '../core/engine/plan.ts';
import { processorsOf, runProcessors } from '../core/engine/processors.ts';
import { ErrorCodes, RunError } from '../core/errors.ts';
import { arrowTableFromIPC } from '../core/export/arrow.ts';
import { arrowRowsAt, arrowTableToRows } from '../core/export/arrow-read.ts';
import { Profiler } from '../core/profile/profile.ts';
import type { ColumnProfile } from '../core/profile/profile.ts';
import { readSeedDataset } from '../core/seed/read.ts';
import type { Row, RunManifest } from '../core/storage/types.ts';
import type { IdbRunStore, LaunchRecord, StoredGroup } from './idb-store.ts';
import { readConfig } from './pipeline.ts';
import type { RowOrder } from './row-index.ts';

/** What reading a stored run's rows needs of the store (tests count the group reads). */
export type GroupSource = Pick<IdbRunStore, 'loadManifest' | 'loadLaunch' | 'readStoredGroup'>;

/** Which rows of a run to read, and in what order (run-pages.ts reads a sorted or filtered view). */
export interface RowRange extends RowOrder {
  /** Rows to skip from the start of the run. Default: 0. */
  offset?: number;
  /** Rows to return at most. Default: 100. */
  limit?: number;
}

/** A page of a stored run's rows. */
export interface RowPage {
  /** The run's output columns, in order. */
  columns: string[];
  /** Rows offset..offset+limit, in row order. */
  rows: Row[];
  /** Each row's position among the run's rows (0-based, run order). */
  positions: number[];
  /** Rows committed in the run (before after_run processors). */
  total: number;
  /** Rows the page is taken from: those the filter keeps. Default (no filter): `total`. */
  matched: number;
}

/** A stored run's profile. */
export interface RunProfile {
  /** One profile per output column. */
  profile: ColumnProfile[];
  /** Rows profiled. */
  rows: number;
}

/** Decoded group: its columns and rows, after_run processors applied. */
export interface DecodedGroup {
  columns: string[];
  rows: Row[];
}

/** The run's after_run processors, compiled from its stored config (none when it has none). */
export async function afterRunProcessors(
  store: GroupSource,
  manifest: RunManifest,
): Promise<PlanProcessor[]> {
  return afterRunOf(manifest, await store.loadLaunch(manifest.runId));
}

/** afterRunProcessors, given the run's launch record already read (`launch`: none stored). */
export async function afterRunOf(
  manifest: RunManifest,
  launch: LaunchRecord | undefined,
): Promise<PlanProcessor[]> {
  const config = (launch?.config ?? manifest.config) as {
    processors?: { build_stage?: string }[];
  } | null;
  const any = config?.processors?.some((p) => p.build_stage === 'post_generation') ?? false;
  if (!any) return [];
  const seedData = launch?.seedFile ? await readSeedDataset(launch.seedFile) : undefined;
  const { plan } = compilePlan(readConfig(config as object), {
    simulate: true,
    overrides: {
      numRecords: manifest.numRecords,
      seed: manifest.seed,
      bufferSize: manifest.bufferSize,
    },
    ...(seedData ? { seedData } : {}),
  });
  return processorsOf(plan.processors, 'after_run');
}

/** A stored group's rows, with `afterRun` processors applied. */
export async function decodeGroup(
  stored: StoredGroup,
  afterRun: readonly PlanProcessor[],
): Promise<DecodedGroup> {
  const decoded = arrowTableToRows(arrowTableFromIPC(stored.ipc));
  if (afterRun.length === 0) return decoded;
  const indices = decoded.rows.map((_, i) => stored.firstRow + i);
  const out = await runProcessors(
    [...afterRun],
    { rows: decoded.rows, rowIndices: indices },
    stored.id,
    new AbortController().signal,
  );
  const present = new Set<string>();
  for (const row of out.rows) for (const k of Object.keys(row)) present.add(k);
  const columns = decoded.columns.filter((c) => present.has(c));
  for (const k of present) if (!columns.includes(k)) columns.push(k);
  return { columns, rows: out.rows };
}

/**
 * Rows `indices` (positions among the rows the group reads as) of a stored group:
 * without after_run processors only those rows are decoded.
 */
export async function groupRowsAt(
  stored: StoredGroup,
  afterRun: readonly PlanProcessor[],
  indices: readonly number[],
): Promise<DecodedGroup> {
  if (afterRun.length === 0) return arrowRowsAt(arrowTableFromIPC(stored.ipc), indices);
  const group = await decodeGroup(stored, afterRun);
  return { columns: group.columns, rows: indices.map((i) => group.rows[i] ?? {}) };
}

/** The manifest of `runId`, or RUN_NOT_FOUND. */
export async function manifestOf(store: GroupSource, runId: string, action: string) {
  const manifest = await store.loadManifest(runId);
  if (!manifest)
    throw new RunError(ErrorCodes.RUN_NOT_FOUND, `cannot ${action} run "${runId}": no such run`);
  return manifest;
}

function committedInOrder(manifest: RunManifest) {
  return [...manifest.committed].sort((a, b) => a.id - b.id);
}

/** Rows `offset`..`offset + limit` of a stored run, decoding only the groups they lie in. */
export async function readRunRows(
  store: GroupSource,
  runId: string,
  range: RowRange = {},
): Promise<RowPage> {
  const { offset, limit } = checkRange(range);
  const manifest = await manifestOf(store, runId, 'read rows of');
  const afterRun = await afterRunProcessors(store, manifest);
  return readInRunOrder(store, manifest, afterRun, offset, limit);
}

/** `range`'s offset and limit (defaults 0 and 100), or INVALID_ARGUMENT naming them. */
export function checkRange(range: RowRange): { offset: number; limit: number } {
  const offset = range.offset ?? 0;
  const limit = range.limit ?? 100;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0) {
    throw new RunError(
      ErrorCodes.INVALID_ARGUMENT,
      `readRows: expected offset and limit to be whole numbers >= 0, got offset ${String(offset)}, limit ${String(limit)}`,
    );
  }
  return { offset, limit };
}

/** Rows `offset`..`offset + limit` in run order: groups before the page are skipped unread. */
export async function readInRunOrder(
  store: GroupSource,
  manifest: RunManifest,
  afterRun: readonly PlanProcessor[],
  offset: number,
  limit: number,
): Promise<RowPage> {
  const runId = manifest.runId;
  const rows: Row[] = [];
  let columns = manifest.columns;
  let skip = offset;
  for (const info of committedInOrder(manifest)) {
    if (rows.length >= limit) break;
    // Without after_run processors a group holds exactly its committed rows: skip it unread.
    if (afterRun.length === 0 && skip >= info.rows) {
      skip -= info.rows;
      continue;
    }
    const stored = await store.readStoredGroup(runId, info.id);
    if (afterRun.length === 0) {
      // Only the page's rows of the group are decoded.
      const count = Math.max(0, Math.min(stored.rows - skip, limit - rows.length));
      const part = await groupRowsAt(
        stored,
        afterRun,
        Array.from({ length: count }, (_, i) => skip + i),
      );
      columns = part.columns;
      rows.push(...part.rows);
      skip = 0;
      continue;
    }
    const group = await decodeGroup(stored, afterRun);
    columns = group.columns;
    const from = Math.min(skip, group.rows.length);
    skip -= from;
    rows.push(...group.rows.slice(from, from + limit - rows.length));
  }
  const total = manifest.rowsWritten;
  return { columns, rows, positions: rows.map((_, i) => offset + i), total, matched: total };
}

/** Profiles a stored run group by group (one decoded group in memory at a time). */
export async function profileStoredRun(
  store: GroupSource,
  runId: string,
  options: { maxRows?: number } = {},
): Promise<RunProfile> {
  const manifest = await manifestOf(store, runId, 'profile');
  const afterRun = await afterRunProcessors(store, manifest);
  const max = options.maxRows ?? Infinity;
  const profiler = new Profiler(afterRun.length === 0 ? manifest.columns : []);
  for (const info of committedInOrder(manifest)) {
    if (profiler.rows >= max) break;
    const group = await decodeGroup(await store.readStoredGroup(runId, info.id), afterRun);
    profiler.add(group.rows.slice(0, max - profiler.rows));
  }
  return { profile: profiler.result(), rows: profiler.rows };
}
