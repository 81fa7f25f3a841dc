/**
 * The column DAG (SPEC 3.1): who reads whom, a topological order (Kahn; samplers
 * and seed columns first, config order otherwise) and the cycles that prevent one.
 * A reference to a side column (`x__trace`, `x__reasoning_content`) resolves to the
 * column that produces it.
 */
import { closest } from '../closest.ts';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import type { ColumnConfig, DataDesignerConfig } from '../config/types.ts';
import { llmSideColumns } from '../generators/llm-text.ts';
import type { ParsedTemplate } from '../template/template.ts';
import { columnReferences, constraintReferences, type ColumnReference } from './references.ts';
import { processorReferences } from './processors.ts';

interface ColumnGraph {
  /** Column to the columns it reads (producers, side columns resolved), deduplicated, in order of first reference. */
  dependencies: Map<string, string[]>;
  /** Every column, each after everything it reads. */
  order: string[];
  /** Side column name (`x__trace`) to the column that produces it. */
  sideColumns: Map<string, string>;
}

interface GraphAnalysis {
  /** The graph; `order` is partial (cyclic columns left out) when there are issues. */
  graph: ColumnGraph;
  /** Unknown references, template syntax errors, wrong column kinds, cycles. */
  issues: ConfigIssue[];
}

/** The side columns a column produces next to its own. */
export function sideColumnsOf(column: ColumnConfig): string[] {
  switch (column.column_type) {
    case 'llm-text':
    case 'llm-code':
    case 'llm-structured':
    case 'llm-judge':
      return llmSideColumns(column.name, column.with_trace, column.extract_reasoning_content);
    default:
      return [];
  }
}

/** Builds the graph and reports every problem in it (validateConfig's last step). */
export function analyzeGraph(
  config: DataDesignerConfig,
  cache?: Map<string, ParsedTemplate | null>,
): GraphAnalysis {
  const issues: ConfigIssue[] = [];
  const byName = new Map<string, { column: ColumnConfig; index: number }>();
  config.columns.forEach((column, index) => {
    if (!byName.has(column.name)) byName.set(column.name, { column, index });
  });
  const sideColumns = new Map<string, string>();
  for (const column of config.columns) {
    for (const side of sideColumnsOf(column)) {
      const clash = byName.get(side);
      if (clash) {
        issues.push({
          path: `columns[${clash.index}].name`,
          message: `column name '${side}' clashes with a side column of '${column.name}'; expected a name not ending in ${side.slice(column.name.length)}`,
        });
      }
      sideColumns.set(side, column.name);
    }
  }
  const resolve = (reader: string, ref: ColumnReference): string | undefined => {
    if (byName.has(ref.name)) return ref.name;
    const producer = sideColumns.get(ref.name);
    if (producer !== undefined) return producer;
    issues.push({
      path: ref.path,
      message: unknownReference(`column '${reader}'`, ref.name, byName),
    });
    return undefined;
  };

  const dependencies = new Map<string, string[]>();
  config.columns.forEach((column, index) => {
    const deps = dependencies.get(column.name) ?? [];
    for (const ref of columnReferences(column, index, issues, cache)) {
      const dep = resolve(column.name, ref);
      if (dep === undefined) continue;
      const target = byName.get(dep)?.column;
      if (column.column_type === 'sampler' && target && !isRoot(target)) {
        issues.push({
          path: ref.path,
          message: `sampler column '${column.name}' reads '${dep}', ${article(target.column_type)} column; expected a sampler or seed-dataset column (samplers are drawn before any other column)`,
        });
      }
      if (!deps.includes(dep)) deps.push(dep);
    }
    dependencies.set(column.name, deps);
  });

  config.constraints.forEach((constraint, index) => {
    const { target, reads } = constraintReferences(constraint, index);
    for (const ref of [target, ...reads]) {
      if (ref.name === '') continue; // readConstraint reported the missing or unreadable name
      const found = byName.get(ref.name)?.column;
      if (!found) {
        issues.push({
          path: ref.path,
          message: unknownReference('a constraint', ref.name, byName),
        });
      } else if (found.column_type !== 'sampler') {
        issues.push({
          path: ref.path,
          message: `expected a sampler column, found '${ref.name}', ${article(found.column_type)} column`,
        });
      }
    }
    const deps = dependencies.get(target.name);
    for (const ref of reads) {
      if (deps && byName.has(ref.name) && !deps.includes(ref.name)) deps.push(ref.name);
    }
  });

  const known = (name: string): boolean => byName.has(name) || sideColumns.has(name);
  for (const ref of processorReferences(config, issues, cache)) {
    if (!known(ref.name)) {
      const index = Number(/^processors\[(\d+)\]/.exec(ref.path)?.[1]);
      const name = config.processors[index]?.name;
      const reader = name === undefined ? 'a processor' : `processor '${name}'`;
      issues.push({ path: ref.path, message: unknownReference(reader, ref.name, byName) });
    }
  }

  const order = topologicalOrder(config, dependencies, issues);
  return { graph: { dependencies, order, sideColumns }, issues };
}

