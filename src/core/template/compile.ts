/**
 * Compiles @huggingface/jinja's syntax tree into a tree of JavaScript closures,
 * once per template; rendering a row is then a few direct calls and string
 * concatenations. No code is generated (no eval, no Function): every closure is
 * written here, and values only ever pass through values.ts's guarded reads.
 *
 * Variables are resolved while compiling: loop variables, `set` locals and macro
 * arguments live in slots of a per-render frame (an array, allocated only when the
 * template has any); every other name is a row column, then a macro, then a global.
 */
import type {
  ForNode,
  IfNode,
  MacroNode,
  ProgramNode,
  SetNode,
  Statement,
  Expression as ExpressionNode,
} from './ast.ts';
import { UnsupportedError } from './known-names.ts';
import { checkOutput, chargeIteration, MAX_TEMPLATE_OUTPUT, renderState } from './limits.ts';
import { ExprCompiler, UNSET, type Ctx, type Expr, type Frame, type Out } from './expressions.ts';
import { Macro } from './macro.ts';
import {
  fail,
  isBlocked,
  LoopInfo,
  Namespace,
  safeValue,
  toList,
  toStr,
  truthy,
  typeName,
} from './values.ts';

const EMPTY_FRAME: Frame = [];

/** Whether a loop body holds a break/continue of its own (not of an inner loop). */
function hasControl(body: Statement[]): boolean {
  return body.some((n) => {
    if (n.type === 'Break' || n.type === 'Continue') return true;
    if (n.type === 'If') return hasControl(n.body) || hasControl(n.alternate);
    return false;
  });
}

/** A compiled template: render a row to its text. */
export type Renderer = (context: Ctx) => string;

export function compileProgram(program: ProgramNode): Renderer {
  const c = new Compiler();
  const body = c.sequence(program.body);
  const slots = c.fn.slots;
  return (ctx) => {
    const out = body(ctx, slots === 0 ? EMPTY_FRAME : new Array<unknown>(slots).fill(UNSET));
    checkOutput(out.length);
    return out;
  };
}

class Compiler extends ExprCompiler {
  /** Inside a loop body that may break or continue. */
  inControlLoop = false;

  // ---- statements ----------------------------------------------------------

  sequence(body: Statement[]): Out {
    const parts: (string | Out)[] = [];
    for (const n of body) {
      const p = this.statement(n);
      const last = parts[parts.length - 1];
      if (typeof p === 'string' && typeof last === 'string') parts[parts.length - 1] = last + p;
      else if (p !== '') parts.push(p);
    }
    return buildSequence(parts, this.inControlLoop);
  }

  statement(n: Statement): string | Out {
    switch (n.type) {
      case 'Comment':
        return '';
      case 'If':
        return this.ifStatement(n);
      case 'For':
        return this.forStatement(n);
      case 'Set':
        return this.setStatement(n);
      case 'Macro':
        this.macro(n);
        return '';
      case 'Break':
      case 'Continue': {
        if (!this.inControlLoop)
          throw new UnsupportedError(`{% ${n.type.toLowerCase()} %} outside a loop`);
        const code = n.type === 'Break' ? 1 : 2;
        return () => {
          renderState().signal(code);
          return '';
        };
      }
      case 'FilterStatement': {
        const body = this.sequence(n.body);
        return this.output(this.filter(body, n.filter));
      }
      case 'CallStatement':
        throw new UnsupportedError('{% call %} blocks are not supported');
      default:
        return this.output(this.expr(n));
    }
  }

  /** `{{ e }}`: the value printed as Python's str(). */
  output(e: Expr): string | Out {
    const k = this.constants.get(e);
    if (k) return toStr(k.v);
    return (c, f) => {
      const v = e(c, f);
      return typeof v === 'string' ? v : toStr(v);
    };
  }

  ifStatement(n: IfNode): Out {
    const test = this.expr(n.test);
    const yes = this.sequence(n.body);
    const no = this.sequence(n.alternate);
    return (c, f) => (truthy(test(c, f)) ? yes(c, f) : no(c, f));
  }

  /** Binds a loop or set target (a name or a tuple of names); returns the assignment. */
  target(n: ExpressionNode): (f: Frame, v: unknown) => void {
    if (n.type === 'Identifier') {
      const slot = this.declare(n.value);
      return (f, v) => {
        f[slot] = v;
      };
    }
    if (n.type === 'TupleLiteral') {
      const slots = n.value.map((x) => {
        if (x.type !== 'Identifier') throw new UnsupportedError('only names can be unpacked');
        return this.declare(x.value);
      });
      return (f, v) => {
        const items = Array.isArray(v) ? v : typeof v === 'string' ? Array.from(v) : null;
        if (items?.length !== slots.length) {
          return fail(`cannot unpack ${typeName(v)} into ${slots.length} names`);
        }
        for (let i = 0; i < slots.length; i++) f[slots[i] ?? 0] = safeValue(items[i]);
      };
    }
    throw new UnsupportedError(`cannot assign to ${n.type}`);
  }

