/**
 * The run settings (SPEC 3.9) as the app edits them: one row per key of the core's
 * RunConfig, its default the core's DEFAULT_RUN_CONFIG. The settings a single run
 * can override from the Run panel name their RunOverrides key.
 */
import { DEFAULT_RUN_CONFIG, RUN_MODES, type RunConfig } from '../../core/config/types.ts';
import type { ResumeOverrides, RunOverrides } from '../../runtime/engine-api.ts';

type NumericOverride = {
  [K in keyof RunOverrides]-?: NonNullable<RunOverrides[K]> extends number ? K : never;
}[keyof RunOverrides];

export interface RunField {
  key: keyof RunConfig;
  label: string;
  kind: 'int' | 'number' | 'bool' | 'select';
  options?: readonly string[];
  /** Overridable for one run from the Run panel, under this RunOverrides key. */
  override?: NumericOverride;
}

/** Every run setting, in the order the forms show them. */
export const RUN_FIELDS: readonly RunField[] = [
  { key: 'num_records', label: 'Rows', kind: 'int', override: 'numRecords' },
  { key: 'seed', label: 'Seed', kind: 'int', override: 'seed' },
  { key: 'buffer_size', label: 'Buffer size', kind: 'int', override: 'bufferSize' },
  {
    key: 'max_concurrent_row_groups',
    label: 'Row groups at once',
    kind: 'int',
    override: 'maxConcurrentRowGroups',
  },
  {
    key: 'max_in_flight_tasks',
    label: 'Tasks in flight',
    kind: 'int',
    override: 'maxInFlightTasks',
  },
  { key: 'shutdown_error_rate', label: 'Shutdown error rate', kind: 'number' },
  { key: 'shutdown_error_window', label: 'Shutdown window', kind: 'int' },
  { key: 'salvage_max_rounds', label: 'Salvage rounds', kind: 'int' },
  { key: 'max_conversation_correction_steps', label: 'Correction steps', kind: 'int' },
  { key: 'max_conversation_restarts', label: 'Conversation restarts', kind: 'int' },
  { key: 'mode', label: 'Mode', kind: 'select', options: RUN_MODES },
  { key: 'disable_early_shutdown', label: 'Disable early shutdown', kind: 'bool' },
  { key: 'trace', label: 'Record task traces', kind: 'bool' },
  { key: 'preserve_dropped_columns', label: 'Keep dropped columns aside', kind: 'bool' },
];

/** The settings the Run panel overrides for one run. */
export const RUN_OVERRIDE_FIELDS = RUN_FIELDS.filter(
  (f): f is RunField & { override: NumericOverride } => f.override !== undefined,
);

/** The settings a resume may change (they shape no row). */
export const RESUME_OVERRIDES: readonly (NumericOverride & keyof ResumeOverrides)[] = [
  'maxConcurrentRowGroups',
  'maxInFlightTasks',
];

/** A setting's value in `run` (a config's raw `run` section), else the core's default. */
export function runSetting(run: Record<string, unknown>, key: keyof RunConfig): unknown {
  return run[key] ?? DEFAULT_RUN_CONFIG[key];
}

/** The core's default of a setting, as a placeholder shows it. */
export function runDefaultHint(key: keyof RunConfig): string {
  const value = DEFAULT_RUN_CONFIG[key];
  return typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
}
