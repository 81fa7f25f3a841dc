/**
 * What a template may call besides filters: the globals `range`, `namespace` and
 * `dict`, its own macros, and a short allow-list of Python str/dict methods
 * (`name.upper()`, `d.items()`, `loop.cycle(...)`). Methods are never values: a
 * method is looked up by name at the call, so `x.upper` alone is Undefined.
 */
import { chargeIteration, limitError, MAX_RANGE_ITEMS } from './limits.ts';
import {
  contains,
  fail,
  isBlocked,
  isInt,
  isPlainObject,
  LoopInfo,
  Namespace,
  numOf,
  ownData,
  toList,
  toStr,
  tuple,
  typeName,
} from './values.ts';
import type { Kwargs } from './filters.ts';

/** A function a template may call. */
export class Builtin {
  constructor(
    /** Its name, for messages. */
    readonly name: string,
    /** The call. */
    readonly call: (args: readonly unknown[], kw: Kwargs | null) => unknown,
  ) {}
}

function range(args: readonly unknown[]): number[] {
  for (const a of args) {
    if (!isInt(a)) return fail(`range() takes integers, found ${typeName(a)}`);
  }
  const [a = 0, b, c = 1] = args as number[];
  const [from, to] = b === undefined ? [0, a] : [a, b];
  if (c === 0) return fail('range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((to - from) / c));
  if (count > MAX_RANGE_ITEMS) {
    throw limitError(`range() of ${count} items; expected at most ${MAX_RANGE_ITEMS}`);
  }
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = from + i * c;
  return out;
}

function fromKwargs(
  target: Record<string, unknown>,
  args: readonly unknown[],
  kw: Kwargs | null,
): void {
  for (const a of args) {
    if (!isPlainObject(a)) return fail(`expected a dict, found ${typeName(a)}`);
    for (const k of Object.keys(a)) if (!isBlocked(k)) target[k] = ownData(a, k);
  }
  if (kw !== null) for (const k of Object.keys(kw)) if (!isBlocked(k)) target[k] = kw[k];
}

/** The globals, by name. A row column of the same name wins over a global. */
export const GLOBAL_FUNCTIONS: ReadonlyMap<string, Builtin> = new Map([
  ['range', new Builtin('range', (args) => range(args))],
  [
    'namespace',
    new Builtin('namespace', (args, kw) => {
      const ns = new Namespace();
      fromKwargs(ns.vars, args, kw);
      return ns;
    }),
  ],
  [
    'dict',
    new Builtin('dict', (args, kw) => {
      const d = Object.create(null) as Record<string, unknown>;
      fromKwargs(d, args, kw);
      return d;
    }),
  ],
]);

function splitWhitespace(s: string, max: number): string[] {
  const words = s
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (max < 0 || words.length <= max + 1) return words;
  // Re-split keeping the remainder intact.
  const out: string[] = [];
  let rest = s.trimStart();
  for (let i = 0; i < max; i++) {
    const m = /^(\S+)\s+/.exec(rest);
    if (!m) break;
    out.push(m[1] ?? '');
    rest = rest.slice(m[0].length);
  }
  out.push(rest.trimEnd());
  return out;
}

function split(s: string, sep: unknown, maxArg: unknown): string[] {
  const max = maxArg === undefined ? -1 : numOf(maxArg);
  if (sep === undefined || sep === null) return splitWhitespace(s, max);
  const by = toStr(sep);
  if (by === '') return fail('empty separator');
  const parts = s.split(by);
  if (max < 0 || parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(by)];
}

function affix(s: string, arg: unknown, test: (p: string) => boolean): boolean {
  return Array.isArray(arg) ? arg.some((p) => test(toStr(p))) : test(toStr(arg));
}

function stringMethod(s: string, name: string, a: readonly unknown[]): unknown {
  switch (name) {
    case 'upper':
      return s.toUpperCase();
    case 'lower':
      return s.toLowerCase();
    case 'strip':
      return a[0] === undefined ? s.trim() : stripChars(s, toStr(a[0]), true, true);
    case 'lstrip':
      return a[0] === undefined ? s.trimStart() : stripChars(s, toStr(a[0]), true, false);
    case 'rstrip':
      return a[0] === undefined ? s.trimEnd() : stripChars(s, toStr(a[0]), false, true);
    case 'capitalize':
      return s === '' ? '' : (s[0] ?? '').toUpperCase() + s.slice(1).toLowerCase();
    case 'title':
      return s
        .toLowerCase()
        .replace(/(^|[^A-Za-z])([a-z])/g, (_, p: string, c: string) => p + c.toUpperCase());
    case 'split':
      return split(s, a[0], a[1]);
    case 'startswith':
      return affix(s, a[0], (p) => s.startsWith(p));
    case 'endswith':
      return affix(s, a[0], (p) => s.endsWith(p));
    case 'replace':
      return s.split(toStr(a[0])).join(toStr(a[1]));
    case 'join': {
      const out = toList(a[0]).map(toStr).join(s);
      return out;
    }
    case 'find':
      return s.indexOf(toStr(a[0]));
    case 'count':
      return a[0] === '' ? s.length + 1 : s.split(toStr(a[0])).length - 1;
    case 'isdigit':
      return /^\d+$/.test(s);
    case 'isalpha':
      return /^\p{L}+$/u.test(s);
    case 'isupper':
      return s !== s.toLowerCase() && s === s.toUpperCase();
    case 'islower':
      return s !== s.toUpperCase() && s === s.toLowerCase();
    default:
      return fail(`'str' object has no attribute '${name}'`);
  }
}

function stripChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  while (left && a < b && chars.includes(s[a] ?? '')) a++;
  while (right && b > a && chars.includes(s[b - 1] ?? '')) b--;
  return s.slice(a, b);
}

function dictMethod(d: Record<string, unknown>, name: string, a: readonly unknown[]): unknown {
  switch (name) {
    case 'items':
      return Object.keys(d).map((k) => tuple([k, ownData(d, k)]));
    case 'keys':
      return Object.keys(d);
    case 'values':
      return Object.keys(d).map((k) => ownData(d, k));
    case 'get': {
      const key = a[0];
      const has =
        (typeof key === 'string' || typeof key === 'number') && Object.hasOwn(d, String(key));
      return has ? ownData(d, String(key)) : a[1] === undefined ? null : a[1];
    }
    default:
      return fail(`'dict' object has no attribute '${name}'`);
  }
}

/** `obj.name(args)`, for the allowed methods only. */
export function callMethod(
  obj: unknown,
  name: string,
  args: readonly unknown[],
  what: string,
): unknown {
  if (obj === undefined) return fail(`'${what}' is undefined`);
  if (typeof obj === 'string') return stringMethod(obj, name, args);
  if (isPlainObject(obj)) return dictMethod(obj, name, args);
  if (obj instanceof LoopInfo && name === 'cycle') {
    if (args.length === 0) return fail('no items for cycling given');
    return args[obj.i % args.length];
  }
  if (Array.isArray(obj) && (name === 'index' || name === 'count')) {
    chargeIteration();
    const i = obj.findIndex((x) => contains([x], args[0]));
    return name === 'index'
      ? i >= 0
        ? i
        : fail('value is not in list')
      : obj.filter((x) => contains([x], args[0])).length;
  }
  return fail(`'${typeName(obj)}' object has no attribute '${name}'`);
}