  forStatement(n: ForNode): Out {
    let iterNode = n.iterable;
    let condNode: ExpressionNode | null = null;
    if (iterNode.type === 'SelectExpression') {
      condNode = iterNode.test;
      iterNode = iterNode.lhs;
    }
    const iterable = this.expr(iterNode);
    this.fn.scopes.push(new Map());
    const bind = this.target(n.loopvar);
    const loopSlot = this.declare('loop');
    const cond = condNode ? this.expr(condNode) : null;
    const outer = this.inControlLoop;
    this.inControlLoop = hasControl(n.body);
    const controlled = this.inControlLoop;
    const run = this.sequence(n.body);
    this.inControlLoop = outer;
    const local = [...(this.fn.scopes.pop()?.values() ?? [])];
    const otherwise = this.sequence(n.defaultBlock);
    return (c, f) => {
      let items = toList(iterable(c, f));
      for (const s of local) f[s] = UNSET;
      if (cond !== null) {
        const kept: unknown[] = [];
        for (const x of items) {
          chargeIteration();
          bind(f, safeValue(x));
          if (truthy(cond(c, f))) kept.push(x);
        }
        items = kept;
      }
      if (items.length === 0) return otherwise(c, f);
      const loop = new LoopInfo(items);
      f[loopSlot] = loop;
      const state = controlled ? renderState() : null;
      let s = '';
      for (let i = 0; i < items.length; i++) {
        chargeIteration();
        loop.i = i;
        bind(f, safeValue(items[i]));
        s += run(c, f);
        if (s.length > MAX_TEMPLATE_OUTPUT) checkOutput(s.length);
        if (state !== null && state.control !== 0 && state.takeControl() === 1) break;
      }
      return s;
    };
  }

  setStatement(n: SetNode): Out {
    const value: Expr = n.value !== null ? this.expr(n.value) : this.sequence(n.body);
    const assignee = n.assignee;
    if (assignee.type === 'MemberExpression' && !assignee.computed) {
      const obj = this.expr(assignee.object);
      const prop = assignee.property;
      if (prop.type !== 'Identifier') throw new UnsupportedError('cannot assign to that attribute');
      const name = prop.value;
      return (c, f) => {
        const o = obj(c, f);
        if (!(o instanceof Namespace))
          return fail(`cannot assign attribute on non-namespace object (${typeName(o)})`);
        if (isBlocked(name)) return fail(`cannot assign attribute '${name}'`);
        o.vars[name] = value(c, f);
        return '';
      };
    }
    const bind = this.target(assignee);
    return (c, f) => {
      bind(f, value(c, f));
      return '';
    };
  }

  macro(n: MacroNode): void {
    const name = n.name.value;
    const params = n.args;
    const names = params.map((p) => (p.type === 'Identifier' ? p : p.key).value);
    const m = new Macro(name, names);
    this.macros.set(name, m);
    const saved = this.fn;
    const savedLoop = this.inControlLoop;
    this.fn = { scopes: [new Map()], slots: 0 };
    this.inControlLoop = false;
    m.selfSlot = this.declare(name);
    m.paramSlots = names.map((p) => this.declare(p));
    m.defaults = params.map((p) =>
      p.type === 'KeywordArgumentExpression' ? this.expr(p.value) : undefined,
    );
    m.body = this.sequence(n.body);
    m.slots = this.fn.slots;
    this.fn = saved;
    this.inControlLoop = savedLoop;
  }
}

/** Joins constant text and rendered parts; checks the output bound as it grows. */
function buildSequence(parts: (string | Out)[], stopOnControl: boolean): Out {
  if (parts.length === 0) return () => '';
  const first = parts[0];
  if (parts.length === 1 && first !== undefined)
    return typeof first === 'string' ? () => first : first;
  const head = typeof first === 'string' ? first : '';
  const fns: Out[] = [];
  const tails: string[] = [];
  for (let i = typeof first === 'string' ? 1 : 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'string') tails[tails.length - 1] += p;
    else if (p !== undefined) {
      fns.push(p);
      tails.push('');
    }
  }
  const n = fns.length;
  if (stopOnControl) {
    return (c, f) => {
      const state = renderState();
      let s = head;
      for (let i = 0; i < n; i++) {
        s += (fns[i] as Out)(c, f);
        if (state.control !== 0) return s;
        s += tails[i] as string;
        if (s.length > MAX_TEMPLATE_OUTPUT) checkOutput(s.length);
      }
      return s;
    };
  }
  return (c, f) => {
    let s = head;
    for (let i = 0; i < n; i++) {
      s += (fns[i] as Out)(c, f) + (tails[i] as string);
      if (s.length > MAX_TEMPLATE_OUTPUT) checkOutput(s.length);
    }
    return s;
  };
}
