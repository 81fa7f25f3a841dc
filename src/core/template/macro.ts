/**
 * Template macros (`{% macro name(args) %}`): each call runs the compiled body on
 * a fresh frame, bounded by MAX_CALL_DEPTH so that a macro calling itself ends.
 */
import { Builtin } from './builtins.ts';
import type { Kwargs } from './filters.ts';
import { renderState } from './limits.ts';
import { fail, typeName } from './values.ts';
import type { Ctx, Expr, Frame, Out } from './expressions.ts';

/** A slot not yet assigned in this render: reads fall through to the row. */
export const UNSET = Symbol('unset');

/** A `{% macro %}`: its arguments, defaults and body, run on a fresh frame per call. */
export class Macro {
  /** Frame size. */
  slots = 0;
  /** The compiled body; set once the body is compiled. */
  body: Out = () => '';
  /** The frame slot of each parameter, in order. */
  paramSlots: number[] = [];
  /** Each parameter's default (undefined: none, the argument is Undefined when left out). */
  defaults: (Expr | undefined)[] = [];
  /** The slot holding the macro itself, so that it may call itself. */
  selfSlot = 0;
  constructor(
    /** The macro's name, for messages. */
    readonly name: string,
    /** Parameter names, in order. */
    readonly params: string[],
  ) {}

  call(c: Ctx, args: readonly unknown[], kw: Kwargs | null): string {
    if (args.length > this.params.length) {
      return fail(
        `macro '${this.name}' takes ${this.params.length} arguments, found ${args.length}`,
      );
    }
    return renderState().call(() => {
      const f: Frame = new Array<unknown>(this.slots).fill(UNSET);
      f[this.selfSlot] = this;
      for (let i = 0; i < this.params.length; i++) {
        const name = this.params[i] ?? '';
        const slot = this.paramSlots[i] ?? 0;
        const dflt = this.defaults[i];
        if (i < args.length) f[slot] = args[i];
        else if (kw !== null && name in kw) f[slot] = kw[name];
        else f[slot] = dflt ? dflt(c, f) : undefined;
      }
      return this.body(c, f);
    });
  }
}

export function invoke(
  callee: unknown,
  c: Ctx,
  args: readonly unknown[],
  kw: Kwargs | null,
  what: string,
): unknown {
  if (callee instanceof Macro) return callee.call(c, args, kw);
  if (callee instanceof Builtin) return callee.call(args, kw);
  if (callee === undefined) return fail(`'${what}' is undefined`);
  return fail(`'${typeName(callee)}' object is not callable`);
}
