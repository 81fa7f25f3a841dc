/**
 * `tabsynth merge DIR [--out FILE.parquet]` (SPEC 6): the shards' manifests in DIR
 * checked against each other, then joined.
 *
 * Every row group of the run must be present exactly once: committed by one shard,
 * or left empty (all its rows dropped) by a shard that completed. Every shard must
 * come from the same config hash, seed, row count and buffer size. Anything else is
 * reported by group and shard, and nothing is written.
 *
 * The combined manifest is written as DIR/manifest.json, so DIR is one run's
 * directory (tabsynth reads it as one run; DuckDB, pandas, polars and Spark read its
 * part files as one table); when the parts' schemas differ (a column all null in one
 * shard's groups), it says so, since such readers take one part's schema for all.
 * With --out, also one Parquet file in row order with one schema: spliced from the
 * part files one group at a time (streamed-parquet.ts), or, when their schemas
 * differ, rewritten with the types widened over every part (single-parquet.ts).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, RunError, StoreError } from '../core/errors.ts';
import { isRecordError } from '../core/storage/manifest-check.ts';
import { toRanges } from '../core/storage/row-ranges.ts';
import type { FirstError, RunManifest } from '../core/storage/types.ts';
import { DirectoryStore, MANIFEST_FILE, partFileName } from '../node/directory-store.ts';
import { writeExtraTables, writeSingleParquet } from '../node/single-parquet.ts';
import { StreamedParquet } from '../node/streamed-parquet.ts';
import { checkOutputPath } from '../node/file-output.ts';
import { schemaDisagreements } from '../node/part-schemas.ts';
import type { Output } from './output.ts';
import { groupCount, shardOfManifestFile, shardShare, type Shard } from './shard.ts';

const RUN_ID = 'run';

export interface MergeOptions {
  /** One Parquet file to write. Default: none (write DIR/manifest.json). */
  out: string | undefined;
}

interface ShardManifest {
  file: string;
  shard: Shard;
  manifest: RunManifest;
}

export async function mergeCommand(
  dir: string,
  options: MergeOptions,
  output: Output,
): Promise<number> {
  // A bad --out is refused before DIR is touched.
  if (options.out !== undefined) {
    if (!options.out.endsWith('.parquet')) {
      throw new RunError(
        ErrorCodes.INVALID_ARGUMENT,
        `merge --out: expected a .parquet file, got ${options.out}`,
      );
    }
    await checkOutputPath('merge --out', options.out, 'file');
  }
  const { shards, names } = await readShardManifests(dir);
  const problems = checkShards(shards, new Set(names), damagedParts(dir, shards));
  if (problems.length > 0) {
    output.err(`cannot merge ${dir}:`);
    for (const p of problems) output.err(`  ${p}`);
    return 1;
  }
  const combined = combine(shards);
  const store = new DirectoryStore({ root: dir, layout: 'single' });
  await store.saveManifest(combined);
  const groups = combined.committed.length;
  if (options.out === undefined) {
    output.out(
      `merged ${shards.length} shards: ${combined.rowsWritten} rows in ${groups} row groups; wrote ${join(dir, MANIFEST_FILE)}`,
    );
    const parts = combined.committed.map((g) => partFileName(g.id));
    const disagreements = await schemaDisagreements(dir, parts);
    if (disagreements.length > 0) {
      output.err(
        `warning: the part files do not share one schema: ${disagreements.join('; ')}. A reader of ${join(dir, 'part-*.parquet')} may refuse them or cast the values; for one file with one schema (the types widened), run: tabsynth merge ${dir} --out FILE.parquet`,
      );
    }
    return 0;
  }
  const out = options.out;
  const streamed = new StreamedParquet(store, RUN_ID, out);
  if (!streamed.finish(combined.committed.map((g) => g.id))) {
    await writeSingleParquet(store, RUN_ID, out);
  }
  const extra = await writeExtraTables(store, RUN_ID, out);
  output.out(
    `merged ${shards.length} shards: ${combined.rowsWritten} rows in ${groups} row groups into ${out}`,
  );
  for (const file of extra) output.out(`wrote a side table to ${file}`);
  return 0;
}

