/**
 * The expression half of the closure compiler (compile.ts has the statements):
 * names, literals, attribute and index reads, calls, filters, tests and operators,
 * each turned into one closure `(row, frame) => value` with the operands' closures
 * captured. Common cases get a fast path (numbers compared directly, constant
 * filter arguments evaluated once).
 */
import {
  filterName,
  type BinaryExpressionNode,
  type CallExpressionNode,
  type Expression,
  type IdentifierNode,
  type MemberExpressionNode,
  type TestExpressionNode,
  type UnaryExpressionNode,
} from './ast.ts';
import { callMethod, GLOBAL_FUNCTIONS } from './builtins.ts';
import type { Macro } from './macro.ts';
import { invoke, UNSET } from './macro.ts';

export { UNSET };
import { FILTERS, type Kwargs } from './filters.ts';
import { checkNamedArgument, UnknownNameError, UnsupportedError } from './known-names.ts';
import { TESTS } from './tests.ts';
import { add, concat, div, floordiv, mod, mul, neg, pos, pow, sub } from './ops.ts';
import {
  cmp,
  contains,
  eq,
  fail,
  fl,
  getAttr,
  getItem,
  isBlocked,
  safeValue,
  sliceOf,
  truthy,
  tuple,
  typeName,
} from './values.ts';

/** The variables of one render: the row. */
export type Ctx = Readonly<Record<string, unknown>>;
export type Frame = unknown[];
export type Expr = (c: Ctx, f: Frame) => unknown;
export type Out = (c: Ctx, f: Frame) => string;

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/** A readable name for the expression `n`, for messages. */
function describe(n: Expression): string {
  if (n.type === 'Identifier') return n.value;
  if (n.type === 'MemberExpression') {
    const p = n.property;
    const inner = describe(n.object);
    if (!n.computed && p.type === 'Identifier') return `${inner}.${p.value}`;
    return p.type === 'StringLiteral' || p.type === 'IntegerLiteral'
      ? `${inner}[${JSON.stringify(p.value)}]`
      : `${inner}[...]`;
  }
  return 'value';
}

/** Positional and keyword arguments of a call, evaluated once when all are constants. */
type Args = (c: Ctx, f: Frame) => readonly [readonly unknown[], Kwargs | null];

interface FnScope {
  /** Block scopes (name to slot), innermost last. */
  scopes: Map<string, number>[];
  /** Slots allocated so far: the frame size. */
  slots: number;
}

export class ExprCompiler {
  /** The function (template or macro body) being compiled: its scopes and frame size. */
  fn: FnScope = { scopes: [new Map()], slots: 0 };
  /** Macros defined so far, by name (resolved statically, after locals, before the row). */
  readonly macros = new Map<string, Macro>();
  /** Expressions known at compile time, with their values. */
  readonly constants = new WeakMap<Expr, { v: unknown }>();

  constant(v: unknown): Expr {
    const e: Expr = () => v;
    this.constants.set(e, { v });
    return e;
  }

  declare(name: string): number {
    const top = this.fn.scopes[this.fn.scopes.length - 1];
    let slot = top?.get(name);
    if (slot === undefined) {
      slot = this.fn.slots++;
      top?.set(name, slot);
    }
    return slot;
  }

