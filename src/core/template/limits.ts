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

/**
 * The state of one render: budgets that count down, the `random` filter's draws
 * and a pending `{% break %}`/`{% continue %}`. Each render gets its own (see
 * `rendering`); nothing of it outlives the render or is shared with another.
 */
class RenderState {
  #iterations = MAX_LOOP_ITERATIONS;
  #work = MAX_RENDER_WORK;
  #calls = MAX_CALL_DEPTH;
  #draws = 0;
  #control: 0 | 1 | 2 = 0;
  constructor(
    /** The render's seed for the `random` filter. */
    readonly seed: number,
  ) {}

  /** Pending `{% break %}` (1) or `{% continue %}` (2), or 0; sequences stop early while set. */
  get control(): 0 | 1 | 2 {
    return this.#control;
  }
  /** Sets the pending `{% break %}` (1) or `{% continue %}` (2). */
  signal(control: 1 | 2): void {
    this.#control = control;
  }
  /** The pending control, cleared: the loop that owns it takes it. */
  takeControl(): 0 | 1 | 2 {
    const c = this.#control;
    this.#control = 0;
    return c;
  }

  /** The number of the next `random` draw (1, 2, ...). */
  nextDraw(): number {
    return ++this.#draws;
  }

  /** Charges `n` characters or items of work; throws when the budget is spent. */
  chargeWork(n: number): void {
    if ((this.#work -= n) < 0) {
      throw limitError(
        `template built more than ${MAX_RENDER_WORK} characters or list items while rendering`,
      );
    }
  }

  /** Charges one loop iteration. */
  chargeIteration(): void {
    if (--this.#iterations < 0) {
      throw limitError(
        `template ran more than ${MAX_LOOP_ITERATIONS} loop iterations in one render`,
      );
    }
  }

  /** Runs a macro call one level deeper on the call chain. */
  call<T>(body: () => T): T {
    if (--this.#calls < 0) throw limitError(`macro calls nested more than ${MAX_CALL_DEPTH} deep`);
    try {
      return body();
    } finally {
      this.#calls++;
    }
  }
}

/**
 * The state of the render running now. Rendering is synchronous, so at any moment
 * one render runs, on top of the renders that called it (a filter that renders
 * another template, say): `rendering` saves the caller's state, gives the new
 * render a fresh one, and restores the caller's, untouched, when it returns or throws.
 */
let current = new RenderState(0);

/** Runs `render(arg)` with a state of its own; the caller's state is restored afterwards. */
export function rendering<A, T>(seed: number, render: (arg: A) => T, arg: A): T {
  const caller = current;
  current = new RenderState(seed);
  try {
    return render(arg);
  } finally {
    current = caller;
  }
}

/** The running render's state. */
export function renderState(): RenderState {
  return current;
}

/** Charges `n` characters or items of work to the running render. */
export function chargeWork(n: number): void {
  current.chargeWork(n);
}

/** Charges one loop iteration to the running render. */
export function chargeIteration(): void {
  current.chargeIteration();
}

/** Throws when `length` characters of output is over the bound. */
export function checkOutput(length: number): void {
  if (length > MAX_TEMPLATE_OUTPUT) {
    throw limitError(`rendered ${length} characters; expected at most ${MAX_TEMPLATE_OUTPUT}`);
  }
}
