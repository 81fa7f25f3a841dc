/**
 * Template values and Python's rules for them. A template sees only plain data:
 * strings, numbers, booleans, null (None), undefined (Jinja's Undefined), arrays
 * (lists; tuples are arrays in TUPLES), plain objects (dicts), and a few values of
 * its own (LoopInfo, Namespace, callables). Reading a property goes through
 * `getAttr`/`getItem`: own data properties of plain objects and arrays only, never
 * a prototype, a getter or a function, so no JavaScript object is ever reachable.
 *
 * Numbers: a JS number that is an integer is a Python int; a float whose value is
 * integral (1.0, produced by `/`, `float`, `round`, a float literal) is a PyFloat so
 * that it prints "1.0" as Python does. Integral numbers from the row print as ints.
 */
import { chargeWork, limitError } from './limits.ts';

/** An integral float (1.0): Python prints it with ".0". Other floats are plain numbers. */
export class PyFloat {
  constructor(readonly v: number) {}
}

/** The `loop` variable of a for loop, updated in place on each iteration. */
export class LoopInfo {
  /** 0-based index of the current item. */
  i = 0;
  constructor(
    /** The items iterated over. */
    readonly items: readonly unknown[],
  ) {}
}

/** `namespace(...)`: the one object a template may assign attributes on. */
export class Namespace {
  /** The attributes, on a prototype-less object. */
  readonly vars: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
}

/** Arrays that are Python tuples (printed with parentheses). */
const TUPLES = new WeakSet<readonly unknown[]>();

export function tuple(items: unknown[]): unknown[] {
  TUPLES.add(items);
  return items;
}

/** A render-time error (TEMPLATE_RENDER once the renderer names the template). */
export class RenderFailure extends Error {}

export function fail(message: string): never {
  throw new RenderFailure(message);
}

/** Property names never read from anything: they lead to JavaScript internals. */
const BLOCKED = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__lookupGetter__',
]);

export function isBlocked(name: string): boolean {
  return BLOCKED.has(name) || (name.startsWith('__') && name.endsWith('__'));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An own data property of `o` (no getter, no inherited name, no function), else undefined. */
export function ownData(o: object, key: string): unknown {
  if (!Object.hasOwn(o, key)) return undefined;
  const d = Object.getOwnPropertyDescriptor(o, key);
  if (d === undefined || !('value' in d)) return undefined;
  const v: unknown = d.value;
  return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
}

/** A row value as a template may see it: functions and symbols are not values. */
export function safeValue(v: unknown): unknown {
  return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
}

// ---- numbers ---------------------------------------------------------------

export function isNum(v: unknown): boolean {
  return typeof v === 'number' || v instanceof PyFloat || typeof v === 'boolean';
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function isInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v);
}

/** A number as a float: integral values become PyFloat. */
export function fl(x: number): number | PyFloat {
  return Number.isInteger(x) ? new PyFloat(x) : x;
}

/** The numeric value of a number, PyFloat or boolean. */
export function numOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

export function typeName(v: unknown): string {
  if (v === undefined) return 'Undefined';
  if (v === null) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return TUPLES.has(v) ? 'tuple' : 'list';
  if (isPlainObject(v)) return 'dict';
  if (v instanceof LoopInfo) return 'LoopContext';
  if (v instanceof Namespace) return 'Namespace';
  return 'object';
}

// ---- printing --------------------------------------------------------------

/** Python's repr of a float. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', e = '0'] = x.toExponential().split('e');
  const power = Number(e);
  if (power >= -4 && power < 16) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const sign = power < 0 ? '-' : '+';
  const digits = String(Math.abs(power)).padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

function intStr(x: number): string {
  return Math.abs(x) < 1e21 ? String(x) : BigInt(x).toString();
}

/** Python's str() of a value, Jinja's output of `{{ value }}` (Undefined prints ''). */
export function toStr(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? intStr(v) : floatRepr(v);
    case 'boolean':
      return v ? 'True' : 'False';
    case 'undefined':
      return '';
    case 'bigint':
      return v.toString();
    default:
      return v === null ? 'None' : repr(v);
  }
}

/** Python's repr of a string. */
function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] ?? '';
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

const MAX_REPR_DEPTH = 100;

/** Python's repr: strings quoted, lists and dicts Python-style, cycles as [...] and {...}. */
export function repr(v: unknown, seen: unknown[] = []): string {
  if (typeof v === 'string') return strRepr(v);
  if (v === undefined) return 'Undefined';
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (typeof v !== 'object' || v === null) return toStr(v);
  if (seen.length > MAX_REPR_DEPTH)
    throw limitError(`value nested over ${MAX_REPR_DEPTH} deep to print`);
  if (Array.isArray(v)) {
    const isTuple = TUPLES.has(v);
    if (seen.includes(v)) return isTuple ? '(...)' : '[...]';
    chargeWork(v.length);
    seen.push(v);
    const parts = v.map((x) => repr(safeValue(x), seen));
    seen.pop();
    if (isTuple) return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    return `[${parts.join(', ')}]`;
  }
  if (isPlainObject(v)) {
    if (seen.includes(v)) return '{...}';
    const keys = Object.keys(v);
    chargeWork(keys.length);
    seen.push(v);
    const parts = keys.map((k) => `${strRepr(k)}: ${repr(ownData(v, k), seen)}`);
    seen.pop();
    return `{${parts.join(', ')}}`;
  }
  if (v instanceof Namespace) return '<Namespace>';
  if (v instanceof LoopInfo) return '<LoopContext>';
  if (v instanceof Date) {
    return Number.isNaN(v.getTime())
      ? 'NaT'
      : v
          .toISOString()
          .replace('T', ' ')
          .replace(/(?:\.000)?Z$/, '');
  }
  return '<object>';
}

