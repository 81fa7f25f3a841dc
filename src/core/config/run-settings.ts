/**
 * The config's `run` section (snake_case, as written in the file) mapped to the
 * engine's RunSettings (SPEC 3.9), with overrides from the CLI or the UI's run form.
 */
import type { RunSettings } from '../engine/plan.ts';
import { DEFAULT_RUN_CONFIG, type RunConfig } from './types.ts';

/** RunSettings from a (validated) run section; `overrides` win field by field. */
export function runSettingsFrom(
  run: Partial<RunConfig> = {},
  overrides: Partial<RunSettings> = {},
): RunSettings {
  const r: RunConfig = { ...DEFAULT_RUN_CONFIG, ...definedOnly(run) };
  const fromConfig: RunSettings = {
    numRecords: r.num_records,
    seed: r.seed,
    bufferSize: r.buffer_size,
    maxConcurrentRowGroups: r.max_concurrent_row_groups,
    maxInFlightTasks: r.max_in_flight_tasks,
    shutdownErrorRate: r.shutdown_error_rate,
    shutdownErrorWindow: r.shutdown_error_window,
    disableEarlyShutdown: r.disable_early_shutdown,
    salvageMaxRounds: r.salvage_max_rounds,
    trace: r.trace,
    mode: r.mode,
    ...(r.request_admission ? { requestAdmission: r.request_admission } : {}),
  };
  return { ...fromConfig, ...definedOnly(overrides) };
}

/** The data-shaping settings: the ones that change which rows a run produces. */
export function dataShapingSettings(settings: RunSettings): {
  numRecords: number;
  seed: number;
  bufferSize: number;
} {
  return {
    numRecords: settings.numRecords,
    seed: settings.seed,
    bufferSize: settings.bufferSize,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
