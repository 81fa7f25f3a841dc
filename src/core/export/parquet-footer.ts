/**
 * Reading a Parquet file's footer for the splicer (parquet-concat.ts): the
 * FileMetaData decoded, where the row-group data ends, the schema check, and the
 * field ids used, as apache/parquet-format src/main/thrift/parquet.thrift numbers
 * them.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import { CompactType, decodeThriftStruct, thriftField } from './thrift-compact.ts';
import { encodeThriftStruct } from './thrift-compact-encode.ts';
import type { ThriftStruct, ThriftValue } from './thrift-compact.ts';

export const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // 'PAR1'

/** FileMetaData field ids. */
export const FILE = { SCHEMA: 2, NUM_ROWS: 3, ROW_GROUPS: 4, ENCRYPTION_ALGORITHM: 8 } as const;
/** RowGroup field ids. */
export const ROW_GROUP = { COLUMNS: 1, NUM_ROWS: 3, FILE_OFFSET: 5, ORDINAL: 7 } as const;
/** ColumnChunk field ids. */
export const CHUNK = {
  FILE_PATH: 1,
  FILE_OFFSET: 2,
  META_DATA: 3,
  OFFSET_INDEX_OFFSET: 4,
  OFFSET_INDEX_LENGTH: 5,
  COLUMN_INDEX_OFFSET: 6,
  COLUMN_INDEX_LENGTH: 7,
  CRYPTO_METADATA: 8,
} as const;
/** ColumnMetaData field ids. */
export const META = {
  TOTAL_COMPRESSED_SIZE: 7,
  DATA_PAGE_OFFSET: 9,
  INDEX_PAGE_OFFSET: 10,
  DICTIONARY_PAGE_OFFSET: 11,
  BLOOM_FILTER_OFFSET: 14,
  BLOOM_FILTER_LENGTH: 15,
} as const;
/** OffsetIndex.page_locations, and PageLocation.offset. */
export const OFFSET_INDEX = { PAGE_LOCATIONS: 1, LOCATION_OFFSET: 1 } as const;
/** SchemaElement fields named in error messages. */
const SCHEMA_ELEMENT = { TYPE: 1, NAME: 4 } as const;
const PHYSICAL_TYPES = [
  'BOOLEAN',
  'INT32',
  'INT64',
  'INT96',
  'FLOAT',
  'DOUBLE',
  'BYTE_ARRAY',
  'FIXED_LEN_BYTE_ARRAY',
];

/** The decoded FileMetaData of file `n` and the byte where it starts. */
export function readFooter(
  file: Uint8Array,
  n: number,
): { footer: ThriftStruct; footerStart: number } {
  const size = file.length;
  if (size < 12 || !hasMagic(file, 0) || !hasMagic(file, size - 4)) {
    fail(`file ${n} (${size} bytes): expected a Parquet file starting and ending with 'PAR1'`);
  }
  const length = new DataView(file.buffer, file.byteOffset + size - 8, 4).getUint32(0, true);
  const footerStart = size - 8 - length;
  if (footerStart < MAGIC.length) {
    fail(`file ${n}: footer length ${length} does not fit a file of ${size} bytes`);
  }
  const { struct, end } = decodeThriftStruct(file.subarray(footerStart, size - 8));
  if (end !== length) fail(`file ${n}: footer of ${length} bytes decodes as ${end}`);
  return { footer: struct, footerStart };
}

/**
 * Where file `n`'s row groups end: its first page index, else its footer. Every
 * column chunk and bloom filter must lie in [4, that).
 */
