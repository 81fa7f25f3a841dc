/**
 * `generate --shard K/COUNT` (SPEC 6): shard K of COUNT generates the row groups
 * whose id modulo COUNT is K, into a directory shared by every shard. Each shard
 * keeps its own manifest there (`manifest.shard-K-of-COUNT.json`); the part files are
 * named by global row-group id, so the shards' files together are the one-machine
 * run's. `auto/COUNT` reads K from the batch system's array index variable.
 */
import { UsageError } from './output.ts';

/** One shard of a run. */
export interface Shard {
  /** 0-based index, < count. */
  index: number;
  count: number;
}

/** Array index variables of the batch systems we run under, in the order they are tried. */
export const SHARD_INDEX_VARIABLES = [
  'JOB_COMPLETION_INDEX',
  'SLURM_ARRAY_TASK_ID',
  'AWS_BATCH_JOB_ARRAY_INDEX',
] as const;

/** Parses `K/COUNT` or `auto/COUNT`; `env` gives the index for auto. */
export function parseShard(raw: string, env: Record<string, string | undefined>): Shard {
  const m = /^(auto|\d+)\/(\d+)$/.exec(raw.trim());
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(count) || count < 1) {
    throw new UsageError(
      `--shard: expected K/COUNT (K from 0 to COUNT-1) or auto/COUNT, got "${raw}"`,
    );
  }
  let index: number;
  if (m[1] === 'auto') {
    const found = SHARD_INDEX_VARIABLES.find((v) => (env[v] ?? '') !== '');
    if (found === undefined) {
      throw new UsageError(
        `--shard auto/${count}: expected the shard index in one of ${SHARD_INDEX_VARIABLES.join(', ')} (Kubernetes Indexed Job, Slurm job array, AWS Batch array job), found none of them set`,
      );
    }
    const value = env[found]!;
    index = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(index)) {
      throw new UsageError(
        `--shard auto/${count}: expected ${found} to be an integer, got "${value}"`,
      );
    }
  } else {
    index = Number(m[1]);
  }
  if (index >= count) {
    throw new UsageError(
      `--shard ${raw}: expected a shard index from 0 to ${count - 1}, got ${index}`,
    );
  }
  return { index, count };
}

/** Whether row group `id` belongs to `shard`: round robin, so shards get equal shares. */
export function inShard(shard: Shard, id: number): boolean {
  return id % shard.count === shard.index;
}

/** The manifest file of one shard in the shared directory. */
export function shardManifestFile(shard: Shard): string {
  return `manifest.shard-${shard.index}-of-${shard.count}.json`;
}

/** `manifest.shard-K-of-COUNT.json` (K < COUNT) to its shard, or undefined for any other name. */
export function shardOfManifestFile(name: string): Shard | undefined {
  const m = /^manifest\.shard-(\d+)-of-(\d+)\.json$/.exec(name);
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  return shard && shard.index < shard.count ? shard : undefined;
}

/** Row groups of a run of `numRecords` rows in groups of `bufferSize`. */
export function groupCount(numRecords: number, bufferSize: number): number {
  return Math.ceil(numRecords / bufferSize);
}

/** `shard`'s share of a run of `numRecords` rows in groups of `bufferSize`: its row groups and their rows. */
export function shardShare(
  shard: Shard,
  numRecords: number,
  bufferSize: number,
): { groups: number; rows: number } {
  let groups = 0;
  let rows = 0;
  for (let id = shard.index; id * bufferSize < numRecords; id += shard.count) {
    groups++;
    rows += Math.min(bufferSize, numRecords - id * bufferSize);
  }
  return { groups, rows };
}

/**
 * What a shard prints at start: its share of the run and of each model's limit.
 * Returns those lines with the share (row groups and rows) they announce.
 */
export function shardBanner(
  shard: Shard,
  numRecords: number,
  bufferSize: number,
  models: readonly { label: string; maxParallelRequests: number }[],
): { lines: string[]; groups: number; rows: number } {
  const share = shardShare(shard, numRecords, bufferSize);
  const lines = [
    `shard ${shard.index} of ${shard.count} (0-based): ${share.groups} of ${groupCount(numRecords, bufferSize)} row groups`,
  ];
  for (const m of models) {
    lines.push(
      `  model ${m.label}: up to ${m.maxParallelRequests} parallel requests from this shard, ${m.maxParallelRequests * shard.count} from all ${shard.count} shards together; to share an endpoint's capacity C, set max_parallel_requests to C / ${shard.count}`,
    );
  }
  return { lines, ...share };
}
