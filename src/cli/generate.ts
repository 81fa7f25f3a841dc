/**
 * `tabsynth generate CONFIG --rows N --out PATH`: a full run into a directory store.
 *
 * PATH is a directory (one Parquet file per row group plus the manifest), or one file:
 * `.parquet` (spliced from the committed groups while the run runs), `.csv` or
 * `.jsonl` (written when it ends). A file's run lives in `PATH.run/` while it runs;
 * that directory is removed once the run completes and the file is written, and
 * kept otherwise so `--resume` can continue it. `--shard K/COUNT` generates one
 * shard's row groups into a directory shared with the other shards (shard.ts).
 * Ctrl-C aborts the run: committed row groups stay.
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { once, setMaxListeners } from 'node:events';
import type { Clock } from '../core/clock.ts';
import { ErrorCodes, RunError, StoreError } from '../core/errors.ts';
import type { RunResult } from '../core/engine/events.ts';
import { runEngine } from '../core/engine/run.ts';
import type { RowGroupStore } from '../core/storage/types.ts';
import { DirectoryStore, MANIFEST_FILE, partIdOfFileName } from '../node/directory-store.ts';
import { writeExtraTables, writeSingleParquet } from '../node/single-parquet.ts';
import { StreamedParquet } from '../node/streamed-parquet.ts';
import { writeTextFile } from '../node/text-export.ts';
import { checkOutputPath } from '../node/file-output.ts';
import { definedOverrides, loadPipeline } from './config-file.ts';
import { formatSummary } from './format.ts';
import { UsageError, errorLine } from './output.ts';
import type { Output } from './output.ts';
import { decideResume, type ResumeMode } from './resume.ts';
import { DEFAULT_PROGRESS_INTERVAL_S, ProgressLog } from './progress-log.ts';
import { readRunConfigFile, type ProgressSettings } from './run-config.ts';
import {
  inShard,
  shardBanner,
  shardManifestFile,
  shardOfManifestFile,
  type Shard,
} from './shard.ts';

export interface GenerateOptions {
  /** Rows to generate. Default: the config's `run.num_records`. */
  rows: number | undefined;
  /** Output path: `*.parquet`, `*.csv` or `*.jsonl` for one file, anything else a directory. Required. */
  out: string | undefined;
  /** Run seed. Default: the config's. */
  seed: number | undefined;
  /** Rows per row group. Default: the config's (1000). */
  bufferSize: number | undefined;
  /** Write task traces to this JSONL file. Default: none. */
  trace: string | undefined;
  /** Run every model on the simulated provider. Default: false. */
  simulate: boolean;
  /** What to do with a run already in the output. Default: 'never' (refuse it). */
  resume: ResumeMode;
  /** A Data Designer run-config file (YAML or JSON). Default: none. */
  runConfig?: string | undefined;
  /** Generate only this shard's row groups. Default: all of them. */
  shard?: Shard | undefined;
  /** Seconds between progress lines in a log. Default: the run config's progress_interval, else 5. */
  progressInterval?: number | undefined;
  /** The terminal the progress line is redrawn on. Default: stderr when it is a TTY, else none. */
  terminal?: { write(text: string): unknown } | undefined;
  /** The clock progress is timed by. Default: the system clock. */
  clock?: Clock | undefined;
}

/** The run id of a CLI run: the output holds exactly one run. */
const RUN_ID = 'run';

type OutputKind = 'directory' | 'parquet' | 'csv' | 'jsonl';

const ONE_FILE_HINT =
  ' (a name ending in .parquet, .csv or .jsonl is one file, any other a directory)';

function outputKind(out: string): OutputKind {
  const ext = /\.(parquet|csv|jsonl)$/i.exec(out)?.[1]?.toLowerCase();
  return (ext as OutputKind | undefined) ?? 'directory';
}