  /** Slots that may hold `name` here, innermost first. */
  slotsOf(name: string): number[] {
    const out: number[] = [];
    for (let i = this.fn.scopes.length - 1; i >= 0; i--) {
      const s = this.fn.scopes[i]?.get(name);
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  expr(n: Expression): Expr {
    switch (n.type) {
      case 'StringLiteral':
      case 'IntegerLiteral':
        return this.constant(n.value);
      case 'FloatLiteral':
        return this.constant(fl(n.value));
      case 'Identifier':
        return this.identifier(n.value);
      case 'ArrayLiteral':
      case 'TupleLiteral':
        return this.list(n.value, n.type === 'TupleLiteral');
      case 'ObjectLiteral':
        return this.dict(n.value);
      case 'MemberExpression':
        return this.member(n);
      case 'CallExpression':
        return this.call(n);
      case 'FilterExpression':
        return this.filter(this.expr(n.operand), n.filter);
      case 'TestExpression':
        return this.test(n);
      case 'BinaryExpression':
        return this.binary(n);
      case 'UnaryExpression':
        return this.unary(n);
      case 'Ternary': {
        const cond = this.expr(n.condition);
        const yes = this.expr(n.trueExpr);
        const no = this.expr(n.falseExpr);
        return (c, f) => (truthy(cond(c, f)) ? yes(c, f) : no(c, f));
      }
      case 'SelectExpression': {
        const value = this.expr(n.lhs);
        const cond = this.expr(n.test);
        return (c, f) => (truthy(cond(c, f)) ? value(c, f) : undefined);
      }
      default:
        throw new UnsupportedError(`${n.type} is not supported in a template`);
    }
  }

  identifier(name: string): Expr {
    if (name === 'true' || name === 'True') return this.constant(true);
    if (name === 'false' || name === 'False') return this.constant(false);
    if (name === 'none' || name === 'None') return this.constant(null);
    const slots = this.slotsOf(name);
    const fallback: unknown = this.macros.get(name) ?? GLOBAL_FUNCTIONS.get(name);
    const fromRow: Expr = this.macros.has(name)
      ? () => fallback
      : isBlocked(name)
        ? () => fallback
        : (c) => (Object.hasOwn(c, name) ? safeValue(c[name]) : fallback);
    if (slots.length === 0) return fromRow;
    if (slots.length === 1) {
      const s = slots[0] ?? 0;
      return (c, f) => {
        const v = f[s];
        return v !== UNSET ? v : fromRow(c, f);
      };
    }
    return (c, f) => {
      for (const s of slots) {
        const v = f[s];
        if (v !== UNSET) return v;
      }
      return fromRow(c, f);
    };
  }

  list(items: Expression[], isTuple: boolean): Expr {
    const parts = items.map((x) => this.expr(x));
    const known = parts.map((p) => this.constants.get(p));
    if (known.every((k) => k !== undefined)) {
      const fixed = Object.freeze(known.map((k) => k?.v));
      return this.constant(isTuple ? tuple(fixed as unknown[]) : fixed);
    }
    return (c, f) => {
      const out = parts.map((p) => p(c, f));
      return isTuple ? tuple(out) : out;
    };
  }

  dict(entries: Map<Expression, Expression>): Expr {
    const pairs = [...entries].map(([k, v]) => [this.expr(k), this.expr(v)] as const);
    return (c, f) => {
      const d = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of pairs) {
        const key = k(c, f);
        if (typeof key !== 'string' && typeof key !== 'number')
          return fail(`dict keys must be strings or numbers, found ${typeName(key)}`);
        d[String(key)] = v(c, f);
      }
      return d;
    };
  }

  member(n: MemberExpressionNode): Expr {
    const obj = this.expr(n.object);
    const what = describe(n.object);
    const prop = n.property;
    if (!n.computed) {
      if (prop.type === 'Identifier') {
        const name = prop.value;
        return (c, f) => getAttr(obj(c, f), name, what);
      }
      if (prop.type !== 'IntegerLiteral' && prop.type !== 'StringLiteral')
        throw new UnsupportedError(`${prop.type} after a dot is not supported`);
      const index = prop.value;
      return (c, f) => getItem(obj(c, f), index, what);
    }
    if (prop.type === 'SliceExpression') {
      const part = (x: Expression | undefined): Expr =>
        x === undefined ? () => undefined : this.expr(x);
      const [start, stop, step] = [part(prop.start), part(prop.stop), part(prop.step)];
      return (c, f) => sliceOf(obj(c, f), start(c, f), stop(c, f), step(c, f));
    }
    const key = this.expr(prop);
    return (c, f) => getItem(obj(c, f), key(c, f), what);
  }

  args(list: Expression[]): Args {
    const positional: Expr[] = [];
    const keywords: [string, Expr][] = [];
    for (const a of list) {
      if (a.type === 'KeywordArgumentExpression') {
        keywords.push([a.key.value, this.expr(a.value)]);
      } else if (a.type === 'SpreadExpression' || a.type === 'KeywordSpreadExpression') {
        throw new UnsupportedError('argument unpacking (* and **) is not supported');
      } else {
        positional.push(this.expr(a));
      }
    }
    const evaluate: Args = (c, f) => {
      const args = positional.length === 0 ? NO_ARGS : positional.map((p) => p(c, f));
      if (keywords.length === 0) return [args, null];
      const kw = Object.create(null) as Kwargs;
      for (const [k, v] of keywords) kw[k] = v(c, f);
      return [args, kw];
    };
    const all = [...positional, ...keywords.map(([, v]) => v)];
    if (all.every((e) => this.constants.has(e))) {
      const fixed = evaluate({}, []);
      return () => fixed;
    }
    return evaluate;
  }

  call(n: CallExpressionNode): Expr {
    const callee = n.callee;
    const args = this.args(n.args);
    if (callee.type === 'MemberExpression' && !callee.computed) {
      const prop = callee.property;
      if (prop.type === 'Identifier') {
        const obj = this.expr(callee.object);
        const name = prop.value;
        const what = describe(callee.object);
        return (c, f) => callMethod(obj(c, f), name, args(c, f)[0], what);
      }
    }
    if (callee.type === 'Identifier') this.checkCallable(callee.value);
    const fn = this.expr(callee);
    const what = describe(callee);
    return (c, f) => {
      const [a, kw] = args(c, f);
      return invoke(fn(c, f), c, a, kw, what);
    };
  }

  /**
   * A name called as `name(...)` must be a local (which may hold a macro), a macro
   * defined above, or a global: a row column is data, never callable.
   */
  checkCallable(name: string): void {
    if (this.slotsOf(name).length > 0 || this.macros.has(name) || GLOBAL_FUNCTIONS.has(name))
      return;
    throw new UnknownNameError('function', name, [
      ...GLOBAL_FUNCTIONS.keys(),
      ...this.macros.keys(),
    ]);
  }

  /** `operand | name(args)`; `is name(args)` arrives here as the filter `test:name` (see template.ts). */
  filter(operand: Expr, node: IdentifierNode | CallExpressionNode): Expr {
    const isCall = node.type === 'CallExpression';
    const name = filterName(node);
    const args = isCall ? this.args(node.args) : () => [NO_ARGS, null] as const;
    if (name.startsWith('test:')) {
      const negate = name.startsWith('test:not:');
      return this.testWith(operand, name.slice(negate ? 9 : 5), negate, args);
    }
    const fn = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
    if (fn === undefined) throw new UnknownNameError('filter', name, Object.keys(FILTERS));
    if (isCall) checkNamedArgument(name, node.args);
    if (!isCall) return (c, f) => fn(operand(c, f), NO_ARGS, null);
    return (c, f) => {
      const [a, kw] = args(c, f);
      return fn(operand(c, f), a, kw);
    };
  }

  test(n: TestExpressionNode): Expr {
    return this.testWith(this.expr(n.operand), n.test.value, n.negate, () => [NO_ARGS, null]);
  }

  testWith(operand: Expr, name: string, negate: boolean, args: Args): Expr {
    const t = Object.hasOwn(TESTS, name) ? TESTS[name] : undefined;
    if (t === undefined) throw new UnknownNameError('test', name, Object.keys(TESTS));
    return (c, f) => t(operand(c, f), args(c, f)[0]) !== negate;
  }

  unary(n: UnaryExpressionNode): Expr {
    const op = n.operator.value;
    const arg = this.expr(n.argument);
    if (op === 'not' || op === '!') return (c, f) => !truthy(arg(c, f));
    if (op === '-') return (c, f) => neg(arg(c, f));
    return (c, f) => pos(arg(c, f));
  }

  binary(n: BinaryExpressionNode): Expr {
    const op = n.operator.value;
    const l = this.expr(n.left);
    const r = this.expr(n.right);
    switch (op) {
      case 'and':
        return (c, f) => {
          const a = l(c, f);
          return truthy(a) ? r(c, f) : a;
        };
      case 'or':
        return (c, f) => {
          const a = l(c, f);
          return truthy(a) ? a : r(c, f);
        };
      case '==':
        return (c, f) => eq(l(c, f), r(c, f));
      case '!=':
        return (c, f) => !eq(l(c, f), r(c, f));
      case '<':
        return order(l, r, op, (x) => x < 0);
      case '<=':
        return order(l, r, op, (x) => x <= 0);
      case '>':
        return order(l, r, op, (x) => x > 0);
      case '>=':
        return order(l, r, op, (x) => x >= 0);
      case 'in':
        return (c, f) => contains(r(c, f), l(c, f));
      case 'not in':
        return (c, f) => !contains(r(c, f), l(c, f));
      default: {
        const fn = ARITHMETIC[op];
        if (fn === undefined) throw new UnsupportedError(`operator ${op} is not supported`);
        return (c, f) => fn(l(c, f), r(c, f));
      }
    }
  }
}

const ARITHMETIC: Readonly<Record<string, (a: unknown, b: unknown) => unknown>> = {
  '+': add,
  '-': sub,
  '*': mul,
  '/': div,
  '//': floordiv,
  '%': mod,
  '**': pow,
  '~': concat,
};

/** A comparison, with numbers compared directly. */
function order(l: Expr, r: Expr, op: string, pass: (c: number) => boolean): Expr {
  return (c, f) => {
    const a = l(c, f);
    const b = r(c, f);
    if (typeof a === 'number' && typeof b === 'number')
      return pass(a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN);
    return pass(cmp(a, b, op));
  };
}