/** The shards' manifests in DIR, and DIR's file names. */
async function readShardManifests(
  dir: string,
): Promise<{ shards: ShardManifest[]; names: string[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new RunError(
      ErrorCodes.RUN_NOT_FOUND,
      `merge: cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const found: ShardManifest[] = [];
  for (const file of names.sort()) {
    const shard = shardOfManifestFile(file);
    if (!shard) continue;
    const store = new DirectoryStore({ root: dir, layout: 'single', manifestFile: file });
    const manifest = await store.loadManifest(RUN_ID).catch((err: unknown) => {
      if (!(isRecordError(err) && err.code === ErrorCodes.STORE_DAMAGED)) throw err;
      throw new StoreError(
        ErrorCodes.STORE_DAMAGED,
        `merge: ${err.message}; generate --shard ${shard.index}/${shard.count} --resume if-possible starts that shard over`,
        err.details,
        { cause: err },
      );
    });
    if (manifest) found.push({ file, shard, manifest });
  }
  if (found.length === 0) {
    throw new RunError(
      ErrorCodes.RUN_NOT_FOUND,
      `merge: expected shard manifests (manifest.shard-K-of-COUNT.json) in ${dir}, found none; run generate --shard K/COUNT --out ${dir} first`,
    );
  }
  return { shards: found, names };
}

/**
 * The part files the shards list that are there but are not Parquet (a file cut
 * short, another copied over it): row group id to what was found.
 */
function damagedParts(dir: string, shards: readonly ShardManifest[]): Map<number, string> {
  const store = new DirectoryStore({ root: dir, layout: 'single' });
  const damaged = new Map<number, string>();
  for (const { manifest } of shards) {
    for (const { id, found } of store.unreadableParts(manifest)) {
      if (found !== 'missing') damaged.set(id, found);
    }
  }
  return damaged;
}

/**
 * Every problem that stops a merge, one line each; none when the shards join.
 * `files` are DIR's file names; `damaged`, the listed parts that are not Parquet.
 */
export function checkShards(
  shards: readonly ShardManifest[],
  files: ReadonlySet<string>,
  damaged: ReadonlyMap<number, string> = new Map(),
): string[] {
  const problems: string[] = [];
  const first = shards[0]!;
  const same = ['configHash', 'seed', 'numRecords', 'bufferSize'] as const;
  for (const s of shards.slice(1)) {
    for (const key of same) {
      if (s.manifest[key] !== first.manifest[key]) {
        problems.push(
          `${s.file} has ${key} ${String(s.manifest[key])}, ${first.file} has ${String(first.manifest[key])}: the shards are not of one run`,
        );
      }
    }
  }
  if (problems.length > 0) return problems;
  const { numRecords, bufferSize } = first.manifest;
  // Both are whole numbers (checkManifest); a bufferSize of 0 would make the row groups endless.
  if (bufferSize < 1) {
    return [`${first.file} has bufferSize ${bufferSize}: expected an integer of at least 1`];
  }
  const holders = new Map<number, string[]>();
  for (const s of shards) {
    const committed = new Set(s.manifest.committed.map((g) => g.id));
    for (const id of committed) {
      const found = files.has(partFileName(id)) ? damaged.get(id) : 'missing';
      if (found !== undefined) {
        problems.push(
          `${s.file} lists row group ${id} but ${partFileName(id)} is ${found}: generate it again with generate --shard ${s.shard.index}/${s.shard.count} --resume`,
        );
        continue;
      }
      holders.set(id, [...(holders.get(id) ?? []), s.file]);
    }
  }
  const total = groupCount(numRecords, bufferSize);
  const emptied = new Set(shards.flatMap((s) => emptiedGroups(s, total)));
  const missing: number[] = [];
  for (let id = 0; id < total; id++) if (!holders.has(id) && !emptied.has(id)) missing.push(id);
  if (missing.length > 0) {
    problems.push(`missing row groups (${missing.length} of ${total}): ${idList(missing)}`);
    const incomplete = shards.filter((s) => s.manifest.status !== 'complete');
    for (const s of incomplete)
      problems.push(`  ${s.file} is ${s.manifest.status}: resume it with --resume`);
  }
  for (const [id, files] of [...holders].sort(([a], [b]) => a - b)) {
    if (files.length > 1) problems.push(`row group ${id} is duplicated: in ${files.join(' and ')}`);
  }
  return problems;
}

/**
 * The groups a shard left empty (every row dropped: nothing to commit). Trusted only
 * from a complete shard whose rows add up: written plus dropped equals its groups' size.
 */
function emptiedGroups({ shard, manifest }: ShardManifest, total: number): number[] {
  if (manifest.status !== 'complete') return [];
  const { rows } = shardShare(shard, manifest.numRecords, manifest.bufferSize);
  if (manifest.rowsWritten + manifest.droppedRows !== rows) return [];
  const committed = new Set(manifest.committed.map((g) => g.id));
  const empty: number[] = [];
  for (let id = shard.index; id < total; id += shard.count) if (!committed.has(id)) empty.push(id);
  return empty;
}

/** The one run the shards make together. */
function combine(shards: readonly ShardManifest[]): RunManifest {
  const first = shards[0]!.manifest;
  const committed = shards.flatMap((s) => s.manifest.committed).sort((a, b) => a.id - b.id);
  const withRows = shards.find((s) => s.manifest.committed.length > 0)?.manifest ?? first;
  return {
    ...first,
    runId: RUN_ID,
    columns: withRows.columns,
    committed,
    rowsWritten: committed.reduce((n, g) => n + g.rows, 0),
    droppedRows: committed.reduce((n, g) => n + g.dropped, 0),
    firstErrors: mergeFirstErrors(shards.flatMap((s) => s.manifest.firstErrors)),
    status: 'complete',
    createdAt: Math.min(...shards.map((s) => s.manifest.createdAt)),
    updatedAt: Date.now(),
  };
}

/** One entry per kind, the first seen kept, the counts summed. */
function mergeFirstErrors(errors: readonly FirstError[]): FirstError[] {
  const byKind = new Map<string, FirstError>();
  for (const e of errors) {
    const had = byKind.get(e.kind);
    byKind.set(e.kind, had ? { ...had, count: had.count + e.count } : { ...e });
  }
  return [...byKind.values()];
}

/** "1, 2, 5-9": ids as ranges, at most 20 shown. */
function idList(ids: readonly number[]): string {
  const parts = toRanges(ids).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
  return parts.length > 20 ? `${parts.slice(0, 20).join(', ')}, ...` : parts.join(', ');
}
