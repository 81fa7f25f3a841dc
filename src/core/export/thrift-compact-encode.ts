/**
 * Encoding for the Thrift compact protocol codec (thrift-compact.ts): a tree,
 * decoded or built, back to bytes. Forms recorded on decode (long field headers,
 * long list sizes, bool element bytes) are reproduced, so an unchanged tree gives
 * the bytes it came from; new nodes get the canonical forms.
 */
import { ByteBuffer } from './byte-buffer.ts';
import { CompactType } from './thrift-compact.ts';
import type { ThriftStruct, ThriftValue } from './thrift-compact.ts';

/** Encodes a struct to bytes. */
export function encodeThriftStruct(struct: ThriftStruct): Uint8Array {
  scratch.clear();
  new Writer(scratch).struct(struct);
  return scratch.bytes();
}

/** Encoding is synchronous: one buffer serves every call. */
const scratch = new ByteBuffer();

/** Compact type id of each kind but bool (whose id is its value). */
const KIND_TYPE: Record<Exclude<ThriftValue['kind'], 'bool' | 'encoded'>, number> = {
  i8: CompactType.I8,
  i16: CompactType.I16,
  i32: CompactType.I32,
  i64: CompactType.I64,
  double: CompactType.DOUBLE,
  binary: CompactType.BINARY,
  list: CompactType.LIST,
  set: CompactType.SET,
  map: CompactType.MAP,
  struct: CompactType.STRUCT,
};

/** Compact type id of a value, as written in a field header. */
function typeOf(value: ThriftValue): number {
  if (value.kind === 'encoded') return value.type;
  if (value.kind !== 'bool') return KIND_TYPE[value.kind];
  return value.value ? CompactType.BOOL_TRUE : CompactType.BOOL_FALSE;
}

class Writer {
  readonly #out: ByteBuffer;

  constructor(out: ByteBuffer) {
    this.#out = out;
  }

  struct(struct: ThriftStruct): void {
    let lastId = 0;
    for (const field of struct.fields) {
      const type = typeOf(field.value);
      const delta = field.id - lastId;
      if (delta > 0 && delta <= 15 && !field.longHeader) {
        this.#byte((delta << 4) | type);
      } else {
        this.#byte(type);
        this.#varint(toZigzag32(field.id));
      }
      if (field.value.kind !== 'bool') this.#value(field.value);
      lastId = field.id;
    }
    this.#byte(0);
  }

  #value(value: ThriftValue): void {
    switch (value.kind) {
      case 'bool':
        this.#byte(value.byte ?? (value.value ? CompactType.BOOL_TRUE : CompactType.BOOL_FALSE));
        return;
      case 'i8':
        this.#byte(value.value & 0xff);
        return;
      case 'i16':
      case 'i32':
        this.#varint(toZigzag32(value.value));
        return;
      case 'i64':
        this.#varint64(toZigzag64(value.value));
        return;
      case 'double':
        this.#raw(value.bytes);
        return;
      case 'binary':
        this.#varint(value.value.length);
        this.#raw(value.value);
        return;
      case 'list':
      case 'set': {
        const size = value.values.length;
        if (size < 15 && !value.longSize) {
          this.#byte((size << 4) | value.elementType);
        } else {
          this.#byte(0xf0 | value.elementType);
          this.#varint(size);
        }
        for (const v of value.values) this.#value(v);
        return;
      }
      case 'map':
        this.#varint(value.entries.length);
        if (value.entries.length === 0) return;
        this.#byte((value.keyType << 4) | value.valueType);
        for (const [k, v] of value.entries) {
          this.#value(k);
          this.#value(v);
        }
        return;
      case 'struct':
        this.struct(value);
        return;
      case 'encoded':
        this.#raw(value.bytes);
        return;
    }
  }

  #byte(b: number): void {
    this.#out.byte(b);
  }

  #raw(bytes: Uint8Array): void {
    this.#out.append(bytes);
  }

  /** An unsigned 32-bit varint. */
  #varint(n: number): void {
    let v = n >>> 0;
    while (v >= 0x80) {
      this.#byte((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.#byte(v);
  }

  /** An unsigned 64-bit varint. */
  #varint64(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.#byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#byte(Number(v));
  }
}

function toZigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

function toZigzag64(n: bigint): bigint {
  return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
}
