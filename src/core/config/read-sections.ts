/**
 * The smaller sections: seed_config (seed.py), constraints (sampler_constraints.py),
 * processors (processors.py) and tabsynth's `run` (SPEC 3.9).
 */
import { DROPPED_COLUMNS_TABLE } from './compilers/processors.ts';
import { Fields, describe } from './reader.ts';
import {
  BUILD_STAGES,
  DEFAULT_BUILD_STAGE,
  DEFAULT_REQUEST_ADMISSION,
  DEFAULT_RUN_CONFIG,
  RUN_MODES,
  type RequestAdmissionConfig,
  type BuildStage,
  type Constraint,
  type ProcessorConfig,
  type RunConfig,
  type SeedConfig,
} from './types.ts';

const REFUSED_SEED_SOURCES: ReadonlyMap<string, string> = new Map([
  [
    'hf',
    "seed_type 'hf' (a Hugging Face dataset) needs the Hub and a token; download the file and use seed_type 'local' with its name",
  ],
  [
    'df',
    "seed_type 'df' (a pandas DataFrame) cannot be written in a config; save it as CSV, JSONL or Parquet and use seed_type 'local'",
  ],
  [
    'directory',
    "seed_type 'directory' reads a folder, which a browser cannot; combine the files into one CSV, JSONL or Parquet file and use seed_type 'local'",
  ],
  [
    'file_contents',
    "seed_type 'file_contents' reads a folder, which a browser cannot; use one CSV, JSONL or Parquet file with seed_type 'local'",
  ],
  [
    'agent_rollout',
    "seed_type 'agent_rollout' reads a folder of traces, which a browser cannot; export them to JSONL and use seed_type 'local'",
  ],
]);

const SEED_FILE = /\.(csv|jsonl|json|parquet)$/i;

export function readSeedConfig(f: Fields): SeedConfig | null {
  const s = f.object('seed_config', false);
  if (!s) return null;
  const src = s.object('source');
  let path = '';
  if (src) {
    const type = src.raw('seed_type') ?? 'local';
    const refused = typeof type === 'string' ? REFUSED_SEED_SOURCES.get(type) : undefined;
    if (refused) {
      src.issue('seed_type', refused);
      return null;
    }
    if (type !== 'local') src.issue('seed_type', `expected 'local', found ${describe(type)}`);
    path = src.string('path', { nonEmpty: true });
    if (path !== '' && !SEED_FILE.test(path)) {
      src.issue('path', `expected a .csv, .jsonl or .parquet file name, found ${describe(path)}`);
    }
    src.end();
  }
  const sampling_strategy = s.oneOf(
    'sampling_strategy',
    ['ordered', 'shuffle'] as const,
    'ordered',
  );
  let selection_strategy: SeedConfig['selection_strategy'] = null;
  const sel = s.object('selection_strategy', false);
  if (sel && (sel.has('start') || sel.has('end'))) {
    const start = sel.number('start', { integer: true, min: 0 });
    const end = sel.number('end', { integer: true, min: 0 });
    if (start > end)
      sel.issue('end', `expected an index >= start (${start}), found the number ${end}`);
    selection_strategy = { start, end };
    sel.end();
  } else if (sel) {
    const num_partitions = sel.optNumber('num_partitions', 1, { integer: true, min: 1 });
    const index = sel.optNumber('index', 0, { integer: true, min: 0 });
    if (index >= num_partitions) {
      sel.issue(
        'index',
        `expected an index below num_partitions (${num_partitions}), found the number ${index}`,
      );
    }
    selection_strategy = { index, num_partitions };
    sel.end();
  }
  s.end();
  return { source: { seed_type: 'local', path }, sampling_strategy, selection_strategy };
}

const OPERATORS = ['lt', 'le', 'gt', 'ge'] as const;

export function readConstraint(
  raw: unknown,
  path: string,
  issues: Fields['issues'],
): Constraint | undefined {
  const f = Fields.of(raw, path, issues);
  if (!f) return undefined;
  const target_column = f.string('target_column', { nonEmpty: true });
  const operator = f.oneOf('operator', OPERATORS);
  const declared = f.raw('constraint_type');
  const rhs = f.raw('rhs');
  const numeric =
    typeof rhs === 'number' ||
    (typeof rhs === 'string' && rhs.trim() !== '' && Number.isFinite(Number(rhs)));
  const type =
    declared ?? (numeric || rhs === undefined ? 'scalar_inequality' : 'column_inequality');
  let constraint: Constraint | undefined;
  if (rhs === undefined)
    f.issue('rhs', 'required; expected a number or a column name, found nothing');
  if (type === 'scalar_inequality') {
    if (rhs !== undefined && !numeric) f.issue('rhs', `expected a number, found ${describe(rhs)}`);
    constraint = {
      constraint_type: 'scalar_inequality',
      target_column,
      operator,
      rhs: numeric ? Number(rhs) : NaN,
    };
  } else if (type === 'column_inequality') {
    if (rhs !== undefined && (typeof rhs !== 'string' || rhs === '')) {
      f.issue('rhs', `expected a column name, found ${describe(rhs)}`);
    }
    constraint = {
      constraint_type: 'column_inequality',
      target_column,
      operator,
      rhs: typeof rhs === 'string' ? rhs : '',
    };
  } else {
    f.issue(
      'constraint_type',
      `expected 'scalar_inequality' or 'column_inequality', found ${describe(declared)}`,
    );
  }
  f.end();
  return constraint;
}

