/**
 * Resume modes, as Data Designer's: `--resume` (always: continue the run in the
 * output, an error when there is none or its config changed), `--resume if-possible`
 * (continue when the config matches, otherwise say why and start fresh), and by
 * default never (a run already in the output is refused, so nothing is overwritten
 * by accident).
 */
import { ErrorCodes, RunError, StoreError } from '../core/errors.ts';
import { isRecordError } from '../core/storage/manifest-check.ts';
import type { RunSettings } from '../core/engine/plan.ts';
import type { RunManifest } from '../core/storage/types.ts';
import { partFileName, type DirectoryStore } from '../node/directory-store.ts';
import { splitRunHash } from './run-hash.ts';
import { UsageError } from './output.ts';
import type { Output } from './output.ts';

export type ResumeMode = 'never' | 'always' | 'if-possible';

const MODES: readonly ResumeMode[] = ['never', 'always', 'if-possible'];

/** `--resume` alone is 'always'; `--resume=MODE` or `--resume MODE` names one. */
export function parseResumeMode(raw: string | undefined): ResumeMode {
  if (raw === undefined) return 'never';
  if (raw === '') return 'always';
  if ((MODES as readonly string[]).includes(raw)) return raw as ResumeMode;
  throw new UsageError(`--resume: expected nothing, if-possible, always or never, got "${raw}"`);
}

/**
 * Rewrites `--resume if-possible` (a value in the next argument) to `--resume=if-possible`
 * and a bare `--resume` to `--resume=`, so parseArgs can read it as a string option.
 */
export function foldResumeArgument(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg !== '--resume') {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && (MODES as readonly string[]).includes(next)) {
      out.push(`--resume=${next}`);
      i++;
    } else {
      out.push('--resume=');
    }
  }
  return out;
}

/**
 * For a command line with a word too many: when that word follows a bare `--resume`,
 * a note that it was read as a positional argument and what --resume takes; else ''.
 */
export function resumeWordNote(argv: readonly string[], extra: readonly string[]): string {
  const at = argv.indexOf('--resume');
  const next = at >= 0 ? argv[at + 1] : undefined;
  if (next === undefined || !extra.includes(next)) return '';
  return ` ("${next}" after --resume was read as one: --resume takes nothing, if-possible, always or never)`;
}

/** The settings a run is made with that a resumed run must share (they shape its rows). */
export type ShapingSettings = Pick<RunSettings, 'numRecords' | 'seed' | 'bufferSize'>;

/**
 * The manifest of the run `runId` in `store` to continue, or undefined to start afresh;
 * with if-possible, clears a run it cannot continue. `settings` are this command's, to
 * name what differs from the run's.
 */
export async function decideResume(
  store: DirectoryStore,
  runId: string,
  mode: ResumeMode,
  configHash: string,
  output: Output,
  settings: ShapingSettings,
): Promise<RunManifest | undefined> {
  const where = store.root;
  let existing: RunManifest | undefined;
  try {
    existing = await store.loadManifest(runId);
  } catch (err) {
    // Another program's manifest.json is never deleted; a damaged one of ours is.
    const ours =
      isRecordError(err) && err.code === ErrorCodes.STORE_DAMAGED && !err.details['foreign'];
    if (!ours) throw err;
    if (mode === 'if-possible') {
      output.err(`cannot resume the run in ${where}: ${err.message}; starting fresh`);
      await store.deleteRun(runId);
      return undefined;
    }
    throw new StoreError(
      ErrorCodes.STORE_DAMAGED,
      `${err.message}; the run cannot be continued: --resume if-possible starts it over, or choose another --out`,
      err.details,
      { cause: err },
    );
  }
  if (mode === 'never') {
    if (existing) {
      throw new RunError(
        ErrorCodes.INVALID_ARGUMENT,
        `${where} already holds a run (${existing.rowsWritten} of ${existing.numRecords} rows); pass --resume to continue it, --resume if-possible to continue it or start over, or choose another --out`,
      );
    }
    return undefined;
  }
  if (!existing) {
    if (mode === 'always') {
      throw new RunError(
        ErrorCodes.RUN_NOT_FOUND,
        `--resume: expected a run to continue in ${where}, found none (use --resume if-possible to start one when there is none)`,
      );
    }
    return undefined;
  }
  if (existing.configHash === configHash) return forgetUnreadableParts(store, existing, output);
  const differs = settingsDiffer(existing, settings, configHash);
  if (mode === 'always') {
    throw new RunError(
      ErrorCodes.RUN_CONFIG_CHANGED,
      `--resume: cannot continue the run in ${where}: ${differs}; run with the run's settings and config, --resume if-possible to start over, or choose another --out`,
      { runId, expected: existing.configHash, found: configHash },
    );
  }
  output.err(`cannot resume the run in ${where}: ${differs}; starting fresh`);
  await store.deleteRun(runId);
  return undefined;
}

/** What differs between a run and this command: "--rows 12, the run's 10", or its config. */
function settingsDiffer(run: RunManifest, now: ShapingSettings, configHash: string): string {
  const flags = [
    ['--rows', run.numRecords, now.numRecords],
    ['--seed', run.seed, now.seed],
    ['--buffer-size', run.bufferSize, now.bufferSize],
  ] as const;
  const changed = flags
    .filter(([, was, is]) => is !== was)
    .map(([flag, was, is]) => `${flag} ${is}, the run's ${was}`);
  if (changed.length > 0) return `its data-shaping settings differ (${changed.join('; ')})`;
  const was = splitRunHash(run.configHash);
  const is = splitRunHash(configHash);
  if (was.config === is.config && was.seed !== is.seed) {
    return 'its seed file changed since the run started (its bytes differ)';
  }
  return `its config changed since the run started (hash ${run.configHash}, now ${configHash})`;
}

/**
 * Takes out of the run's manifest the row groups whose part file is missing or is not
 * Parquet, saying so: the resumed run generates them again. Kept listed, they would
 * be reported as written while their rows are gone, or stop every export of the run.
 */
async function forgetUnreadableParts(
  store: DirectoryStore,
  manifest: RunManifest,
  output: Output,
): Promise<RunManifest> {
  const bad = store.unreadableParts(manifest);
  if (bad.length === 0) return manifest;
  for (const { id, found } of bad) {
    output.err(
      `warning: ${store.root}: row group ${id} is listed in ${store.manifestFile}, but ${partFileName(id)} is ${found}; generating it again`,
    );
  }
  const gone = new Set(bad.map((b) => b.id));
  const lost = manifest.committed.filter((g) => gone.has(g.id));
  const kept: RunManifest = {
    ...manifest,
    committed: manifest.committed.filter((g) => !gone.has(g.id)),
    rowsWritten: manifest.rowsWritten - lost.reduce((n, g) => n + g.rows, 0),
    droppedRows: manifest.droppedRows - lost.reduce((n, g) => n + g.dropped, 0),
    status: 'running',
    updatedAt: Date.now(),
  };
  await store.saveManifest(kept);
  return kept;
}
