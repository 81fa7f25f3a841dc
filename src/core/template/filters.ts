/**
 * Filters and tests, as Jinja2 defines them (Data Designer's allowed set plus the
 * common list helpers). Each takes plain template values and returns one; none
 * ever receives or returns a JavaScript function or object with a prototype.
 * `random` draws from the render's seed (see RenderOptions.seed): the same seed,
 * template and input always pick the same item.
 */
import { mix32, Rng } from '../random/seed.ts';
import { chargeWork, renderState } from './limits.ts';
import { jsonpath } from './jsonpath.ts';
import { toJson } from './json.ts';
import {
  cmp,
  eq,
  fail,
  fl,
  getItem,
  isFloat,
  isNum,
  isPlainObject,
  numOf,
  ownData,
  pyLen,
  toList,
  toStr,
  truthy,
  tuple,
  typeName,
} from './values.ts';
import { add } from './ops.ts';
import { doRound, opt, toFloat, toInt } from './numbers.ts';
import { TESTS } from './tests.ts';

export type { Test } from './tests.ts';

/** Keyword arguments, on a prototype-less object. */
export type Kwargs = Record<string, unknown>;
export type Filter = (value: unknown, args: readonly unknown[], kw: Kwargs | null) => unknown;

/** `attribute='a.b.0'` as Jinja reads it: dotted parts, integer parts as indexes. */
function attrGetter(attribute: unknown): (v: unknown) => unknown {
  if (attribute === undefined || attribute === null) return (v) => v;
  const parts = toStr(attribute)
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (v) => {
    let cur = v;
    for (const p of parts) {
      if (cur === undefined) return undefined;
      cur = getItem(cur, p, String(attribute));
    }
    return cur;
  };
}

/** The sort/compare key of min, max, sort and unique: the attribute, lower-cased unless case-sensitive. */
function keyFn(args: readonly unknown[], kw: Kwargs | null, caseAt: number, attrAt: number) {
  const get = attrGetter(opt(args, kw, attrAt, 'attribute', undefined));
  const caseSensitive = truthy(opt(args, kw, caseAt, 'case_sensitive', false));
  return (v: unknown): unknown => {
    const k = get(v);
    return !caseSensitive && typeof k === 'string' ? k.toLowerCase() : k;
  };
}

function extreme(v: unknown, args: readonly unknown[], kw: Kwargs | null, sign: number): unknown {
  const items = toList(v);
  const key = keyFn(args, kw, 0, 1);
  let best: unknown = undefined;
  let bestKey: unknown = undefined;
  for (const x of items) {
    const k = key(x);
    if (best === undefined || sign * cmp(k, bestKey, sign > 0 ? '>' : '<') > 0) {
      best = x;
      bestKey = k;
    }
  }
  return best;
}

/** Python's str.strip with optional characters. */
function strip(s: string, chars: unknown): string {
  if (chars === undefined || chars === null) return s.trim();
  const set = toStr(chars);
  let a = 0;
  let b = s.length;
  while (a < b && set.includes(s[a] ?? '')) a++;
  while (b > a && set.includes(s[b - 1] ?? '')) b--;
  return s.slice(a, b);
}

function truncate(v: unknown, args: readonly unknown[], kw: Kwargs | null): string {
  const s = toStr(v);
  const length = numOf(opt(args, kw, 0, 'length', 255));
  const killwords = truthy(opt(args, kw, 1, 'killwords', false));
  const end = toStr(opt(args, kw, 2, 'end', '...'));
  const leewayArg = opt(args, kw, 3, 'leeway', null);
  const leeway = leewayArg === null || leewayArg === undefined ? 5 : numOf(leewayArg);
  if (length < end.length)
    return fail(`truncate: expected length >= ${end.length}, found ${length}`);
  if (leeway < 0) return fail('truncate: expected leeway >= 0');
  if (s.length <= length + leeway) return s;
  const cut = s.slice(0, length - end.length);
  if (killwords) return cut + end;
  const space = cut.lastIndexOf(' ');
  return (space >= 0 ? cut.slice(0, space) : cut) + end;
}

