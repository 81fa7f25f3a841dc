/**
 * `generate --run-config FILE`: Data Designer's RunConfig (YAML or JSON) as the run's
 * settings. Fields tabsynth honours become the config's `run` section (validated by
 * the same reader, so a bad value is an error naming the file and the field); the
 * progress settings (`display_tui`, its deprecated alias `progress_bar`,
 * `progress_interval`) shape the command's progress display; fields Data Designer has
 * and tabsynth does not implement are named in a warning; a key neither knows is an
 * error, as Data Designer's own model refuses extra keys.
 */
import { ConfigError, type ConfigIssue } from '../core/errors.ts';
import { parseConfigText } from '../core/config/parse.ts';
import { readRun } from '../core/config/read-sections.ts';
import { Fields, isObject, describe } from '../core/config/reader.ts';
import type { RunConfig } from '../core/config/types.ts';
import { formatHint, readConfigText } from './config-file.ts';

/** Data Designer RunConfig fields tabsynth reads under another name. */
const RENAMED: Readonly<Record<string, keyof RunConfig>> = { async_trace: 'trace' };

/** Data Designer RunConfig fields with no effect here, and why. */
const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {
  non_inference_max_parallel_workers:
    "Data Designer's thread count for non-model cell-by-cell generators; tabsynth's non-model work runs on its compute pool, sized by the machine",
  jinja_rendering_engine:
    "Data Designer's choice between Jinja2's sandbox (native) and its hardened one (secure); tabsynth's templates always run in its own sandbox",
  throttle: 'deprecated in Data Designer: write request_admission, which tabsynth honours',
};

/** Data Designer RunConfig fields that set the command's progress display. */
const PROGRESS_FIELDS: ReadonlySet<string> = new Set([
  'display_tui',
  'progress_bar',
  'progress_interval',
]);

/** How the file asks progress to be shown; each field absent when the file leaves it unset. */
export interface ProgressSettings {
  /** Seconds between progress lines in a log (Data Designer's progress_interval, > 0; default 5). */
  intervalSeconds?: number;
  /** false: plain lines on a terminal too, instead of one redrawn line (display_tui; default true here). */
  displayTui?: boolean;
}

/** What a run-config file sets, and the warnings for what it sets that has no effect. */
export interface RunConfigFile {
  /** Only the fields the file sets, in the config's `run` names. */
  run: Partial<RunConfig>;
  /** The progress display's settings. */
  progress: ProgressSettings;
  /** One line per ignored or deprecated setting, naming it and why. */
  warnings: string[];
}

export async function readRunConfigFile(path: string): Promise<RunConfigFile> {
  const text = await readConfigText(path, 'run config');
  let doc: unknown;
  try {
    doc = parseConfigText(text, formatHint(path));
  } catch (err) {
    // Named by the file: the same words for the config itself would send the user there.
    if (err instanceof ConfigError) throw inFile(err, path);
    throw err;
  }
  return runConfigFromObject(doc, path);
}

/** Splits a parsed run-config document; throws ConfigError listing every bad field. */
export function runConfigFromObject(doc: unknown, source: string): RunConfigFile {
  const issues: ConfigIssue[] = [];
  if (!isObject(doc)) {
    throw new ConfigError([
      { path: source, message: `expected a mapping, found ${describe(doc)}` },
    ]);
  }
  const known: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (PROGRESS_FIELDS.has(key)) continue;
    const why = NOT_IMPLEMENTED[key];
    if (why !== undefined) {
      warnings.push(`${source}: ${key} is not implemented by tabsynth and has no effect (${why})`);
    } else {
      known[RENAMED[key] ?? key] = value;
    }
  }
  const run = readRun(new Fields({ run: known }, '', issues));
  const progress = readProgress(new Fields(doc, '', issues), source, warnings);
  if (issues.length > 0) throw inFile(new ConfigError(issues), source);
  const set = Object.fromEntries(
    Object.keys(known).map((k) => [k, run[k as keyof RunConfig]]),
  ) as Partial<RunConfig>;
  // Data Designer: with early shutdown off, the error rate is 1.
  if (set.disable_early_shutdown === true) set.shutdown_error_rate = 1;
  return { run: set, progress, warnings };
}

/** `err` with each issue's path under `source`, the run-config file (a field's, without `run.`). */
function inFile(err: ConfigError, source: string): ConfigError {
  const at = (path: string) => path.replace(/^run\.?/, '');
  return new ConfigError(
    err.issues.map((i) => ({ ...i, path: at(i.path) ? `${source}: ${at(i.path)}` : source })),
    err.code,
  );
}

/** display_tui (or, as Data Designer reads it, the deprecated progress_bar) and progress_interval. */
function readProgress(f: Fields, source: string, warnings: string[]): ProgressSettings {
  const progress: ProgressSettings = {};
  const interval = f.optNumber('progress_interval', null, { above: 0 });
  if (interval !== null) progress.intervalSeconds = interval;
  const bar = f.has('progress_bar') ? f.bool('progress_bar', true) : undefined;
  const tui = f.has('display_tui') ? f.bool('display_tui', true) : undefined;
  if (bar !== undefined) {
    // Data Designer: progress_bar fills in display_tui when the file does not set it.
    warnings.push(
      `${source}: progress_bar is deprecated in Data Designer; write display_tui${tui === undefined ? ' (read as display_tui here)' : ', which this file also sets and which wins'}`,
    );
  }
  const shown = tui ?? bar;
  if (shown !== undefined) progress.displayTui = shown;
  return progress;
}
