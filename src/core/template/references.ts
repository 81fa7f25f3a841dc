/**
 * The columns a template reads (SPEC 3.1: every column a template references is a
 * dependency): top-level variable names, without loop variables, `set` locals,
 * macro names and arguments, or globals. `{{ person.first_name }}` reads `person`.
 */
import { childNodes, nameOf, type Node, type ParameterNode } from './ast.ts';
import type { ParsedTemplate } from './template.ts';
import { TEMPLATE_GLOBAL_NAMES } from './template.ts';

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

/**
 * Top-level names `parsed` reads, in order of first use, without duplicates.
 * `alias` maps a name to the one it stands for in scoping (a renamer marks each
 * occurrence of a name apart, yet a loop variable must still hide its uses);
 * names are reported as written. Default: each name stands for itself.
 */
export function templateReferences(
  parsed: ParsedTemplate,
  alias: (name: string) => string = (name) => name,
): string[] {
  const found = new Set<string>();
  const scope = new Scope();
  const visitAll = (ns: readonly Node[]): void => {
    for (const n of ns) visit(n);
  };
  const visit = (n: Node | null): void => {
    if (n === null) return;
    switch (n.type) {
      case 'Identifier': {
        const name = alias(n.value);
        if (!scope.has(name) && !TEMPLATE_GLOBAL_NAMES.has(name)) found.add(n.value);
        return;
      }
      case 'MemberExpression':
        visit(n.object);
        if (n.computed) visit(n.property);
        return;
      case 'For':
        visit(n.iterable);
        scope.inner([...boundNames(n.loopvar).map(alias), 'loop'], () => visitAll(n.body));
        visitAll(n.defaultBlock);
        return;
      case 'If': {
        // A name set in one branch only may still be the column after the if (as
        // Jinja's own analysis says); set in every branch, it is a local.
        visit(n.test);
        const then = scope.branch(() => visitAll(n.body));
        const otherwise = scope.branch(() => visitAll(n.alternate));
        for (const name of then) if (otherwise.has(name)) scope.declare(name);
        return;
      }
      case 'Set':
        visit(n.value);
        scope.inner([], () => visitAll(n.body));
        if (n.assignee.type !== 'MemberExpression') {
          for (const name of boundNames(n.assignee)) scope.declare(alias(name));
        } else {
          visit(n.assignee);
        }
        return;
      case 'Macro': {
        scope.declare(alias(n.name.value));
        for (const a of n.args) if (a.type === 'KeywordArgumentExpression') visit(a.value);
        const args = n.args.map((p) => alias(paramName(p)));
        scope.inner([...args, 'caller', 'varargs', 'kwargs'], () => visitAll(n.body));
        return;
      }
      case 'CallStatement': {
        visit(n.call);
        const args = (n.callerArgs ?? []).map((p) => alias(paramName(p)));
        scope.inner(args, () => visitAll(n.body));
        return;
      }
      case 'FilterExpression':
        visit(n.operand);
        // A filter's name is not a variable; its call arguments are read.
        if (n.filter.type === 'CallExpression') visitAll(n.filter.args);
        return;
      case 'FilterStatement':
        if (n.filter.type === 'CallExpression') visitAll(n.filter.args);
        visitAll(n.body);
        return;
      case 'TestExpression':
        visit(n.operand);
        return;
      case 'KeywordArgumentExpression':
        visit(n.value);
        return;
      default:
        visitAll(childNodes(n));
    }
  };
  visit(parsed.program);
  return [...found];
}

function paramName(p: ParameterNode): string {
  return (p.type === 'KeywordArgumentExpression' ? p.key : p).value;
}

/** Names bound by a loop variable or a `set` target (an identifier or a tuple of them). */
function boundNames(n: Node): string[] {
  const name = nameOf(n);
  if (name !== undefined) return [name];
  if (n.type === 'TupleLiteral' || n.type === 'ArrayLiteral')
    return n.value.flatMap((x) => boundNames(x));
  return [];
}