export async function generateCommand(
  path: string,
  options: GenerateOptions,
  output: Output,
): Promise<number> {
  const out = options.out;
  if (!out) throw new UsageError('generate: --out PATH is required');
  const kind = outputKind(out);
  const shard = options.shard;
  if (shard && kind !== 'directory') {
    throw new UsageError(
      `--shard: expected --out to be a directory shared by every shard, got the file ${out} (merge the shards into one file with: tabsynth merge DIR --out FILE.parquet)`,
    );
  }
  const runDir = kind === 'directory' ? out : `${out}.run`;
  // Refused now, not after a run whose rows then have nowhere to go.
  await checkOutputPath('--out', out, kind === 'directory' ? 'directory' : 'file', ONE_FILE_HINT);
  await checkRunsInDir(runDir, shard);
  const runConfig = options.runConfig ? await readRunConfigFile(options.runConfig) : undefined;
  for (const warning of runConfig?.warnings ?? []) output.err(`warning: ${warning}`);
  const overrides = definedOverrides({
    numRecords: options.rows,
    seed: options.seed,
    bufferSize: options.bufferSize,
    trace: options.trace ? true : undefined,
  });
  const pipeline = await loadPipeline(path, overrides, options.simulate, runConfig?.run);
  await checkNotInput(
    [
      ['--out', out],
      ['--trace', options.trace],
    ],
    [
      ['config', path],
      ['run config', options.runConfig],
      ...pipeline.seedFiles.map((f) => ['seed', f] as const),
    ],
  );
  const mine = shard ? (id: number) => inShard(shard, id) : undefined;
  const store = new DirectoryStore({
    root: runDir,
    layout: 'single',
    manifestFile: shard ? shardManifestFile(shard) : undefined,
    ownsGroup: mine,
  });
  // A trace file that cannot be written stops the command before the run directory is touched.
  if (options.trace) await checkTrace(options.trace, out, runDir);
  const existing = await decideResume(
    store,
    RUN_ID,
    options.resume,
    pipeline.hash,
    output,
    pipeline.plan.settings,
  );
  const resume = existing !== undefined;
  const s = pipeline.plan.settings;
  const banner = shard
    ? shardBanner(shard, s.numRecords, s.bufferSize, pipeline.plan.models)
    : undefined;
  for (const line of banner?.lines ?? []) output.out(line);
  const progress = progressLog(options, runConfig?.progress ?? {}, output, {
    shard,
    rowsRequested: banner?.rows ?? s.numRecords,
    rowsBefore: existing?.rowsWritten ?? 0,
  });
  if (banner?.groups === 0) {
    // More shards than row groups: this one has nothing to do, and that is not a failure.
    progress.finish('done');
    return 0;
  }

  const streamed = kind === 'parquet' ? new StreamedParquet(store, RUN_ID, out) : undefined;
  try {
    for (const g of existing?.committed ?? []) streamed?.committed(g.id);
    const engineStore: RowGroupStore = streamed
      ? notifying(store, (id) => streamed.committed(id))
      : store;

    const controller = new AbortController();
    // The engine listens on the signal once per running task: thousands is normal.
    setMaxListeners(0, controller.signal);
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts > 1) {
        streamed?.abort();
        process.exit(130);
      }
      output.err('stopping: keeping committed row groups (Ctrl-C again to quit at once)');
      controller.abort(new RunError(ErrorCodes.RUN_CANCELLED, 'cancelled by Ctrl-C'));
    };
    const trace = options.trace ? traceStream(options.trace, resume, output) : undefined;
    process.on('SIGINT', onSigint);

    let result: RunResult | undefined;
    let failure: unknown;
    try {
      result = await runEngine({
        plan: pipeline.plan,
        transports: pipeline.transports,
        store: engineStore,
        runId: existing?.runId ?? RUN_ID,
        config: pipeline.redacted,
        configHash: pipeline.hash,
        resume,
        rowGroups: mine,
        signal: controller.signal,
        onTrace: trace
          ? (t) => {
              if (!trace.destroyed) trace.write(`${JSON.stringify(t)}\n`);
            }
          : undefined,
        onLog: (e) => output.err(e.stack ? `${e.message}\n${e.stack}` : e.message),
        onProgress: (p) => progress.update(p),
      });
    } catch (err) {
      failure = err;
    } finally {
      process.off('SIGINT', onSigint);
      progress.finish(outcome(controller.signal.aborted, failure, result));
      if (trace) {
        trace.end();
        await once(trace, 'close');
      }
    }

    const cancelled = controller.signal.aborted;
    const manifest = await store.loadManifest(RUN_ID);
    const written = manifest?.rowsWritten ?? 0;
    const extraFiles: string[] = [];
    if (kind !== 'directory' && written > 0) {
      try {
        const ids = (manifest?.committed ?? []).map((g) => g.id);
        if (kind === 'parquet') {
          if (!streamed!.finish(ids)) await writeSingleParquet(store, RUN_ID, out);
        } else {
          await writeTextFile(store, RUN_ID, out, kind);
        }
        extraFiles.push(...(await writeExtraTables(store, RUN_ID, out)));
      } catch (err) {
        // The file could not be written (a full disk, say): the rows are committed in
        // the run's directory, and --resume writes the file from them.
        if (failure !== undefined) output.err(errorLine(failure));
        output.err(errorLine(err));
        output.out(
          `kept ${written} committed rows in ${runDir}; once ${out} can be written, run the same command with --resume to write it`,
        );
        return 1;
      }
      const complete =
        result !== undefined && !cancelled && written >= (manifest?.numRecords ?? Infinity);
      if (complete) await rm(runDir, { recursive: true, force: true });
    }

    if (result) {
      output.out(
        formatSummary(result, out, {
          cancelled,
          shard: shard && banner ? { ...shard, rows: banner.rows } : undefined,
        }),
      );
      for (const file of extraFiles) output.out(`wrote a side table to ${file}`);
    } else {
      output.err(errorLine(failure));
      if (written > 0)
        output.out(`kept ${written} committed rows in ${kind === 'directory' ? runDir : out}`);
    }
    if (written === 0) return 1;
    return cancelled ? 130 : failure ? 1 : 0;
  } finally {
    // A partial file left by a run that ended before finish (an error on the way);
    // after finish there is nothing left to remove.
    streamed?.abort();
  }
}

