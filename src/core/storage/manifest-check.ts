/**
 * A run's manifest as read back from a store (IndexedDB or a run directory), checked
 * field by field, never cast. A stored manifest carries the store's schema version
 * (`schemaVersion`); a manifest without one was written before stores had versions
 * and is version 1. A version above what this code reads is STORE_NEWER.
 */
import { ErrorCodes, StoreError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import { Fields, stringsAt } from './check.ts';
import type { ModelUsage } from '../models/cost.ts';
import type { CommittedGroupInfo, FirstError, RunManifest, RunStatus } from './types.ts';

/** The field of a stored manifest that holds its store's schema version. */
export const SCHEMA_VERSION_FIELD = 'schemaVersion';

const STATUSES: readonly RunStatus[] = ['running', 'complete', 'stopped', 'cancelled', 'failed'];
const CODES = new Set<string>(Object.values(ErrorCodes));
const isErrorCode = (code: string): code is ErrorCode => CODES.has(code);

/** `manifest` as stored under schema `version`: the manifest with its version field. */
export function stampManifest(
  manifest: RunManifest,
  version: number,
): RunManifest & { [SCHEMA_VERSION_FIELD]: number } {
  return { ...manifest, [SCHEMA_VERSION_FIELD]: version };
}

/**
 * The schema version `value` (a stored record) was written under: its `schemaVersion`,
 * 1 when it has none; STORE_NEWER when above `newest`, STORE_DAMAGED when not a version.
 */
function recordVersion(record: string, value: unknown, newest: number): number {
  const fields = new Fields(record, value);
  const version = fields.has(SCHEMA_VERSION_FIELD) ? fields.count(SCHEMA_VERSION_FIELD) : 1;
  if (version < 1) throw fields.fail(SCHEMA_VERSION_FIELD, 'a store schema version >= 1');
  if (version > newest) throw newerError(record, version, newest);
  return version;
}

/** STORE_NEWER: `record` was written under schema `version`, this code reads up to `newest`. */
export function newerError(record: string, version: number, newest: number): StoreError {
  return new StoreError(
    ErrorCodes.STORE_NEWER,
    `${record} was written by a newer tabsynth (store schema ${version}; this version reads schemas 1 to ${newest}): open it with that version or newer`,
    { record, version, newest },
  );
}

/**
 * The manifest in `value`, checked. `record` names it in errors (e.g. `manifest of
 * run "x"`); `runId`, when given, is the run it must belong to; `newest` is the
 * newest schema version this store reads.
 */
export function checkManifest(
  value: unknown,
  record: string,
  newest: number,
  runId?: string,
): RunManifest {
  recordVersion(record, value, newest);
  const f = new Fields(record, value);
  const id = f.string('runId');
  if (runId !== undefined && id !== runId)
    throw f.fail('runId', `"${runId}" (the run it is stored under)`);
  return {
    runId: id,
    config: f.raw('config'),
    configHash: f.string('configHash'),
    seed: f.integer('seed'),
    numRecords: f.count('numRecords'),
    bufferSize: f.count('bufferSize'),
    columns: stringsAt(record, f.raw('columns'), 'columns'),
    committed: f.array('committed', (v, path) => committedAt(record, v, path)),
    rowsWritten: f.count('rowsWritten'),
    droppedRows: f.count('droppedRows'),
    firstErrors: f.array('firstErrors', (v, path) => firstErrorAt(record, v, path)),
    status: f.oneOf('status', STATUSES),
    ...(f.has('modelUsage') ? { modelUsage: modelUsageAt(f.object('modelUsage')) } : {}),
    createdAt: f.number('createdAt'),
    updatedAt: f.number('updatedAt'),
  };
}

/** Requests, tokens and cost per model key (written since the cost figures). */
function modelUsageAt(f: Fields): Record<string, ModelUsage> {
  const out: Record<string, ModelUsage> = {};
  for (const key of f.keys()) {
    const u = f.object(key);
    out[key] = {
      label: u.string('label'),
      requests: u.count('requests'),
      tokensIn: u.count('tokensIn'),
      tokensOut: u.count('tokensOut'),
      ...(u.has('costUsd') ? { costUsd: u.number('costUsd') } : {}),
    };
  }
  return out;
}

function committedAt(record: string, value: unknown, path: string): CommittedGroupInfo {
  const f = new Fields(record, value, path);
  return { id: f.count('id'), rows: f.count('rows'), dropped: f.count('dropped') };
}

function firstErrorAt(record: string, value: unknown, path: string): FirstError {
  const f = new Fields(record, value, path);
  const code = f.string('code');
  if (!isErrorCode(code))
    throw f.fail('code', 'an error code of the catalogue (src/core/errors.ts)');
  const error: FirstError = {
    kind: f.string('kind'),
    code,
    message: f.string('message'),
    count: f.count('count'),
  };
  if (f.has('details')) {
    const details = f.object('details');
    error.details = Object.fromEntries(details.keys().map((k) => [k, details.raw(k)]));
  }
  if (f.has('column')) error.column = f.string('column');
  if (f.has('row')) error.row = f.count('row');
  return error;
}

/** Whether `err` says a stored record is damaged or newer than this code: it affects only its run. */
export function isRecordError(err: unknown): err is StoreError {
  return (
    err instanceof StoreError &&
    (err.code === ErrorCodes.STORE_DAMAGED || err.code === ErrorCodes.STORE_NEWER)
  );
}
