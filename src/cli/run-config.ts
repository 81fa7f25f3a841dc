/**
 * `generate --run-config FILE`: Data Designer's RunConfig (YAML or JSON) as the run's
 * settings. Fields tabsynth honours become the config's `run` section (validated by
 * the same reader, so a bad value is an error naming the file and the field); fields
 * Data Designer has and tabsynth does not implement are named in a warning; a key
 * neither knows is an error, as Data Designer's own model refuses extra keys.
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
    'non-model work runs on the compute pool, sized by the machine',
  display_tui: 'progress is one line on a terminal, none otherwise',
  progress_bar: 'progress is one line on a terminal, none otherwise',
  progress_interval: 'progress is redrawn as row groups commit',
  jinja_rendering_engine: "templates always run in tabsynth's sandbox",
  request_admission: "model limits adapt with Data Designer's default AIMD constants",
  throttle: "model limits adapt with Data Designer's default AIMD constants",
};

/** What a run-config file sets, and the warnings for what it sets that has no effect. */
export interface RunConfigFile {
  /** Only the fields the file sets, in the config's `run` names. */
  run: Partial<RunConfig>;
  /** One line per ignored setting, naming it and why. */
  warnings: string[];
}

export async function readRunConfigFile(path: string): Promise<RunConfigFile> {
  const doc = parseConfigText(await readConfigText(path), formatHint(path));
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
    const why = NOT_IMPLEMENTED[key];
    if (why !== undefined) {
      warnings.push(`${source}: ${key} is not implemented by tabsynth and has no effect (${why})`);
    } else {
      known[RENAMED[key] ?? key] = value;
    }
  }
  const run = readRun(new Fields({ run: known }, '', issues));
  if (issues.length > 0) {
    throw new ConfigError(
      issues.map((i) => ({ ...i, path: `${source}: ${i.path.replace(/^run\.?/, '')}` })),
    );
  }
  const set = Object.fromEntries(
    Object.keys(known).map((k) => [k, run[k as keyof RunConfig]]),
  ) as Partial<RunConfig>;
  // Data Designer: with early shutdown off, the error rate is 1.
  if (set.disable_early_shutdown === true) set.shutdown_error_rate = 1;
  return { run: set, warnings };
}
