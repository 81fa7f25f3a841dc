/**
 * Paths into an untyped config document, written as validateConfig reports them:
 * `columns[3].params.high`, `conditional_params["age > 21"]`. A form field's path
 * is the path its issues carry, so errors land at the field that caused them.
 */

/** One step of a path: an object key or an array index. */
export type PathStep = string | number;

const STEP = /([A-Za-z_$][\w$]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.(?=[A-Za-z_$])/gy;

/** `a.b[2]["k"]` to `['a', 'b', 2, 'k']`; throws on anything else. */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  STEP.lastIndex = 0;
  while (STEP.lastIndex < path.length) {
    const at = STEP.lastIndex;
    const m = STEP.exec(path);
    if (!m || STEP.lastIndex === at) throw new Error(`bad path '${path}' at ${at}`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else if (m[3] !== undefined) steps.push(JSON.parse(`"${m[3]}"`) as string);
  }
  return steps;
}

function isContainer(v: unknown): v is Record<string | number, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The value at `path`, or undefined when any step is missing. */
export function getAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const step of parsePath(path)) {
    if (!isContainer(v)) return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

/**
 * Sets `path` to `value`, creating objects (or arrays, before a numeric step) on
 * the way; `undefined` deletes the key (so the field's default applies).
 */
export function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const steps = parsePath(path);
  let v: Record<string | number, unknown> = root;
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i] as PathStep;
    let next = v[step];
    if (!isContainer(next)) {
      if (value === undefined) return;
      next = typeof steps[i + 1] === 'number' ? [] : {};
      v[step] = next;
    }
    v = next as Record<string | number, unknown>;
  }
  const last = steps[steps.length - 1];
  if (last === undefined) return;
  if (value === undefined) {
    if (Array.isArray(v) && typeof last === 'number') v.splice(last, 1);
    else delete v[last];
  } else v[last] = value;
}

/** True when `path` is `prefix` or lies under it (`columns[1]` holds `columns[1].name`). */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}
