/**
 * A lossless codec for the Thrift compact protocol, the encoding of Parquet's
 * footer (FileMetaData) and page indexes (ColumnIndex, OffsetIndex).
 *
 * Decoding needs no IDL: it yields a tree in which every field keeps its id and
 * wire type, unknown fields included, so a footer can be patched (a few offsets)
 * and written back without knowing the rest of it. Re-encoding an unchanged tree
 * gives the same bytes: the forms a writer may choose between (a field header
 * with the id delta in the type byte or in a varint of its own, a list size in
 * the header byte or after it, the byte of a bool list element) are recorded on
 * decode and reproduced on encode. New nodes get the canonical forms.
 *
 * Wire format: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 * This file decodes; thrift-compact-encode.ts encodes.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';

/** Compact protocol type ids (the low nibble of a field header or list header). */
export const CompactType = {
  BOOL_TRUE: 1,
  BOOL_FALSE: 2,
  I8: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

/** A decoded Thrift value. */
export type ThriftValue =
  | ThriftBool
  | { kind: 'i8' | 'i16' | 'i32'; value: number }
  | { kind: 'i64'; value: bigint }
  /** The 8 little-endian bytes as written (NaN payloads kept). */
  | { kind: 'double'; bytes: Uint8Array }
  | { kind: 'binary'; value: Uint8Array }
  | ThriftList
  | ThriftMap
  | ThriftStruct
  /** A value already in compact encoding, written as is (decoding never yields one). */
  | { kind: 'encoded'; type: number; bytes: Uint8Array };

export interface ThriftBool {
  kind: 'bool';
  /** The value (required). */
  value: boolean;
  /** As a list element: the byte written for it. Default: 1 for true, 2 for false. */
  byte?: number;
}

export interface ThriftList {
  kind: 'list' | 'set';
  /** Compact type id of every element (a bool list may say 1 or 2). */
  elementType: number;
  /** The elements in order (required). */
  values: ThriftValue[];
  /** The size was written after the header byte although it fits in it. Default: false. */
  longSize?: boolean;
}

export interface ThriftMap {
  kind: 'map';
  /** Compact type id of the keys (0 in an empty map). */
  keyType: number;
  /** Compact type id of the values (0 in an empty map). */
  valueType: number;
  /** Key-value pairs in wire order (required). */
  entries: [ThriftValue, ThriftValue][];
}

export interface ThriftStruct {
  kind: 'struct';
  /** Fields in wire order. */
  fields: ThriftField[];
}

export interface ThriftField {
  /** Field id from the IDL. */
  id: number;
  /** The field's value (required). */
  value: ThriftValue;
  /** The id was written as a varint although its delta fits the header byte. Default: false. */
  longHeader?: boolean;
}

/** Decodes one struct at `offset`; `end` is where the reader stopped. */
export function decodeThriftStruct(
  bytes: Uint8Array,
  offset = 0,
): { struct: ThriftStruct; end: number } {
  const reader = new Reader(bytes, offset);
  const struct = reader.struct(0);
  return { struct, end: reader.pos };
}

/** The struct's field `id`, if present. */
export function thriftField(struct: ThriftStruct, id: number): ThriftValue | undefined {
  return struct.fields.find((f) => f.id === id)?.value;
}

/** Sets field `id` (kept in ascending id order when new). */
export function setThriftField(struct: ThriftStruct, id: number, value: ThriftValue): void {
  const existing = struct.fields.find((f) => f.id === id);
  if (existing) {
    existing.value = value;
    return;
  }
  const at = struct.fields.findIndex((f) => f.id > id);
  struct.fields.splice(at === -1 ? struct.fields.length : at, 0, { id, value });
}

/** Removes field `id` if present. */
export function deleteThriftField(struct: ThriftStruct, id: number): void {
  struct.fields = struct.fields.filter((f) => f.id !== id);
}

/** Nesting deeper than this is refused (Parquet's footer nests about 6 deep). */
const MAX_DEPTH = 64;

class Reader {
  pos: number;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array, offset: number) {
    this.#bytes = bytes;
    this.pos = offset;
  }

  struct(depth: number): ThriftStruct {
    if (depth > MAX_DEPTH) this.#fail(`structs nested deeper than ${MAX_DEPTH}`);
    const fields: ThriftField[] = [];
    let lastId = 0;
    for (;;) {
      const header = this.#byte();
      if (header === 0) return { kind: 'struct', fields };
      const type = header & 0x0f;
      const delta = header >> 4;
      const id = delta === 0 ? fromZigzag32(this.#varint32()) : lastId + delta;
      // A bool field's value is its type; elsewhere a bool is a byte of its own.
      const value: ThriftValue =
        type === CompactType.BOOL_TRUE || type === CompactType.BOOL_FALSE
          ? { kind: 'bool', value: type === CompactType.BOOL_TRUE }
          : this.#value(type, depth);
      const field: ThriftField = { id, value };
      if (delta === 0 && id - lastId > 0 && id - lastId <= 15) field.longHeader = true;
      fields.push(field);
      lastId = id;
    }
  }

  #value(type: number, depth: number): ThriftValue {
    switch (type) {
      case CompactType.BOOL_TRUE:
      case CompactType.BOOL_FALSE: {
        // A list element: one byte of its own.
        const byte = this.#byte();
        const value: ThriftBool = { kind: 'bool', value: byte === CompactType.BOOL_TRUE };
        if (byte !== (value.value ? CompactType.BOOL_TRUE : CompactType.BOOL_FALSE)) {
          value.byte = byte;
        }
        return value;
      }
      case CompactType.I8:
        return { kind: 'i8', value: (this.#byte() << 24) >> 24 };
      case CompactType.I16:
        return { kind: 'i16', value: fromZigzag32(this.#varint32()) };
      case CompactType.I32:
        return { kind: 'i32', value: fromZigzag32(this.#varint32()) };
      case CompactType.I64:
        return { kind: 'i64', value: fromZigzag64(this.#varint64()) };
      case CompactType.DOUBLE:
        return { kind: 'double', bytes: this.#take(8).slice() };
      case CompactType.BINARY:
        return { kind: 'binary', value: this.#take(this.#varint32()).slice() };
      case CompactType.LIST:
      case CompactType.SET:
        return this.#list(type, depth + 1);
      case CompactType.MAP:
        return this.#map(depth + 1);
      case CompactType.STRUCT:
        return this.struct(depth + 1);
      default:
        return this.#fail(`unknown compact type ${type}`);
    }
  }

  #list(type: number, depth: number): ThriftList {
    const header = this.#byte();
    const short = header >> 4;
    const size = short === 15 ? this.#varint32() : short;
    const elementType = header & 0x0f;
    const values: ThriftValue[] = [];
    for (let i = 0; i < size; i++) values.push(this.#value(elementType, depth));
    const list: ThriftList = {
      kind: type === CompactType.SET ? 'set' : 'list',
      elementType,
      values,
    };
    if (short === 15 && size < 15) list.longSize = true;
    return list;
  }

  #map(depth: number): ThriftMap {
    const size = this.#varint32();
    if (size === 0) return { kind: 'map', keyType: 0, valueType: 0, entries: [] };
    const types = this.#byte();
    const keyType = types >> 4;
    const valueType = types & 0x0f;
    const entries: [ThriftValue, ThriftValue][] = [];
    for (let i = 0; i < size; i++) {
      entries.push([this.#value(keyType, depth), this.#value(valueType, depth)]);
    }
    return { kind: 'map', keyType, valueType, entries };
  }

  #byte(): number {
    const b = this.#bytes[this.pos];
    if (b === undefined) this.#fail('input ends inside a value');
    this.pos++;
    return b;
  }

  #take(n: number): Uint8Array {
    if (this.pos + n > this.#bytes.length) this.#fail(`${n} bytes wanted, input ends first`);
    const out = this.#bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  #varint32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.#byte();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
    }
    return this.#fail('a 32-bit varint longer than 5 bytes');
  }

  #varint64(): bigint {
    // Most values fit 7 bytes (49 bits): count in a number, switch to bigint after.
    let low = 0;
    let shift = 0;
    for (; shift < 49; shift += 7) {
      const b = this.#byte();
      low += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return BigInt(low);
    }
    let result = BigInt(low);
    for (let big = BigInt(shift); big < 70n; big += 7n) {
      const b = this.#byte();
      result |= BigInt(b & 0x7f) << big;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    return this.#fail('a 64-bit varint longer than 10 bytes');
  }

  #fail(what: string): never {
    throw new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `Thrift compact data: expected a well-formed struct, found ${what} at byte ${this.pos}`,
    );
  }
}

function fromZigzag32(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}

function fromZigzag64(n: bigint): bigint {
  return (n >> 1n) ^ -(n & 1n);
}
