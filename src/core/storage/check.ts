/**
 * Checks for records read back from a store. A store's bytes outlive the code that
 * wrote them and may be damaged (a crash, a disk error, a hand edit, a newer or
 * older tabsynth): nothing read is cast to its type. `Fields` reads one record's
 * fields and throws STORE_DAMAGED at the first one that is wrong, naming the record,
 * the field, what was expected and what was found.
 */
import { ErrorCodes, StoreError } from '../errors.ts';

/** `record` (e.g. `manifest of run "x"`) is damaged at `path`: expected `expected`, found `value`. */
export function damagedRecord(
  record: string,
  path: string,
  expected: string,
  value: unknown,
): StoreError {
  return damagedWith(record, path, expected, describeFound(value));
}

/** As damagedRecord, with what was found already put in words. */
export function damagedWith(
  record: string,
  path: string,
  expected: string,
  found: string,
): StoreError {
  const where = path === '' ? '' : `${path}: `;
  return new StoreError(
    ErrorCodes.STORE_DAMAGED,
    `${record} is damaged: ${where}expected ${expected}, found ${found}`,
    { record, ...(path === '' ? {} : { field: path }) },
  );
}

/** A found value, shortly: `"abc"`, `12`, `null`, `undefined`, `an array of 3`, `an object`. */
function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') {
    const text = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    return `the string ${text}`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${value.byteLength} bytes`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}

/** Whether `value` is a plain object (not an array, class instance or typed array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The fields of one stored object, each read with its expected type. */
export class Fields {
  readonly #value: Record<string, unknown>;
  readonly #record: string;
  readonly #path: string;

  /** `value` must be a plain object; `path` is where it lies in `record` ('' for the record itself). */
  constructor(record: string, value: unknown, path = '') {
    if (!isPlainObject(value)) throw damagedRecord(record, path, 'an object', value);
    this.#value = value;
    this.#record = record;
    this.#path = path;
  }

  /** Whether `key` holds anything but undefined. */
  has(key: string): boolean {
    return this.#value[key] !== undefined;
  }

  /** The value of `key`, unchecked (for fields of any shape, e.g. a config). */
  raw(key: string): unknown {
    return this.#value[key];
  }

  string(key: string): string {
    return this.#expect(key, 'a string', (v): v is string => typeof v === 'string');
  }

  boolean(key: string): boolean {
    return this.#expect(key, 'true or false', (v): v is boolean => typeof v === 'boolean');
  }

  /** A finite number. */
  number(key: string): number {
    return this.#expect(key, 'a number', (v): v is number => Number.isFinite(v));
  }

  /** A whole number >= 0. */
  count(key: string): number {
    return this.#expect(
      key,
      'a whole number >= 0',
      (v): v is number => Number.isSafeInteger(v) && (v as number) >= 0,
    );
  }

  /** A whole number. */
  integer(key: string): number {
    return this.#expect(key, 'a whole number', (v): v is number => Number.isSafeInteger(v));
  }

  /** One of `allowed`. */
  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    return this.#expect(key, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, (v): v is T =>
      allowed.includes(v as T),
    );
  }

  bytes(key: string): Uint8Array {
    return this.#expect(
      key,
      'bytes (a Uint8Array)',
      (v): v is Uint8Array => v instanceof Uint8Array,
    );
  }

  /** The object at `key`, to read its own fields. */
  object(key: string): Fields {
    return new Fields(this.#record, this.#value[key], this.#at(key));
  }

  /** Every item of the array at `key`, each read by `item` (given its path). */
  array<T>(key: string, item: (value: unknown, path: string) => T): T[] {
    const list = this.#expect(key, 'an array', (v): v is unknown[] => Array.isArray(v));
    return list.map((v, i) => item(v, `${this.#at(key)}[${i}]`));
  }

  /** Every value of the object at `key`, each read by `item` (given its path), by key. */
  mapOf<T>(key: string, item: (value: unknown, path: string) => T): Record<string, T> {
    const inner = this.object(key);
    const out: Record<string, T> = {};
    for (const name of inner.keys()) out[name] = item(inner.raw(name), inner.#at(name));
    return out;
  }

  /** The object's own keys. */
  keys(): string[] {
    return Object.keys(this.#value);
  }

  /** A STORE_DAMAGED error for `key`: it holds something else than `expected`. */
  fail(key: string, expected: string): StoreError {
    return damagedRecord(this.#record, this.#at(key), expected, this.#value[key]);
  }

  #at(key: string): string {
    return this.#path === '' ? key : `${this.#path}.${key}`;
  }

  #expect<T>(key: string, expected: string, ok: (v: unknown) => v is T): T {
    const v = this.#value[key];
    if (!ok(v)) throw this.fail(key, expected);
    return v;
  }
}

/** Each item of `value` as a string, or STORE_DAMAGED at `path` of `record`. */
export function stringsAt(record: string, value: unknown, path: string): string[] {
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  throw damagedRecord(record, path, 'an array of strings', value);
}
