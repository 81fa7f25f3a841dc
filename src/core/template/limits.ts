/**
 * The sandbox's bounds (SPEC 1: bounded size and output). Every one is enforced
 * while rendering, so a hostile template ends quickly with TEMPLATE_LIMIT instead
 * of running away with the CPU or the heap.
 */
import { ErrorCodes, TemplateError } from '../errors.ts';

/** Longest template source accepted, in characters. */
export const MAX_TEMPLATE_LENGTH = 100_000;
/** Longest rendered output accepted, in characters. */
export const MAX_TEMPLATE_OUTPUT = 1_000_000;
/** Most items `range()` may produce. */
export const MAX_RANGE_ITEMS = 10_000;
/** Most loop iterations (over all loops, nested or not) in one render. */
export const MAX_LOOP_ITERATIONS = 100_000;
/** Most characters and list items that string and list operations may build in one render. */
export const MAX_RENDER_WORK = 10_000_000;
/** Deepest syntax tree accepted (brackets, blocks, operator chains). */
export const MAX_NESTING_DEPTH = 200;
/** Deepest macro call chain (a macro calling itself counts each call). */
export const MAX_CALL_DEPTH = 64;

/** A TEMPLATE_LIMIT error; the renderer prefixes the template's `where`. */
export function limitError(what: string): TemplateError {
  return new TemplateError(ErrorCodes.TEMPLATE_LIMIT, what);
}

/** Bookkeeping for one render: budgets that count down. Module state, saved and restored around a render. */
export interface RenderBudget {
  /** Loop iterations left. */
  iterations: number;
  /** String characters and list items left to build. */
  work: number;
  /** Macro calls left on the current chain. */
  calls: number;
  /** The render's seed for the `random` filter. */
  seed: number;
  /** Draws made by `random` so far in this render. */
  draws: number;
}

export const budget: RenderBudget = {
  iterations: MAX_LOOP_ITERATIONS,
  work: MAX_RENDER_WORK,
  calls: MAX_CALL_DEPTH,
  seed: 0,
  draws: 0,
};

/** Charges `n` characters or items of work; throws when the render's budget is spent. */
export function chargeWork(n: number): void {
  if ((budget.work -= n) < 0) {
    throw limitError(
      `template built more than ${MAX_RENDER_WORK} characters or list items while rendering`,
    );
  }
}

/** Charges one loop iteration. */
export function chargeIteration(): void {
  if (--budget.iterations < 0) {
    throw limitError(`template ran more than ${MAX_LOOP_ITERATIONS} loop iterations in one render`);
  }
}

/** Throws when `length` characters of output is over the bound. */
export function checkOutput(length: number): void {
  if (length > MAX_TEMPLATE_OUTPUT) {
    throw limitError(`rendered ${length} characters; expected at most ${MAX_TEMPLATE_OUTPUT}`);
  }
}
