/**
 * The columns a template reads (SPEC 3.1: every column a template references is a
 * dependency): top-level variable names, without loop variables, `set` locals,
 * macro names and arguments, or globals. `{{ person.first_name }}` reads `person`.
 */
import type { ParsedTemplate } from './template.ts';
import { TEMPLATE_GLOBAL_NAMES } from './template.ts';

/** A syntax-tree node as @huggingface/jinja builds it: a `type` and child fields. */
interface Node {
  type: string;
  [field: string]: unknown;
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** Block scopes, innermost last. */
class Scope {
  readonly #frames: Set<string>[] = [new Set()];
  has(name: string): boolean {
    return this.#frames.some((f) => f.has(name));
  }
  declare(name: string): void {
    this.#frames[this.#frames.length - 1]?.add(name);
  }
  /** Runs `body` in a frame of its own; returns the names it declared there. */
  branch(body: () => void): Set<string> {
    const frame = new Set<string>();
    this.#frames.push(frame);
    try {
      body();
    } finally {
      this.#frames.pop();
    }
    return frame;
  }
  inner<T>(names: Iterable<string>, body: () => T): T {
    this.#frames.push(new Set(names));
    try {
      return body();
    } finally {
      this.#frames.pop();
    }
  }
}

/** Top-level names `parsed` reads, in order of first use, without duplicates. */
export function templateReferences(parsed: ParsedTemplate): string[] {
  const found = new Set<string>();
  const scope = new Scope();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const item of v) visit(item);
      return;
    }
    if (v instanceof Map) {
      for (const [k, val] of v as Map<unknown, unknown>) {
        visit(k);
        visit(val);
      }
      return;
    }
    if (isNode(v)) visitNode(v);
  };
  const visitNode = (n: Node): void => {
    switch (n.type) {
      case 'Identifier': {
        const name = n['value'] as string;
        if (!scope.has(name) && !TEMPLATE_GLOBAL_NAMES.has(name)) found.add(name);
        return;
      }
      case 'MemberExpression':
        visit(n['object']);
        if (n['computed'] === true) visit(n['property']);
        return;
      case 'For':
        visit(n['iterable']);
        scope.inner([...boundNames(n['loopvar']), 'loop'], () => visit(n['body']));
        visit(n['defaultBlock']);
        return;
      case 'If': {
        // A name set in one branch only may still be the column after the if (as
        // Jinja's own analysis says); set in every branch, it is a local.
        visit(n['test']);
        const then = scope.branch(() => visit(n['body']));
        const otherwise = scope.branch(() => visit(n['alternate']));
        for (const name of then) if (otherwise.has(name)) scope.declare(name);
        return;
      }
      case 'Set':
        visit(n['value']);
        scope.inner([], () => visit(n['body']));
        if (isNode(n['assignee']) && n['assignee'].type !== 'MemberExpression') {
          for (const name of boundNames(n['assignee'])) scope.declare(name);
        } else {
          visit(n['assignee']);
        }
        return;
      case 'Macro': {
        scope.declare(identifierName(n['name']) ?? '');
        const args = (n['args'] as unknown[]).flatMap((a) => paramName(a));
        for (const a of n['args'] as unknown[]) {
          if (isNode(a) && a.type === 'KeywordArgumentExpression') visit(a['value']);
        }
        scope.inner([...args, 'caller', 'varargs', 'kwargs'], () => visit(n['body']));
        return;
      }
      case 'CallStatement': {
        visit(n['call']);
        const args = ((n['callerArgs'] as unknown[] | null) ?? []).flatMap((a) => paramName(a));
        scope.inner(args, () => visit(n['body']));
        return;
      }
      case 'FilterExpression':
        visit(n['operand']);
        visitFilter(n['filter']);
        return;
      case 'FilterStatement':
        visitFilter(n['filter']);
        visit(n['body']);
        return;
      case 'TestExpression':
        visit(n['operand']);
        return;
      case 'KeywordArgumentExpression':
        visit(n['value']);
        return;
      default:
        for (const [key, value] of Object.entries(n)) {
          if (key !== 'type' && key !== 'operator') visit(value);
        }
    }
  };
  /** A filter's name is not a variable; its call arguments are read. */
  const visitFilter = (f: unknown): void => {
    if (isNode(f) && f.type === 'CallExpression') visit(f['args']);
  };
  visit(parsed.program);
  return [...found];
}

function identifierName(v: unknown): string | undefined {
  return isNode(v) && v.type === 'Identifier' ? (v['value'] as string) : undefined;
}

function paramName(v: unknown): string[] {
  if (isNode(v) && v.type === 'KeywordArgumentExpression') return paramName(v['key']);
  const name = identifierName(v);
  return name === undefined ? [] : [name];
}

/** Names bound by a loop variable or a `set` target (an identifier or a tuple of them). */
function boundNames(v: unknown): string[] {
  const name = identifierName(v);
  if (name !== undefined) return [name];
  if (isNode(v) && Array.isArray(v['value'])) return v['value'].flatMap((x) => boundNames(x));
  return [];
}