export function rowGroupsEnd(chunks: ThriftStruct[], footerStart: number, n: number): number {
  let end = footerStart;
  for (const chunk of chunks) {
    for (const id of [CHUNK.OFFSET_INDEX_OFFSET, CHUNK.COLUMN_INDEX_OFFSET]) {
      const offset = i64(chunk, id);
      if (offset !== undefined) end = Math.min(end, Number(offset));
    }
  }
  chunks.forEach((chunk, i) => {
    if (thriftField(chunk, CHUNK.FILE_PATH) || thriftField(chunk, CHUNK.CRYPTO_METADATA)) {
      fail(
        `file ${n}: column chunk ${i} is stored in another file or encrypted; expected plain data`,
      );
    }
    const meta = thriftField(chunk, CHUNK.META_DATA);
    if (meta?.kind !== 'struct') fail(`file ${n}: column chunk ${i} has no ColumnMetaData`);
    const starts = [META.DATA_PAGE_OFFSET, META.INDEX_PAGE_OFFSET, META.DICTIONARY_PAGE_OFFSET]
      .map((id) => i64(meta, id))
      .filter((v): v is bigint => v !== undefined && v > 0n)
      .map(Number);
    const from = Math.min(...starts);
    const to = from + Number(i64(meta, META.TOTAL_COMPRESSED_SIZE) ?? 0n);
    const bloom = i64(meta, META.BLOOM_FILTER_OFFSET);
    const bloomEnd = Number(bloom ?? 0n) + Number(i64(meta, META.BLOOM_FILTER_LENGTH) ?? 0n);
    if (
      !(from >= MAGIC.length && to <= end) ||
      (bloom !== undefined && (bloom < 4n || bloomEnd > end))
    ) {
      fail(
        `file ${n}: column chunk ${i} spans bytes ${from}-${to}; expected it within the row groups (4-${end})`,
      );
    }
  });
  return end;
}

/** A schema (FileMetaData.schema's elements) as comparable bytes. */
export function schemaBytes(schema: ThriftValue[]): Uint8Array {
  const list: ThriftValue = { kind: 'list', elementType: CompactType.STRUCT, values: schema };
  return encodeThriftStruct({ kind: 'struct', fields: [{ id: FILE.SCHEMA, value: list }] });
}

/** Refuses file `n` when its schema is not the first file's, naming the first difference. */
export function checkSchema(
  expected: { elements: ThriftValue[]; bytes: Uint8Array },
  found: ThriftValue[],
  n: number,
): void {
  if (sameBytes(expected.bytes, schemaBytes(found))) return;
  const encode = (e: ThriftValue | undefined) =>
    e?.kind === 'struct' ? encodeThriftStruct(e) : new Uint8Array(0);
  const count = Math.max(expected.elements.length, found.length);
  let i = 0;
  while (i < count - 1 && sameBytes(encode(expected.elements[i]), encode(found[i]))) i++;
  throw new TabsynthError(
    ErrorCodes.INVALID_ARGUMENT,
    `Parquet splice: file ${n}'s schema differs from the first file's at element ${i}: expected ${describe(expected.elements[i])}, found ${describe(found[i])}`,
    { file: n, element: i },
  );
}

/** A schema element for a message: `name (TYPE)`, `name (group)` or `nothing`. */
function describe(element: ThriftValue | undefined): string {
  if (element?.kind !== 'struct') return 'nothing';
  const name = thriftField(element, SCHEMA_ELEMENT.NAME);
  const type = thriftField(element, SCHEMA_ELEMENT.TYPE);
  const label = name?.kind === 'binary' ? new TextDecoder().decode(name.value) : '?';
  const typeName =
    type?.kind === 'i32' ? (PHYSICAL_TYPES[type.value] ?? `type ${type.value}`) : 'group';
  return `"${label}" (${typeName})`;
}

export function listValues(struct: ThriftStruct, id: number, what: string): ThriftValue[] {
  const value = thriftField(struct, id);
  if (value?.kind !== 'list') fail(`${what}: expected a list, found ${value?.kind ?? 'nothing'}`);
  return value.values;
}

export function asStruct(value: ThriftValue, what: string): ThriftStruct {
  if (value.kind !== 'struct') fail(`${what}: expected a struct, found ${value.kind}`);
  return value;
}

export function i64(struct: ThriftStruct, id: number): bigint | undefined {
  const value = thriftField(struct, id);
  if (value === undefined) return undefined;
  if (value.kind === 'i64') return value.value;
  if (value.kind === 'i32' || value.kind === 'i16' || value.kind === 'i8')
    return BigInt(value.value);
  return fail(`field ${id}: expected an integer, found ${value.kind}`);
}

/** Adds `shift` to an i64 field, if present. */
export function shiftField(struct: ThriftStruct, id: number, shift: bigint): void {
  const value = thriftField(struct, id);
  if (value?.kind === 'i64') value.value += shift;
}

/** Whether `bytes` hold the Parquet magic (PAR1) at offset `at`. */
export function hasMagic(bytes: Uint8Array, at: number): boolean {
  return MAGIC.every((b, i) => bytes[at + i] === b);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function fail(what: string): never {
  throw new TabsynthError(ErrorCodes.INVALID_ARGUMENT, `Parquet splice: ${what}`);
}
