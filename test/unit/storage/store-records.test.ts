/**
 * SPEC 4: records read back from a store are checked, never cast
 * (core/storage/manifest-check.ts, idb-records.ts): each wrong field is STORE_DAMAGED
 * naming the record, the field's path, what was expected and what was found.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { inferColumnTypes } from '../../../src/core/export/column-types.ts';
import {
  checkGroupIpc,
  checkLaunch,
  checkRunInfo,
  checkStoredGroup,
  type StoredGroup,
} from '../../../src/core/storage/idb-records.ts';
import { groupKey, runOfKey, tableKey } from '../../../src/core/storage/idb-schema.ts';
import { checkManifest } from '../../../src/core/storage/manifest-check.ts';

const types = inferColumnTypes(
  [{ n: 1, buyer: { name: 'Ada', tags: ['a'] }, when: new Date(0) }],
  ['n', 'buyer', 'when'],
);
const group: StoredGroup = {
  id: 3,
  firstRow: 30,
  ranges: [[30, 39]],
  rows: 10,
  columns: ['n', 'buyer', 'when'],
  types,
  ipc: new Uint8Array(8),
};

/** The message of the STORE_DAMAGED error `read` throws. */
function damage(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    expect(err).toMatchObject({ code: ErrorCodes.STORE_DAMAGED });
    return (err as Error).message;
  }
  throw new Error('expected a STORE_DAMAGED error');
}

describe('SPEC 4 stored records are checked field by field', () => {
  it('4 a well-formed row group reads back as stored, its nested column types included', () => {
    expect(checkStoredGroup(structuredClone(group), 'g', 3)).toEqual(group);
  });

  it('4 a wrong nested column type is named by its whole path', () => {
    const bad = structuredClone(group);
    const buyer = bad.types['buyer'] as { fields: { type: { item: { kind: string } } }[] };
    buyer.fields[1]!.type.item.kind = 'utf16';
    expect(damage(() => checkStoredGroup(bad, 'row group 3 of run "r"', 3))).toBe(
      'row group 3 of run "r" is damaged: types.buyer.fields[1].type.item.kind: expected one of "null", "float64", "utf8", "bool", "timestamp", "json", "list_float32", "int64", "struct", "list", found the string "utf16"',
    );
  });

  it('4 a row range out of order, and a group stored under another group’s key, are damaged', () => {
    expect(damage(() => checkStoredGroup({ ...group, ranges: [[39, 30]] }, 'g', 3))).toBe(
      'g is damaged: ranges[0]: expected a pair [first, last] of row indices, first <= last, found an array of 2',
    );
    expect(damage(() => checkStoredGroup(group, 'g', 4))).toBe(
      'g is damaged: id: expected 4 (the group it is stored as), found 3',
    );
  });

  it('4 a group’s bytes must be a whole Arrow IPC stream of its row count', () => {
    const ipc = tableToIPC(tableFromArrays({ n: Float64Array.from({ length: 10 }, (_, i) => i) }));
    expect(() => checkGroupIpc({ ...group, ipc }, 'g')).not.toThrow();
    expect(damage(() => checkGroupIpc({ ...group, rows: 11, ipc }, 'g'))).toBe(
      'g is damaged: ipc: expected Arrow IPC stream bytes of 11 rows, found 10 rows',
    );
    const cut = ipc.subarray(0, ipc.byteLength - 20);
    expect(damage(() => checkGroupIpc({ ...group, ipc: cut }, 'g'))).toMatch(
      /^g is damaged: ipc: expected Arrow IPC stream bytes, found \d+ bytes that do not decode \(Expected to read \d+ bytes for message body/,
    );
  });

  it('4 run info and launch records: a processor table’s columns and the seed file’s bytes are checked', () => {
    expect(
      damage(() =>
        checkRunInfo({ bytes: 1, types: {}, tables: { pairs: { columns: 'a', types: {} } } }, 'i'),
      ),
    ).toBe(
      'i is damaged: tables.pairs.columns: expected an array of strings, found the string "a"',
    );
    expect(
      damage(() =>
        checkLaunch({ simulate: true, cache: false, seedFile: { name: 'a.csv', bytes: [] } }, 'l'),
      ),
    ).toBe('l is damaged: seedFile.bytes: expected bytes (a Uint8Array), found an array of 0');
  });

  it('4 a manifest’s first error must carry a code of the catalogue', () => {
    const manifest = {
      runId: 'r',
      config: {},
      configHash: 'h',
      seed: 1,
      numRecords: 1,
      bufferSize: 1,
      columns: [],
      committed: [],
      rowsWritten: 0,
      droppedRows: 0,
      firstErrors: [{ kind: 'X', code: 'NOT_A_CODE', message: 'm', count: 1 }],
      status: 'failed',
      createdAt: 0,
      updatedAt: 0,
    };
    expect(damage(() => checkManifest(manifest, 'm', 2))).toBe(
      'm is damaged: firstErrors[0].code: expected an error code of the catalogue (src/core/errors.ts), found the string "NOT_A_CODE"',
    );
  });

  it('4 every key of a run maps back to its run, whatever its id holds', () => {
    for (const runId of ['r', 'a/b', 'x-1']) {
      expect(runOfKey(groupKey(runId, 7))).toBe(runId);
      expect(runOfKey(tableKey(runId, 'pairs/2', 7))).toBe(runId);
      expect(runOfKey(`m/${runId}`)).toBe(runId);
    }
    expect(runOfKey('schema')).toBeUndefined();
  });
});