const STAGES = [...BUILD_STAGES, 'after_generation'] as const;

export function readProcessor(
  raw: unknown,
  path: string,
  index: number,
  issues: Fields['issues'],
): ProcessorConfig | undefined {
  const f = Fields.of(raw, path, issues);
  if (!f) return undefined;
  const type = f.oneOf('processor_type', ['drop_columns', 'schema_transform'] as const);
  const typeOk = f.obj['processor_type'] === type;
  const name = f.optString('name', `${type}_${index}`);
  checkProcessorName(f, name);
  const stage = f.oneOf('build_stage', STAGES, DEFAULT_BUILD_STAGE);
  const build_stage: BuildStage = stage === 'after_generation' ? 'post_generation' : stage;
  let processor: ProcessorConfig | undefined;
  if (type === 'drop_columns') {
    processor = {
      processor_type: 'drop_columns',
      name,
      build_stage,
      column_names: f.stringList('column_names', true, { minLength: 1 }),
    };
  } else {
    const template = f.record('template', {}, true);
    if (template === f.obj['template'] && Object.keys(template).length === 0) {
      f.issue('template', 'expected at least one output column, found an empty object');
    }
    processor = { processor_type: 'schema_transform', name, build_stage, template };
  }
  f.end();
  return typeOk ? processor : undefined;
}

/**
 * A processor's name names its side table, which a host writes as a folder (the
 * CLI's `extra_tables/NAME/`): it must be one folder name, not a path out of the
 * run's folder, and not the folder of preserved dropped columns.
 */
function checkProcessorName(f: Fields, name: string): void {
  if (name.trim() === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    f.issue(
      'name',
      `expected a processor name usable as a folder name (not empty, '.' or '..', without '/' or '\\'), found ${describe(name)}`,
    );
  } else if (name === DROPPED_COLUMNS_TABLE) {
    f.issue(
      'name',
      `expected a processor name other than '${DROPPED_COLUMNS_TABLE}', the table of preserved dropped columns`,
    );
  }
}

export function readRun(f: Fields): RunConfig {
  const r = f.object('run', false);
  if (!r) return { ...DEFAULT_RUN_CONFIG };
  const d = DEFAULT_RUN_CONFIG;
  const positive = { integer: true, min: 1 };
  const run: RunConfig = {
    num_records: r.optNumber('num_records', d.num_records, positive),
    seed: r.optNumber('seed', d.seed, {
      integer: true,
      min: -Number.MAX_SAFE_INTEGER,
      max: Number.MAX_SAFE_INTEGER,
    }),
    buffer_size: r.optNumber('buffer_size', d.buffer_size, positive),
    max_concurrent_row_groups: r.optNumber(
      'max_concurrent_row_groups',
      d.max_concurrent_row_groups,
      positive,
    ),
    max_in_flight_tasks: r.optNumber('max_in_flight_tasks', d.max_in_flight_tasks, positive),
    shutdown_error_rate: r.optNumber('shutdown_error_rate', d.shutdown_error_rate, {
      min: 0,
      max: 1,
    }),
    shutdown_error_window: r.optNumber('shutdown_error_window', d.shutdown_error_window, positive),
    disable_early_shutdown: r.bool('disable_early_shutdown', d.disable_early_shutdown),
    salvage_max_rounds: r.optNumber('salvage_max_rounds', d.salvage_max_rounds, {
      integer: true,
      min: 0,
    }),
    trace: r.bool('trace', d.trace),
    mode: r.oneOf('mode', RUN_MODES, d.mode),
    max_conversation_correction_steps: r.optNumber(
      'max_conversation_correction_steps',
      d.max_conversation_correction_steps,
      { integer: true, min: 0 },
    ),
    max_conversation_restarts: r.optNumber(
      'max_conversation_restarts',
      d.max_conversation_restarts,
      {
        integer: true,
        min: 0,
      },
    ),
    request_admission: readAdmission(r.object('request_admission', false)),
    preserve_dropped_columns: r.bool('preserve_dropped_columns', d.preserve_dropped_columns),
  };
  r.end();
  return run;
}

/** Data Designer's `request_admission` block, with its bounds. */
function readAdmission(a: Fields | undefined): RequestAdmissionConfig | null {
  if (!a) return null;
  const d = DEFAULT_REQUEST_ADMISSION;
  const out: RequestAdmissionConfig = {
    multiplicative_decrease_factor: a.optNumber(
      'multiplicative_decrease_factor',
      d.multiplicative_decrease_factor,
      { above: 0 },
    ),
    additive_increase_step: a.optNumber('additive_increase_step', d.additive_increase_step, {
      integer: true,
      min: 1,
    }),
    successes_until_increase: a.optNumber('successes_until_increase', d.successes_until_increase, {
      integer: true,
      min: 1,
    }),
    cooldown_seconds: a.optNumber('cooldown_seconds', d.cooldown_seconds, { above: 0 }),
    startup_ramp_seconds: a.optNumber('startup_ramp_seconds', d.startup_ramp_seconds, { min: 0 }),
  };
  if (out.multiplicative_decrease_factor >= 1) {
    a.issue(
      'multiplicative_decrease_factor',
      `expected a number above 0 and below 1, found the number ${out.multiplicative_decrease_factor}`,
    );
  }
  a.end();
  return out;
}
