/**
 * The `jsonpath` filter's JSONPath subset: `$`, `.name`, `['name']`, `[0]` (negative
 * from the end), `[*]` / `.*` and recursive descent `..name` / `..*`. Matches are
 * returned in document order, as a list, read through own data properties only.
 */
import { fail, isPlainObject, ownData, safeValue } from './values.ts';

type Step =
  | { kind: 'key'; name: string; deep: boolean }
  | { kind: 'index'; index: number; deep: boolean }
  | { kind: 'all'; deep: boolean };

const cache = new Map<string, Step[]>();

function parsePath(path: string): Step[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const steps: Step[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  const bad = (): never =>
    fail(`jsonpath: cannot read ${JSON.stringify(path)} at character ${i + 1}`);
  while (i < path.length) {
    let deep = false;
    if (path.startsWith('..', i)) {
      deep = true;
      i += 2;
    } else if (path[i] === '.') {
      i += 1;
    } else if (path[i] !== '[') {
      bad();
    }
    if (path[i] === '*') {
      steps.push({ kind: 'all', deep });
      i += 1;
    } else if (path[i] === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) bad();
      const inner = path.slice(i + 1, end).trim();
      if (inner === '*') steps.push({ kind: 'all', deep });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner), deep });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner))
        steps.push({ kind: 'key', name: inner.slice(1, -1), deep });
      else bad();
      i = end + 1;
    } else {
      const m = /^[^.[\]]+/.exec(path.slice(i));
      if (!m) bad();
      const name = m?.[0] ?? '';
      steps.push({ kind: 'key', name, deep });
      i += name.length;
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(path, steps);
  return steps;
}

/** The children of a node that a step selects. */
function select(node: unknown, step: Step, out: unknown[]): void {
  if (step.kind === 'all') {
    if (Array.isArray(node)) for (const x of node) out.push(safeValue(x));
    else if (isPlainObject(node)) for (const k of Object.keys(node)) out.push(ownData(node, k));
  } else if (step.kind === 'index') {
    if (Array.isArray(node)) {
      const i = step.index < 0 ? node.length + step.index : step.index;
      if (i >= 0 && i < node.length) out.push(safeValue(node[i]));
    }
  } else if (isPlainObject(node) && Object.hasOwn(node, step.name)) {
    out.push(ownData(node, step.name));
  }
}

/** Every node at or below `node`, itself first (for `..`), guarding against cycles. */
function descendants(node: unknown, out: unknown[], seen: Set<unknown>): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  out.push(node);
  seen.add(node);
  const kids: unknown[] = [];
  select(node, { kind: 'all', deep: false }, kids);
  for (const k of kids) descendants(k, out, seen);
}

/** All values in `data` that `path` matches. */
export function jsonpath(data: unknown, path: unknown): unknown[] {
  if (!isPlainObject(data))
    return fail('jsonpath: cannot perform a JSONPath filter on non-structured data');
  if (typeof path !== 'string') return fail('jsonpath: the path must be a string');
  let current: unknown[] = [data];
  for (const step of parsePath(path)) {
    const next: unknown[] = [];
    for (const node of current) {
      if (step.deep) {
        const all: unknown[] = [];
        descendants(node, all, new Set());
        for (const n of all) select(n, step, next);
      } else {
        select(node, step, next);
      }
    }
    current = next;
  }
  return current;
}