// ---- truth, equality, order --------------------------------------------------

export function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (v === null || v === undefined) return false;
  if (v instanceof PyFloat) return v.v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

export function eq(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (isNum(a) && isNum(b)) return numOf(a) === numOf(b);
  if (depth > MAX_REPR_DEPTH)
    throw limitError(`values nested over ${MAX_REPR_DEPTH} deep to compare`);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => eq(x, b[i], depth + 1));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && eq(ownData(a, k), ownData(b, k), depth + 1));
  }
  return false;
}

/** Python's ordering: numbers with numbers, strings with strings, lists item by item. */
export function cmp(a: unknown, b: unknown, op: string): number {
  if (isNum(a) && isNum(b)) {
    const x = numOf(a);
    const y = numOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!eq(a[i], b[i])) return cmp(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  return fail(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

// ---- access ------------------------------------------------------------------

/** `obj.name`. Throws when `obj` is Undefined (as Jinja does); otherwise a missing name is Undefined. */
export function getAttr(obj: unknown, name: string, what: string): unknown {
  if (obj === undefined) return fail(`'${what}' is undefined`);
  if (typeof obj !== 'object' || obj === null || isBlocked(name)) return undefined;
  if (obj instanceof LoopInfo) return loopAttr(obj, name);
  if (obj instanceof Namespace) return ownData(obj.vars, name);
  if (isPlainObject(obj)) return ownData(obj, name);
  return undefined;
}

function loopAttr(l: LoopInfo, name: string): unknown {
  const n = l.items.length;
  switch (name) {
    case 'index':
      return l.i + 1;
    case 'index0':
      return l.i;
    case 'first':
      return l.i === 0;
    case 'last':
      return l.i === n - 1;
    case 'length':
      return n;
    case 'revindex':
      return n - l.i;
    case 'revindex0':
      return n - l.i - 1;
    case 'previtem':
      return l.i > 0 ? safeValue(l.items[l.i - 1]) : undefined;
    case 'nextitem':
      return l.i < n - 1 ? safeValue(l.items[l.i + 1]) : undefined;
    case 'depth':
      return 1;
    case 'depth0':
      return 0;
    default:
      return undefined;
  }
}

/** `obj[key]`: list and string indexes (negative from the end), dict keys. */
export function getItem(obj: unknown, key: unknown, what: string): unknown {
  if (obj === undefined) return fail(`'${what}' is undefined`);
  if (typeof obj === 'string' || Array.isArray(obj)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) {
      return typeof key === 'string' ? getAttr(obj, key, what) : undefined;
    }
    const i = key < 0 ? obj.length + key : key;
    if (i < 0 || i >= obj.length) return undefined;
    return typeof obj === 'string' ? obj[i] : safeValue(obj[i]);
  }
  if (typeof key === 'string') return getAttr(obj, key, what);
  if (typeof key === 'number' && isPlainObject(obj)) return ownData(obj, String(key));
  return undefined;
}

/** Python's slice of a list or string. */
export function sliceOf(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (typeof obj !== 'string' && !Array.isArray(obj)) {
    return obj === undefined ? undefined : fail(`'${typeName(obj)}' object is not subscriptable`);
  }
  const n = obj.length;
  const st = step === undefined || step === null ? 1 : numOf(step);
  if (!Number.isInteger(st)) return fail('slice indices must be integers or None');
  if (st === 0) return fail('slice step cannot be zero');
  const bound = (v: unknown, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    const x = numOf(v);
    if (!Number.isInteger(x)) return fail('slice indices must be integers or None');
    if (x < 0) return Math.max(x + n, st < 0 ? -1 : 0);
    return Math.min(x, st < 0 ? n - 1 : n);
  };
  const from = bound(start, st < 0 ? n - 1 : 0);
  const to = bound(stop, st < 0 ? -1 : n);
  if (st === 1) {
    const r = obj.slice(from, Math.max(from, to));
    chargeWork(r.length);
    return r;
  }
  const items: unknown[] = [];
  for (let i = from; st > 0 ? i < to : i > to; i += st) items.push(obj[i]);
  chargeWork(items.length);
  return typeof obj === 'string' ? items.join('') : items;
}

/** `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string')
      return fail(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => eq(x, item));
  if (isPlainObject(container)) {
    return (
      (typeof item === 'string' || typeof item === 'number') &&
      Object.hasOwn(container, String(item))
    );
  }
  if (container === undefined) return false;
  return fail(`argument of type '${typeName(container)}' is not iterable`);
}

/** The items a for loop or a filter iterates: a list, a string's characters, a dict's keys. */
export function toList(v: unknown): readonly unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (v === undefined) return [];
  if (isPlainObject(v)) return Object.keys(v);
  return fail(`'${typeName(v)}' object is not iterable`);
}

/** Python's len(). */
export function pyLen(v: unknown): number {
  if (typeof v === 'string') {
    return /[\uD800-\uDFFF]/.test(v) ? Array.from(v).length : v.length;
  }
  if (Array.isArray(v)) return v.length;
  if (isPlainObject(v)) return Object.keys(v).length;
  if (v === undefined) return 0;
  return fail(`object of type '${typeName(v)}' has no len()`);
}
