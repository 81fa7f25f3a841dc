/**
 * A stored run's name and config, for the app's list of runs: a run is named when it
 * starts (the example's or the config file's name) and can be renamed; its exports
 * are named after it; its config opens in the designer again.
 */
import { ErrorCodes, RunError } from '../core/errors.ts';
import type { RunConfig } from './engine-api.ts';
import type { IdbRunStore } from './idb-store.ts';

/** Longest run name kept. */
export const MAX_RUN_NAME = 200;

type NameStore = Pick<IdbRunStore, 'loadManifest' | 'loadLaunch' | 'saveLaunch'>;

/** `name` trimmed, or INVALID_ARGUMENT naming what was wrong with it. */
export function checkRunName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '' || trimmed.length > MAX_RUN_NAME) {
    throw new RunError(
      ErrorCodes.INVALID_ARGUMENT,
      `run name: expected text of 1 to ${MAX_RUN_NAME} characters, got ${
        typeof name === 'string' ? `${name.trim().length} characters` : typeof name
      }`,
    );
  }
  return trimmed;
}

/** Renames run `runId` (its launch record keeps the name). */
export async function renameRun(store: NameStore, runId: string, name: string): Promise<void> {
  const checked = checkRunName(name);
  const launch = await store.loadLaunch(runId);
  if (!launch) {
    throw new RunError(ErrorCodes.RUN_NOT_FOUND, `cannot rename run "${runId}": no such run`);
  }
  await store.saveLaunch(runId, { ...launch, name: checked });
}

/** The config run `runId` was started with (as stored: secrets removed), its name and seed file. */
export async function runConfig(store: NameStore, runId: string): Promise<RunConfig> {
  const [launch, manifest] = await Promise.all([
    store.loadLaunch(runId),
    store.loadManifest(runId),
  ]);
  const config = launch?.config ?? manifest?.config;
  if (config === undefined || config === null) {
    throw new RunError(
      ErrorCodes.RUN_NOT_FOUND,
      `cannot open the config of run "${runId}": no such run`,
    );
  }
  return {
    config,
    ...(launch?.name ? { name: launch.name } : {}),
    ...(launch?.seedFile
      ? { seedFile: { name: launch.seedFile.name, bytes: launch.seedFile.bytes.slice() } }
      : {}),
  };
}

/**
 * The file name (without extension) an export of a run gets: its name made safe for
 * a file system ("Product reviews" → "Product-reviews"), or `tabsynth-<id>` unnamed;
 * a processor's table adds `-<table>`.
 */
export function exportBaseName(runId: string, name?: string, table?: string): string {
  const safe = (text: string) =>
    text
      .replace(/[^\p{L}\p{N}_.-]+/gu, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 100);
  const base = (name && safe(name)) || `tabsynth-${runId.slice(0, 8)}`;
  return table === undefined ? base : `${base}-${safe(table) || 'table'}`;
}