/**
 * Refuses a run whose part files would overwrite another run's in `dir`: shard
 * K/COUNT beside shards of another COUNT (their row groups overlap) or in the
 * directory of a run made without --shard; a run without --shard in a directory of
 * shards. A merged directory (manifest.json beside the shards') takes its shards.
 */
async function checkRunsInDir(dir: string, shard: Shard | undefined): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const shards = names.filter((n) => shardOfManifestFile(n) !== undefined);
  const refuse = (message: string) => new RunError(ErrorCodes.INVALID_ARGUMENT, message);
  if (!shard) {
    if (shards.length > 0) {
      throw refuse(
        `${dir} holds shards of a run (${shards.join(', ')}): a run without --shard would overwrite their part files; pass --shard K/COUNT to run one of them, merge ${dir} to join them, or choose another --out`,
      );
    }
    return;
  }
  const flag = `--shard ${shard.index}/${shard.count}`;
  const other = shards.find((n) => shardOfManifestFile(n)?.count !== shard.count);
  if (other !== undefined) {
    throw refuse(
      `${flag}: expected the shards in ${dir} to be of ${shard.count}, found ${other}; use the same COUNT for every shard of a run, or another --out`,
    );
  }
  if (shards.length === 0 && names.includes(MANIFEST_FILE)) {
    throw refuse(
      `${flag}: ${dir} holds a run made without --shard (${MANIFEST_FILE}): a shard would overwrite its part files; choose another --out`,
    );
  }
}

/**
 * Refuses an output that is one of the command's input files (the config, the run
 * config, a seed file): it would be overwritten with generated rows or a trace.
 */
async function checkNotInput(
  outputs: readonly (readonly [string, string | undefined])[],
  inputs: readonly (readonly [string, string | undefined])[],
): Promise<void> {
  const identity = async (path: string | undefined) => {
    const s = path === undefined ? undefined : await stat(path).catch(() => undefined);
    return s ? `${s.dev}:${s.ino}` : undefined;
  };
  const read = new Map<string, string>();
  for (const [what, path] of inputs) {
    const id = await identity(path);
    if (id !== undefined && !read.has(id)) read.set(id, what);
  }
  for (const [flag, path] of outputs) {
    const id = await identity(path);
    const what = id === undefined ? undefined : read.get(id);
    if (what !== undefined) {
      throw new RunError(
        ErrorCodes.INVALID_ARGUMENT,
        `${flag} ${path}: expected a path apart from the command's inputs, found the ${what} file; it would be overwritten: choose another ${flag}`,
      );
    }
  }
}

