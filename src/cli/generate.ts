/**
 * `tabsynth generate CONFIG --rows N --out PATH`: a full run into a directory store,
 * then (PATH ending in .parquet) one Parquet file of the committed row groups.
 *
 * A .parquet PATH keeps its run in `PATH.run/` while it runs; the directory is
 * removed once the run completes and the file is written, and kept otherwise so
 * `--resume` can continue it. Ctrl-C aborts the run: committed row groups stay.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once, setMaxListeners } from 'node:events';
import { ErrorCodes, RunError, TabsynthError } from '../core/errors.ts';
import type { RunResult } from '../core/engine/events.ts';
import { runEngine } from '../core/engine/run.ts';
import { DirectoryStore } from '../node/directory-store.ts';
import { writeExtraTables, writeSingleParquet } from '../node/single-parquet.ts';
import { definedOverrides, loadPipeline } from './config-file.ts';
import { formatSummary } from './format.ts';
import { UsageError } from './output.ts';
import type { Output } from './output.ts';

export interface GenerateOptions {
  /** Rows to generate. Default: the config's `run.num_records`. */
  rows: number | undefined;
  /** Output path: `*.parquet` for one file, anything else for a directory. Required. */
  out: string | undefined;
  /** Run seed. Default: the config's. */
  seed: number | undefined;
  /** Rows per row group. Default: the config's (1000). */
  bufferSize: number | undefined;
  /** Write task traces to this JSONL file. Default: none. */
  trace: string | undefined;
  /** Run every model on the simulated provider. Default: false. */
  simulate: boolean;
  /** Continue the run already in the output. Default: false. */
  resume: boolean;
}

/** The run id of a CLI run: the output holds exactly one run. */
const RUN_ID = 'run';

export async function generateCommand(
  path: string,
  options: GenerateOptions,
  output: Output,
): Promise<number> {
  const out = options.out;
  if (!out) throw new UsageError('generate: --out PATH is required');
  const single = out.endsWith('.parquet');
  const runDir = single ? `${out}.run` : out;
  const overrides = definedOverrides({
    numRecords: options.rows,
    seed: options.seed,
    bufferSize: options.bufferSize,
    trace: options.trace ? true : undefined,
  });
  const pipeline = await loadPipeline(path, overrides, options.simulate);
  const store = new DirectoryStore({ root: runDir, layout: 'single' });

  const existing = await store.loadManifest(RUN_ID);
  if (existing && !options.resume) {
    throw new RunError(
      ErrorCodes.INVALID_ARGUMENT,
      `${runDir} already holds a run (${existing.rowsWritten} of ${existing.numRecords} rows); pass --resume to continue it, or choose another --out`,
    );
  }

  const controller = new AbortController();
  // The engine listens on the signal once per running task: thousands is normal.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    output.err('stopping: keeping committed row groups (Ctrl-C again to quit at once)');
    controller.abort(new RunError(ErrorCodes.RUN_CANCELLED, 'cancelled by Ctrl-C'));
  };
  process.on('SIGINT', onSigint);
  if (options.trace) await mkdir(dirname(options.trace), { recursive: true });
  const trace = options.trace
    ? createWriteStream(options.trace, { flags: options.resume ? 'a' : 'w' })
    : undefined;
  const showProgress = process.stderr.isTTY === true;

  let result: RunResult | undefined;
  let failure: unknown;
  try {
    result = await runEngine({
      plan: pipeline.plan,
      transports: pipeline.transports,
      store,
      runId: existing?.runId ?? RUN_ID,
      config: pipeline.redacted,
      configHash: pipeline.hash,
      resume: existing !== undefined,
      signal: controller.signal,
      onTrace: trace ? (t) => trace.write(`${JSON.stringify(t)}\n`) : undefined,
      onProgress: showProgress
        ? (p) =>
            process.stderr.write(
              `\r${p.rowsCommitted} / ${p.rowsRequested} rows, ${p.requestsInFlight} requests in flight `,
            )
        : undefined,
    });
  } catch (err) {
    failure = err;
  } finally {
    process.off('SIGINT', onSigint);
    if (showProgress) process.stderr.write('\n');
    if (trace) {
      trace.end();
      await once(trace, 'close');
    }
  }

  const cancelled = controller.signal.aborted;
  const manifest = await store.loadManifest(RUN_ID);
  const written = manifest?.rowsWritten ?? 0;
  const extraFiles: string[] = [];
  if (single && written > 0) {
    await writeSingleParquet(store, RUN_ID, out);
    extraFiles.push(...(await writeExtraTables(store, RUN_ID, out)));
    const complete =
      result !== undefined && !cancelled && written >= (manifest?.numRecords ?? Infinity);
    if (complete) await rm(runDir, { recursive: true, force: true });
  }

  if (result) {
    output.out(formatSummary(result, out, { cancelled }));
    for (const file of extraFiles) output.out(`wrote a processor's table to ${file}`);
  } else {
    const err = failure instanceof TabsynthError ? failure : undefined;
    const shown = err
      ? `error [${err.code}]: ${err.message}`
      : `error: ${String((failure as Error)?.stack ?? failure)}`;
    output.err(shown);
    if (written > 0) output.out(`kept ${written} committed rows in ${single ? out : runDir}`);
  }
  if (written === 0) return 1;
  return cancelled ? 130 : failure ? 1 : 0;
}
