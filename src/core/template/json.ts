/**
 * The `tojson` filter as Jinja2 does it: json.dumps with sorted keys, ASCII only,
 * and `<`, `>`, `&`, `'` escaped so the output is safe inside HTML. Written here
 * (not JSON.stringify) so that no toJSON method of any object is ever called.
 */
import { chargeWork, limitError } from './limits.ts';
import { fail, floatRepr, isPlainObject, ownData, PyFloat, safeValue, typeName } from './values.ts';

const MAX_DEPTH = 100;

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c < 0x20 || c > 0x7e || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x27) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += s[i];
  }
  return `${out}"`;
}

function jsonNumber(x: number, float: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return float || !Number.isInteger(x) ? floatRepr(x) : String(x);
}

/** `value` as JSON; `indent` (a number or string) pretty-prints as json.dumps does. */
export function toJson(value: unknown, indent: unknown): string {
  const pad =
    typeof indent === 'number'
      ? ' '.repeat(Math.min(indent, 16))
      : typeof indent === 'string'
        ? indent
        : null;
  const seen: unknown[] = [];
  const write = (v: unknown, depth: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return jsonString(v);
    if (typeof v === 'number') return jsonNumber(v, false);
    if (v instanceof PyFloat) return jsonNumber(v.v, true);
    if (depth > MAX_DEPTH) throw limitError(`value nested over ${MAX_DEPTH} deep for tojson`);
    const isList = Array.isArray(v);
    if (!isList && !isPlainObject(v))
      return fail(`Object of type ${typeName(v)} is not JSON serializable`);
    if (seen.includes(v)) return fail('tojson: circular reference detected');
    seen.push(v);
    const entries = isList
      ? v.map((x) => write(safeValue(x), depth + 1))
      : Object.keys(v)
          .sort()
          .map((k) => `${jsonString(k)}: ${write(ownData(v, k), depth + 1)}`);
    seen.pop();
    chargeWork(entries.length);
    const [open, close] = isList ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    if (pad === null) return open + entries.join(', ') + close;
    const inner = `\n${pad.repeat(depth + 1)}`;
    return `${open}${inner}${entries.join(`,${inner}`)}\n${pad.repeat(depth)}${close}`;
  };
  return write(value, 0);
}
