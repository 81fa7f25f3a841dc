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
 * What is kept between files is small and flat: each row group's metadata
 * re-encoded, the page indexes as bytes, and four numbers per column chunk.
 */
import { ByteBuffer } from './byte-buffer.ts';
import {
  CHUNK,
  FILE,
  MAGIC,
  META,
  OFFSET_INDEX,
  ROW_GROUP,
  asStruct,
  checkSchema,
  fail,
  i64,
  listValues,
  readFooter,
  rowGroupsEnd,
  schemaBytes,
  shiftField,
} from './parquet-footer.ts';
import {
  CompactType,
  decodeThriftStruct,
  deleteThriftField,
  setThriftField,
  thriftField,
} from './thrift-compact.ts';
import { encodeThriftStruct } from './thrift-compact-encode.ts';
import type { ThriftStruct, ThriftValue } from './thrift-compact.ts';

/** RowGroup.ordinal is an i16: past this it is left out. */
const MAX_ORDINAL = 0x7fff;
/** A page index a column chunk does not have. */
const NONE = -1;

/**
 * Appends Parquet files one at a time; `append` returns the bytes to write now,
 * `finish` the page indexes and footer that end the file.
 */
export class ParquetSplicer {
  #files = 0;
  #bytes = 0;
  #rows = 0n;
  #finished = false;
  /** The first file's footer (its row groups removed) and schema. */
  #first:
    { footer: ThriftStruct; schema: { elements: ThriftValue[]; bytes: Uint8Array } } | undefined;
  /** Every row group's RowGroup struct, encoded, page index fields left out. */
  readonly #rowGroups = new ByteBuffer();
  /** Where each encoded RowGroup ends in #rowGroups. */
  readonly #rowGroupEnds: number[] = [];
  /** Column indexes, as written, in row group then column order. */
  readonly #columnIndexes = new ByteBuffer();
  /** Offset indexes, page offsets moved to the output's, in the same order. */
  readonly #offsetIndexes = new ByteBuffer();
  /**
   * Per column chunk in order: column index offset in #columnIndexes and length,
   * offset index offset in #offsetIndexes and length (NONE when absent).
   */
  readonly #pageIndexSpans: number[] = [];

