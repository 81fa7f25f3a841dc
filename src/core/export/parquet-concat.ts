/**
 * Splices complete Parquet files into one, streamed: each file's row-group data is
 * handed out as soon as the file is appended, and one merged footer closes the
 * result. The export writes every committed row group as its own Parquet file
 * (parquet-wasm has no call to end a row group early), so splicing gives exactly
 * one Parquet row group per committed group while holding one group at a time.
 *
 * Layout of an input file as arrow-rs writes it, and of the output:
 *
 *   'PAR1' | row groups (column chunks, bloom filters) | column indexes |
 *   offset indexes | FileMetaData | footer length (u32 LE) | 'PAR1'
 *
 * The output is 'PAR1', each input's row-group region in order, then every
 * input's column indexes, then their offset indexes (arrow-rs's order), then the
 * merged FileMetaData. Offsets into the file are patched by how far each input's
 * region moved: RowGroup.file_offset, ColumnChunk.file_offset, ColumnMetaData's
 * data/index/dictionary page and bloom filter offsets, OffsetIndex page locations,
 * and ColumnChunk's page index offsets and lengths. The schema, key-value metadata
 * (the ARROW:schema entry included), created_by and column orders are the first
 * input's; an input whose schema differs is refused.
 *
 * Field ids are those of apache/parquet-format src/main/thrift/parquet.thrift.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import {
  CompactType,
  decodeThriftStruct,
  deleteThriftField,
  encodeThriftStruct,
  setThriftField,
  thriftField,
} from './thrift-compact.ts';
import type { ThriftStruct, ThriftValue } from './thrift-compact.ts';

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // 'PAR1'

/** FileMetaData field ids. */
const FILE = { SCHEMA: 2, NUM_ROWS: 3, ROW_GROUPS: 4, ENCRYPTION_ALGORITHM: 8 } as const;
/** RowGroup field ids. */
const ROW_GROUP = { COLUMNS: 1, NUM_ROWS: 3, FILE_OFFSET: 5, ORDINAL: 7 } as const;
/** ColumnChunk field ids. */
const CHUNK = {
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
const META = {
  TOTAL_COMPRESSED_SIZE: 7,
  DATA_PAGE_OFFSET: 9,
  INDEX_PAGE_OFFSET: 10,
  DICTIONARY_PAGE_OFFSET: 11,
  BLOOM_FILTER_OFFSET: 14,
  BLOOM_FILTER_LENGTH: 15,
} as const;
/** OffsetIndex.page_locations, and PageLocation.offset. */
const OFFSET_INDEX = { PAGE_LOCATIONS: 1, LOCATION_OFFSET: 1 } as const;
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
/** RowGroup.ordinal is an i16: past this it is left out. */
const MAX_ORDINAL = 0x7fff;

/** A column chunk whose page index is written at the end. */
interface PageIndexEntry {
  /** The chunk in the merged footer, its page index fields removed until `finish`. */
  chunk: ThriftStruct;
  /** The ColumnIndex as it was written (it holds no offsets). */
  columnIndex?: Uint8Array;
  /** The OffsetIndex, page offsets already moved to the output's positions. */
  offsetIndex?: ThriftStruct;
}

/**
 * Appends Parquet files one at a time; `append` returns the bytes to write now,
 * `finish` the page indexes and footer that end the file.
 */
export class ParquetSplicer {
  #files = 0;
  #bytes = 0;
  #rows = 0n;
  #first: { footer: ThriftStruct; schema: ThriftValue[] } | undefined;
  #rowGroups: ThriftValue[] = [];
  #pageIndexes: PageIndexEntry[] = [];
  #finished = false;

  /** Row groups appended so far. */
  get rowGroups(): number {
    return this.#rowGroups.length;
  }

  /** Rows appended so far. */
  get rows(): number {
    return Number(this.#rows);
  }

  /** Bytes handed out so far by `append` and `finish`. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Takes one complete Parquet file and returns its row-group data, moved to follow
   * what was returned before (the first file's starts with 'PAR1'). The returned
   * bytes are a view of `file`.
   */
  append(file: Uint8Array): Uint8Array {
    if (this.#finished) fail('append after finish');
    const n = ++this.#files;
    const { footer, footerStart } = readFooter(file, n);
    if (thriftField(footer, FILE.ENCRYPTION_ALGORITHM)) {
      fail(`file ${n} is encrypted; expected a plaintext Parquet file`);
    }
    const schema = listValues(footer, FILE.SCHEMA, `file ${n}: FileMetaData.schema`);
    // The first file keeps its 'PAR1'; later ones continue after what was returned.
    const start = this.#first ? MAGIC.length : 0;
    if (this.#first) checkSchema(this.#first.schema, schema, n);
    else this.#first = { footer, schema };

    const groups = listValues(footer, FILE.ROW_GROUPS, `file ${n}: FileMetaData.row_groups`).map(
      (g, i) => asStruct(g, `file ${n}: row group ${i}`),
    );
    const chunks = groups.flatMap((g, i) =>
      listValues(g, ROW_GROUP.COLUMNS, `file ${n}: row group ${i} columns`).map((c, j) =>
        asStruct(c, `file ${n}: row group ${i} column ${j}`),
      ),
    );
    const regionEnd = dataRegionEnd(chunks, footerStart, n);
    const shift = BigInt(this.#bytes - start);

    for (const group of groups) {
      shiftField(group, ROW_GROUP.FILE_OFFSET, shift);
      const ordinal = this.#rowGroups.length;
      if (ordinal <= MAX_ORDINAL)
        setThriftField(group, ROW_GROUP.ORDINAL, { kind: 'i16', value: ordinal });
      else deleteThriftField(group, ROW_GROUP.ORDINAL);
      this.#rowGroups.push(group);
    }
    for (const chunk of chunks) {
      if (i64(chunk, CHUNK.FILE_OFFSET) !== 0n) shiftField(chunk, CHUNK.FILE_OFFSET, shift);
      const meta = thriftField(chunk, CHUNK.META_DATA) as ThriftStruct;
      for (const id of [
        META.DATA_PAGE_OFFSET,
        META.INDEX_PAGE_OFFSET,
        META.DICTIONARY_PAGE_OFFSET,
        META.BLOOM_FILTER_OFFSET,
      ]) {
        shiftField(meta, id, shift);
      }
      this.#takePageIndex(file, chunk, regionEnd, footerStart, shift, n);
    }
    this.#rows += i64(footer, FILE.NUM_ROWS) ?? 0n;
    const out = file.subarray(start, regionEnd);
    this.#bytes += out.length;
    return out;
  }

  /** The page indexes, merged footer, footer length and 'PAR1' that end the file. */
  finish(): Uint8Array {
    if (this.#finished) fail('finish called twice');
    if (!this.#first) fail('finish before any file was appended; expected at least one');
    this.#finished = true;
    const parts: Uint8Array[] = [];
    let pos = this.#bytes;
    const place = (bytes: Uint8Array, offsetId: number, lengthId: number, chunk: ThriftStruct) => {
      setThriftField(chunk, offsetId, { kind: 'i64', value: BigInt(pos) });
      setThriftField(chunk, lengthId, { kind: 'i32', value: bytes.length });
      parts.push(bytes);
      pos += bytes.length;
    };
    for (const { chunk, columnIndex } of this.#pageIndexes) {
      if (columnIndex)
        place(columnIndex, CHUNK.COLUMN_INDEX_OFFSET, CHUNK.COLUMN_INDEX_LENGTH, chunk);
    }
    for (const { chunk, offsetIndex } of this.#pageIndexes) {
      if (offsetIndex) {
        place(
          encodeThriftStruct(offsetIndex),
          CHUNK.OFFSET_INDEX_OFFSET,
          CHUNK.OFFSET_INDEX_LENGTH,
          chunk,
        );
      }
    }
    const footer = this.#first.footer;
    setThriftField(footer, FILE.NUM_ROWS, { kind: 'i64', value: this.#rows });
    setThriftField(footer, FILE.ROW_GROUPS, {
      kind: 'list',
      elementType: CompactType.STRUCT,
      values: this.#rowGroups,
    });
    const meta = encodeThriftStruct(footer);
    const tail = new Uint8Array(pos - this.#bytes + meta.length + 8);
    let at = 0;
    for (const part of [...parts, meta]) {
      tail.set(part, at);
      at += part.length;
    }
    new DataView(tail.buffer).setUint32(at, meta.length, true);
    tail.set(MAGIC, at + 4);
    this.#bytes += tail.length;
    return tail;
  }

  /** Records `chunk`'s page index (read from `file`), moved by `shift`. */
  #takePageIndex(
    file: Uint8Array,
    chunk: ThriftStruct,
    regionEnd: number,
    footerStart: number,
    shift: bigint,
    n: number,
  ): void {
    const span = (offsetId: number, lengthId: number, what: string) => {
      const offset = i64(chunk, offsetId);
      if (offset === undefined) return undefined;
      const length = Number(i64(chunk, lengthId) ?? -1);
      const from = Number(offset);
      if (length < 0 || from < regionEnd || from + length > footerStart) {
        fail(
          `file ${n}: a ${what} at byte ${from} (${length} bytes); expected it between the row groups' end (${regionEnd}) and the footer (${footerStart})`,
        );
      }
      return file.subarray(from, from + length);
    };
    const entry: PageIndexEntry = { chunk };
    const columnIndex = span(CHUNK.COLUMN_INDEX_OFFSET, CHUNK.COLUMN_INDEX_LENGTH, 'column index');
    if (columnIndex) entry.columnIndex = columnIndex.slice();
    const offsetBytes = span(CHUNK.OFFSET_INDEX_OFFSET, CHUNK.OFFSET_INDEX_LENGTH, 'offset index');
    if (offsetBytes) {
      const { struct, end } = decodeThriftStruct(offsetBytes);
      if (end !== offsetBytes.length) {
        fail(`file ${n}: an offset index of ${offsetBytes.length} bytes decodes as ${end}`);
      }
      for (const location of listValues(
        struct,
        OFFSET_INDEX.PAGE_LOCATIONS,
        `file ${n}: OffsetIndex`,
      )) {
        shiftField(
          asStruct(location, `file ${n}: PageLocation`),
          OFFSET_INDEX.LOCATION_OFFSET,
          shift,
        );
      }
      entry.offsetIndex = struct;
    }
    for (const id of [
      CHUNK.OFFSET_INDEX_OFFSET,
      CHUNK.OFFSET_INDEX_LENGTH,
      CHUNK.COLUMN_INDEX_OFFSET,
      CHUNK.COLUMN_INDEX_LENGTH,
    ]) {
      deleteThriftField(chunk, id);
    }
    if (entry.columnIndex || entry.offsetIndex) this.#pageIndexes.push(entry);
  }
}

/** The decoded FileMetaData of file `n` and the byte where it starts. */
function readFooter(file: Uint8Array, n: number): { footer: ThriftStruct; footerStart: number } {
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
function dataRegionEnd(chunks: ThriftStruct[], footerStart: number, n: number): number {
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

function checkSchema(expected: ThriftValue[], found: ThriftValue[], n: number): void {
  const encode = (e: ThriftValue | undefined) =>
    e?.kind === 'struct' ? encodeThriftStruct(e) : new Uint8Array(0);
  const count = Math.max(expected.length, found.length);
  for (let i = 0; i < count; i++) {
    if (!sameBytes(encode(expected[i]), encode(found[i]))) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `Parquet splice: file ${n}'s schema differs from the first file's at element ${i}: expected ${describe(expected[i])}, found ${describe(found[i])}`,
        { file: n, element: i },
      );
    }
  }
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

function listValues(struct: ThriftStruct, id: number, what: string): ThriftValue[] {
  const value = thriftField(struct, id);
  if (value?.kind !== 'list') fail(`${what}: expected a list, found ${value?.kind ?? 'nothing'}`);
  return value.values;
}

function asStruct(value: ThriftValue, what: string): ThriftStruct {
  if (value.kind !== 'struct') fail(`${what}: expected a struct, found ${value.kind}`);
  return value;
}

function i64(struct: ThriftStruct, id: number): bigint | undefined {
  const value = thriftField(struct, id);
  if (value === undefined) return undefined;
  if (value.kind === 'i64') return value.value;
  if (value.kind === 'i32' || value.kind === 'i16' || value.kind === 'i8')
    return BigInt(value.value);
  return fail(`field ${id}: expected an integer, found ${value.kind}`);
}

/** Adds `shift` to an i64 field, if present. */
function shiftField(struct: ThriftStruct, id: number, shift: bigint): void {
  const value = thriftField(struct, id);
  if (value?.kind === 'i64') value.value += shift;
}

function hasMagic(bytes: Uint8Array, at: number): boolean {
  return MAGIC.every((b, i) => bytes[at + i] === b);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function fail(what: string): never {
  throw new TabsynthError(ErrorCodes.INVALID_ARGUMENT, `Parquet splice: ${what}`);
}