const WORD_SEPARATOR = /[-\s({[<]/;
const WORD_START = /(^|[-\s({[<])([^-\s({[<])/g;

/** Jinja's title: words split at whitespace, -, (, {, [ and <; each capitalised, the rest lower-case. */
function title(v: unknown): string {
  const lower = toStr(v).toLowerCase();
  if (lower === '') return '';
  if (!WORD_SEPARATOR.test(lower)) return lower[0]?.toUpperCase() + lower.slice(1);
  return lower.replace(WORD_START, (_, sep: string, first: string) => sep + first.toUpperCase());
}

function replace(v: unknown, args: readonly unknown[], kw: Kwargs | null): string {
  const s = toStr(v);
  const old = toStr(opt(args, kw, 0, 'old', ''));
  const neu = toStr(opt(args, kw, 1, 'new', ''));
  const countArg = opt(args, kw, 2, 'count', null);
  const parts = old === '' ? ['', ...Array.from(s), ''] : s.split(old);
  const count = countArg === null || countArg === undefined ? parts.length : numOf(countArg) + 1;
  chargeWork(s.length + neu.length * parts.length);
  if (count >= parts.length) return parts.join(neu);
  return parts.slice(0, count).join(neu) + old + parts.slice(count).join(old);
}

/** urllib.parse.quote: unreserved characters and `safe` stay, the rest is %-encoded UTF-8. */
function quote(s: string, safe: string): string {
  let out = '';
  for (const ch of s) {
    if (/[A-Za-z0-9_.~-]/.test(ch) || safe.includes(ch)) out += ch;
    else
      for (const b of new TextEncoder().encode(ch))
        out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function urlencode(v: unknown): string {
  if (typeof v === 'string') return quote(v, '/');
  const pairs = isPlainObject(v)
    ? Object.keys(v).map((k) => [k, ownData(v, k)])
    : Array.isArray(v)
      ? v
      : null;
  if (pairs === null) return quote(toStr(v), '/');
  const q = (x: unknown) => quote(toStr(x), '').replace(/%20/g, '+');
  return (pairs as unknown[])
    .map((p) => (Array.isArray(p) ? `${q(p[0])}=${q(p[1])}` : q(p)))
    .join('&');
}

function randomItem(v: unknown): unknown {
  const items = toList(v);
  if (items.length === 0) return undefined;
  const state = renderState();
  const rng = new Rng(mix32(state.seed ^ Math.imul(state.nextDraw(), 0x9e3779b9)));
  return items[rng.int(items.length)];
}

function testBy(name: unknown, extra: readonly unknown[]): (x: unknown) => boolean {
  if (name === undefined) return truthy;
  const key = toStr(name);
  const test = Object.hasOwn(TESTS, key) ? TESTS[key] : undefined;
  if (test === undefined) return fail(`no test named '${key}'`);
  return (x) => test(x, extra);
}

function selectFilter(keep: boolean, byAttr: boolean): Filter {
  return (v, args) => {
    const items = toList(v);
    const get = byAttr ? attrGetter(args[0]) : (x: unknown) => x;
    const rest = byAttr ? args.slice(1) : args;
    const test = testBy(rest[0], rest.slice(1));
    return items.filter((x) => test(get(x)) === keep);
  };
}

function mapFilter(v: unknown, args: readonly unknown[], kw: Kwargs | null): unknown[] {
  const items = toList(v);
  if (kw !== null && 'attribute' in kw) {
    const get = attrGetter(kw['attribute']);
    const dflt = kw['default'];
    return items.map((x) => {
      const r = get(x);
      return r === undefined ? dflt : r;
    });
  }
  const name = toStr(args[0]);
  const f = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
  if (f === undefined) return fail(`no filter named '${name}'`);
  const rest = args.slice(1);
  return items.map((x) => f(x, rest, null));
}

function batch(v: unknown, args: readonly unknown[], kw: Kwargs | null): unknown[][] {
  const items = toList(v);
  const size = numOf(opt(args, kw, 0, 'linecount', 1));
  if (!(size >= 1)) return fail('batch: expected a size of at least 1');
  const fill = opt(args, kw, 1, 'fill_with', undefined);
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  const last = out[out.length - 1];
  if (fill !== undefined && last) while (last.length < size) last.push(fill);
  return out;
}

function sliceFilter(v: unknown, args: readonly unknown[], kw: Kwargs | null): unknown[][] {
  const items = toList(v);
  const n = numOf(opt(args, kw, 0, 'slices', 1));
  if (!(n >= 1) || n > 10_000) return fail('slice: expected between 1 and 10000 slices');
  const fill = opt(args, kw, 1, 'fill_with', undefined);
  const per = Math.floor(items.length / n);
  const extra = items.length % n;
  const out: unknown[][] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const part = items.slice(start, offset + (i + 1) * per);
    if (fill !== undefined && i >= extra) part.push(fill);
    out.push(part);
  }
  return out;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&#39;',
  '"': '&#34;',
};

function escapeHtml(v: unknown): string {
  return toStr(v).replace(/[&<>'"]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Every filter, by name. */
export const FILTERS: Readonly<Record<string, Filter>> = Object.assign(
  Object.create(null) as Record<string, Filter>,
  {
    abs: (v: unknown) =>
      isNum(v)
        ? isFloat(v)
          ? fl(Math.abs(numOf(v)))
          : Math.abs(numOf(v))
        : fail(`bad operand type for abs(): '${typeName(v)}'`),
    batch,
    capitalize: (v: unknown) => {
      const s = toStr(v);
      return s === '' ? '' : (s[0] ?? '').toUpperCase() + s.slice(1).toLowerCase();
    },
    count: (v: unknown) => pyLen(v),
    d: (v: unknown, a: readonly unknown[], kw: Kwargs | null) => FILTERS['default']?.(v, a, kw),
    default: (v: unknown, a: readonly unknown[], kw: Kwargs | null) => {
      const useFalsy = truthy(opt(a, kw, 1, 'boolean', false));
      return v === undefined || (useFalsy && !truthy(v)) ? opt(a, kw, 0, 'default_value', '') : v;
    },
    e: escapeHtml,
    escape: escapeHtml,
    first: (v: unknown) => toList(v)[0],
    float: toFloat,
    forceescape: escapeHtml,
    int: toInt,
    items: (v: unknown) => {
      if (v === undefined) return [];
      if (!isPlainObject(v))
        return fail(`items: can only get item pairs from a mapping, found ${typeName(v)}`);
      return Object.keys(v).map((k) => tuple([k, ownData(v, k)]));
    },
    join: (v: unknown, a: readonly unknown[], kw: Kwargs | null) => {
      const items = toList(v);
      const get = attrGetter(opt(a, kw, 1, 'attribute', undefined));
      const sep = toStr(opt(a, kw, 0, 'd', ''));
      const out = items.map((x) => toStr(get(x))).join(sep);
      chargeWork(out.length);
      return out;
    },
    jsonpath: (v: unknown, a: readonly unknown[]) => jsonpath(v, a[0]),
    last: (v: unknown) => {
      const items = toList(v);
      return items[items.length - 1];
    },
    length: (v: unknown) => pyLen(v),
    list: (v: unknown) => [...toList(v)],
    lower: (v: unknown) => toStr(v).toLowerCase(),
    map: mapFilter,
    max: (v: unknown, a: readonly unknown[], kw: Kwargs | null) => extreme(v, a, kw, 1),
    min: (v: unknown, a: readonly unknown[], kw: Kwargs | null) => extreme(v, a, kw, -1),
    random: randomItem,
    reject: selectFilter(false, false),
    rejectattr: selectFilter(false, true),
    replace,
    reverse: (v: unknown) =>
      typeof v === 'string' ? Array.from(v).reverse().join('') : [...toList(v)].reverse(),
    round: doRound,
    select: selectFilter(true, false),
    selectattr: selectFilter(true, true),
    slice: sliceFilter,
    sort: (v: unknown, a: readonly unknown[], kw: Kwargs | null) => {
      const reverse = truthy(opt(a, kw, 0, 'reverse', false));
      const key = keyFn(a, kw, 1, 2);
      const keyed = toList(v).map((x) => [key(x), x] as const);
      keyed.sort((x, y) => (reverse ? -1 : 1) * cmp(x[0], y[0], '<'));
      return keyed.map((p) => p[1]);
    },
    string: (v: unknown) => toStr(v),
    sum: (v: unknown, a: readonly unknown[], kw: Kwargs | null) => {
      const get = attrGetter(opt(a, kw, 0, 'attribute', undefined));
      return toList(v).reduce((acc: unknown, x) => add(acc, get(x)), opt(a, kw, 1, 'start', 0));
    },
    title,
    tojson: (v: unknown, a: readonly unknown[], kw: Kwargs | null) =>
      toJson(v, opt(a, kw, 0, 'indent', null)),
    trim: (v: unknown, a: readonly unknown[], kw: Kwargs | null) =>
      strip(toStr(v), opt(a, kw, 0, 'chars', null)),
    truncate,
    unique: (v: unknown, a: readonly unknown[], kw: Kwargs | null) => {
      const key = keyFn(a, kw, 0, 1);
      const seen: unknown[] = [];
      const out: unknown[] = [];
      for (const x of toList(v)) {
        const k = key(x);
        if (!seen.some((s) => eq(s, k))) {
          seen.push(k);
          out.push(x);
        }
      }
      return out;
    },
    upper: (v: unknown) => toStr(v).toUpperCase(),
    urlencode,
    wordcount: (v: unknown) =>
      toStr(v)
        .split(/\s+/)
        .filter((w) => w !== '').length,
  },
);