/** The graph of a valid config; throws ConfigError listing every problem otherwise. */
export function buildGraph(config: DataDesignerConfig): ColumnGraph {
  const { graph, issues } = analyzeGraph(config);
  if (issues.length > 0) throw new ConfigError(issues);
  return graph;
}

/** Column names in the order they can be generated. Throws ConfigError as buildGraph. */
export function columnOrder(config: DataDesignerConfig): string[] {
  return buildGraph(config).order;
}

function isRoot(column: ColumnConfig): boolean {
  return column.column_type === 'sampler' || column.column_type === 'seed-dataset';
}

/**
 * Kahn's algorithm; among ready columns, samplers and seed columns go first, then
 * config order. Columns left over are on or behind a cycle: each cycle is reported.
 */
function topologicalOrder(
  config: DataDesignerConfig,
  dependencies: Map<string, string[]>,
  issues: ConfigIssue[],
): string[] {
  // n log n in columns (a heap of ready columns), not quadratic: a config of 10 000
  // columns took seconds when duplicates were found by findIndex and the ready list
  // re-sorted at every step.
  const seen = new Set<string>();
  const columns = config.columns.filter((c) => !seen.has(c.name) && seen.add(c.name));
  const rank = new Map(columns.map((c, i) => [c.name, (isRoot(c) ? 0 : 1) * columns.length + i]));
  const waiting = new Map(columns.map((c) => [c.name, new Set(dependencies.get(c.name) ?? [])]));
  const readers = new Map<string, string[]>();
  for (const [name, deps] of waiting) {
    for (const dep of deps) {
      const list = readers.get(dep);
      if (list) list.push(name);
      else readers.set(dep, [name]);
    }
  }
  const ready = new MinHeap<string>((name) => rank.get(name) ?? 0);
  for (const c of columns) if (waiting.get(c.name)?.size === 0) ready.push(c.name);
  const order: string[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(next);
    for (const reader of readers.get(next) ?? []) {
      const deps = waiting.get(reader);
      deps?.delete(next);
      if (deps?.size === 0) ready.push(reader);
    }
  }
  if (order.length < columns.length) reportCycles(config, dependencies, new Set(order), issues);
  return order;
}

/** A binary heap: `pop` gives the entry of least key. */
class MinHeap<T> {
  readonly #items: T[] = [];

  constructor(readonly key: (item: T) => number) {}

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key(items[parent] as T) <= this.key(item)) break;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child =
        right < items.length && this.key(items[right] as T) < this.key(items[left] as T)
          ? right
          : left;
      if (this.key(items[child] as T) >= this.key(last)) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function reportCycles(
  config: DataDesignerConfig,
  dependencies: Map<string, string[]>,
  done: Set<string>,
  issues: ConfigIssue[],
): void {
  const reported = new Set<string>();
  for (const column of config.columns) {
    if (done.has(column.name) || reported.has(column.name)) continue;
    const cycle = findCycle(column.name, dependencies, done, reported);
    if (!cycle) continue;
    for (const name of cycle) reported.add(name);
    const first = cycle[0] as string;
    const index = config.columns.findIndex((c) => c.name === first);
    issues.push({
      path: `columns[${index}]`,
      message:
        cycle.length === 1
          ? `column '${first}' references itself; expected references to other columns only`
          : `columns form a cycle: ${[...cycle, first].join(' -> ')}; expected no column to depend on itself`,
    });
  }
}

/** A cycle reachable from `start` among unordered columns, as a list of names. */
function findCycle(
  start: string,
  dependencies: Map<string, string[]>,
  done: Set<string>,
  reported: Set<string>,
): string[] | undefined {
  const path: string[] = [];
  const onPath = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    if (onPath.has(name)) return path.slice(path.indexOf(name));
    if (seen.has(name) || done.has(name) || reported.has(name)) return undefined;
    seen.add(name);
    path.push(name);
    onPath.add(name);
    for (const dep of dependencies.get(name) ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    onPath.delete(name);
    return undefined;
  };
  return visit(start);
}

/** "`who` references 'x', which is not a column", `who` as a user names it (column 'y', processor 'p'). */
function unknownReference(who: string, name: string, byName: Map<string, unknown>): string {
  const near = closest(name, [...byName.keys()]);
  const hint = near ? ` (did you mean '${near}'?)` : '';
  return `${who} references '${name}', which is not a column${hint}`;
}

function article(kind: string): string {
  return `${/^([aeiou]|llm)/.test(kind) ? 'an' : 'a'} ${kind}`;
}