  /** Row groups appended so far. */
  get rowGroups(): number {
    return this.#rowGroupEnds.length;
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
    const groups = listValues(footer, FILE.ROW_GROUPS, `file ${n}: FileMetaData.row_groups`).map(
      (g, i) => asStruct(g, `file ${n}: row group ${i}`),
    );
    // The first file keeps its 'PAR1'; later ones continue after what was returned.
    const start = this.#first ? MAGIC.length : 0;
    if (this.#first) {
      checkSchema(this.#first.schema, schema, n);
    } else {
      this.#first = { footer, schema: { elements: schema, bytes: schemaBytes(schema) } };
      setThriftField(footer, FILE.ROW_GROUPS, { kind: 'list', elementType: 0, values: [] });
    }
    const chunksOf = (g: ThriftStruct, i: number) =>
      listValues(g, ROW_GROUP.COLUMNS, `file ${n}: row group ${i} columns`).map((c, j) =>
        asStruct(c, `file ${n}: row group ${i} column ${j}`),
      );
    const regionEnd = rowGroupsEnd(groups.flatMap(chunksOf), footerStart, n);
    const shift = BigInt(this.#bytes - start);

    groups.forEach((group, i) => {
      shiftField(group, ROW_GROUP.FILE_OFFSET, shift);
      const ordinal = this.#rowGroupEnds.length;
      if (ordinal <= MAX_ORDINAL) {
        setThriftField(group, ROW_GROUP.ORDINAL, { kind: 'i16', value: ordinal });
      } else {
        deleteThriftField(group, ROW_GROUP.ORDINAL);
      }
      for (const chunk of chunksOf(group, i)) {
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
        this.#takePageIndex(file, chunk, { regionEnd, footerStart, shift, n });
      }
      this.#rowGroups.append(encodeThriftStruct(group));
      this.#rowGroupEnds.push(this.#rowGroups.length);
    });
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
    const columnIndexesAt = this.#bytes;
    const offsetIndexesAt = columnIndexesAt + this.#columnIndexes.length;
    const spans = this.#pageIndexSpans;
    let span = 0;
    let from = 0;
    const rowGroups: ThriftValue[] = this.#rowGroupEnds.map((end) => {
      const { struct: group } = decodeThriftStruct(this.#rowGroups.view(from, end));
      from = end;
      for (const column of listValues(group, ROW_GROUP.COLUMNS, 'row group')) {
        const chunk = column as ThriftStruct;
        const [ciAt = NONE, ciLength = 0, oiAt = NONE, oiLength = 0] = spans.slice(span, span + 4);
        span += 4;
        if (oiAt !== NONE) {
          setI64(chunk, CHUNK.OFFSET_INDEX_OFFSET, offsetIndexesAt + oiAt);
          setThriftField(chunk, CHUNK.OFFSET_INDEX_LENGTH, { kind: 'i32', value: oiLength });
        }
        if (ciAt !== NONE) {
          setI64(chunk, CHUNK.COLUMN_INDEX_OFFSET, columnIndexesAt + ciAt);
          setThriftField(chunk, CHUNK.COLUMN_INDEX_LENGTH, { kind: 'i32', value: ciLength });
        }
      }
      return { kind: 'encoded', type: CompactType.STRUCT, bytes: encodeThriftStruct(group) };
    });
    const footer = this.#first.footer;
    setThriftField(footer, FILE.NUM_ROWS, { kind: 'i64', value: this.#rows });
    setThriftField(footer, FILE.ROW_GROUPS, {
      kind: 'list',
      elementType: CompactType.STRUCT,
      values: rowGroups,
    });
    const tail = new ByteBuffer();
    tail.append(this.#columnIndexes.view());
    tail.append(this.#offsetIndexes.view());
    const meta = encodeThriftStruct(footer);
    tail.append(meta);
    for (let i = 0; i < 4; i++) tail.byte((meta.length >>> (8 * i)) & 0xff); // u32 LE
    tail.append(MAGIC);
    this.#bytes += tail.length;
    return tail.bytes();
  }

  /** Records `chunk`'s page index (read from `file`, offsets moved) and removes its fields. */
  #takePageIndex(
    file: Uint8Array,
    chunk: ThriftStruct,
    at: { regionEnd: number; footerStart: number; shift: bigint; n: number },
  ): void {
    const read = (offsetId: number, lengthId: number, what: string) => {
      const offset = i64(chunk, offsetId);
      if (offset === undefined) return undefined;
      const length = Number(i64(chunk, lengthId) ?? -1);
      const from = Number(offset);
      if (length < 0 || from < at.regionEnd || from + length > at.footerStart) {
        fail(
          `file ${at.n}: a ${what} at byte ${from} (${length} bytes); expected it between the row groups' end (${at.regionEnd}) and the footer (${at.footerStart})`,
        );
      }
      return file.subarray(from, from + length);
    };
    const columnIndex = read(CHUNK.COLUMN_INDEX_OFFSET, CHUNK.COLUMN_INDEX_LENGTH, 'column index');
    if (columnIndex) {
      this.#pageIndexSpans.push(this.#columnIndexes.length, columnIndex.length);
      this.#columnIndexes.append(columnIndex);
    } else {
      this.#pageIndexSpans.push(NONE, 0);
    }
    const offsetBytes = read(CHUNK.OFFSET_INDEX_OFFSET, CHUNK.OFFSET_INDEX_LENGTH, 'offset index');
    if (offsetBytes) {
      const { struct, end } = decodeThriftStruct(offsetBytes);
      if (end !== offsetBytes.length) {
        fail(`file ${at.n}: an offset index of ${offsetBytes.length} bytes decodes as ${end}`);
      }
      for (const location of listValues(struct, OFFSET_INDEX.PAGE_LOCATIONS, 'OffsetIndex')) {
        const where = asStruct(location, `file ${at.n}: PageLocation`);
        shiftField(where, OFFSET_INDEX.LOCATION_OFFSET, at.shift);
      }
      const encoded = encodeThriftStruct(struct);
      this.#pageIndexSpans.push(this.#offsetIndexes.length, encoded.length);
      this.#offsetIndexes.append(encoded);
    } else {
      this.#pageIndexSpans.push(NONE, 0);
    }
    for (const id of [
      CHUNK.OFFSET_INDEX_OFFSET,
      CHUNK.OFFSET_INDEX_LENGTH,
      CHUNK.COLUMN_INDEX_OFFSET,
      CHUNK.COLUMN_INDEX_LENGTH,
    ]) {
      deleteThriftField(chunk, id);
    }
  }
}

function setI64(struct: ThriftStruct, id: number, value: number): void {
  setThriftField(struct, id, { kind: 'i64', value: BigInt(value) });
}