/** Whether `name` is one a run writes in its directory: a part, its manifest, a shard's. */
function isRunFile(name: string): boolean {
  return (
    partIdOfFileName(name) !== undefined ||
    name === MANIFEST_FILE ||
    shardOfManifestFile(name) !== undefined
  );
}

/**
 * Makes the --trace file's folder and opens the file; STORE_IO naming it when it cannot
 * be written, INVALID_ARGUMENT when it is the output file or one the run writes.
 */
async function checkTrace(path: string, out: string, runDir: string): Promise<void> {
  const full = resolve(path);
  const inRun = dirname(full) === resolve(runDir) && isRunFile(basename(full));
  if (full === resolve(out) || inRun) {
    throw new RunError(
      ErrorCodes.INVALID_ARGUMENT,
      `--trace ${path}: expected a file apart from the run's output, found ${inRun ? `one of the files the run writes in ${runDir}` : `the --out file`}; choose another --trace`,
    );
  }
  try {
    await mkdir(dirname(path), { recursive: true });
    await (await open(path, 'a')).close();
  } catch (err) {
    throw new StoreError(
      ErrorCodes.STORE_IO,
      `--trace ${path}: expected a file that can be written, but cannot write it: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
}

/** The trace file's stream; a write that fails (a full disk) ends the trace with a warning, not the run. */
function traceStream(path: string, append: boolean, output: Output): WriteStream {
  const stream = createWriteStream(path, { flags: append ? 'a' : 'w' });
  stream.on('error', (err) =>
    output.err(
      `warning: --trace ${path}: cannot write the trace any more (${err.message}); the run goes on`,
    ),
  );
  return stream;
}

/**
 * The run's progress display: redrawn on the terminal when there is one and
 * display_tui is on; otherwise lines on stderr every `--progress-interval` (or the
 * run config's progress_interval, or 5) seconds.
 */
function progressLog(
  options: GenerateOptions,
  settings: ProgressSettings,
  output: Output,
  share: { shard: Shard | undefined; rowsRequested: number; rowsBefore: number },
): ProgressLog {
  const terminal =
    'terminal' in options ? options.terminal : process.stderr.isTTY ? process.stderr : undefined;
  const seconds =
    options.progressInterval ?? settings.intervalSeconds ?? DEFAULT_PROGRESS_INTERVAL_S;
  return new ProgressLog({
    sink:
      terminal && settings.displayTui !== false
        ? { kind: 'terminal', write: (text) => terminal.write(text) }
        : { kind: 'log', line: (text) => output.err(text) },
    intervalMs: seconds * 1000,
    clock: options.clock,
    shard: share.shard,
    rowsRequested: share.rowsRequested,
    rowsBefore: share.rowsBefore,
  });
}

/** How a run ended, in the words of its last progress line. */
function outcome(cancelled: boolean, failure: unknown, result: RunResult | undefined): string {
  if (cancelled) return 'cancelled';
  if (failure !== undefined || !result) return 'failed';
  return result.stoppedEarly ? 'stopped early' : 'done';
}

/** `store` with `onCommitted` called after each commit settles. */
function notifying(store: RowGroupStore, onCommitted: (id: number) => void): RowGroupStore {
  return {
    loadManifest: (runId) => store.loadManifest(runId),
    saveManifest: (manifest) => store.saveManifest(manifest),
    commit: async (group, manifest) => {
      await store.commit(group, manifest);
      onCommitted(group.id);
    },
    readRowGroup: (runId, id) => store.readRowGroup(runId, id),
    listRuns: () => store.listRuns(),
    deleteRun: (runId) => store.deleteRun(runId),
  };
}
