/**
 * The filters, tests and functions a template may use are fixed, so a name that
 * is none of them is refused when the template is compiled (TEMPLATE_SYNTAX, with
 * a did-you-mean: see syntax-messages.ts), not when a row reaches it.
 */
import type { Expression } from './ast.ts';
import { FILTERS } from './filters.ts';
import { TESTS } from './tests.ts';

/** A construct this renderer does not support (reported as TEMPLATE_SYNTAX). */
export class UnsupportedError extends Error {}

/** A filter, test or function that does not exist (reported as TEMPLATE_SYNTAX, with the names that do). */
export class UnknownNameError extends UnsupportedError {
  constructor(
    readonly kind: 'filter' | 'test' | 'function',
    readonly unknown: string,
    readonly known: readonly string[],
  ) {
    super(`unknown ${kind} "${unknown}"`);
  }
}

/** Filters whose argument names a filter or a test: which kind, and which positional argument. */
const NAMED_ARGUMENT: Readonly<Record<string, readonly ['filter' | 'test', number]>> = {
  map: ['filter', 0],
  select: ['test', 0],
  reject: ['test', 0],
  selectattr: ['test', 1],
  rejectattr: ['test', 1],
};

/** `map('upper')`, `select('odd')`, `selectattr('a', 'odd')`: a name given as a constant must exist. */
export function checkNamedArgument(filter: string, args: Expression[]): void {
  const named = NAMED_ARGUMENT[filter];
  if (named === undefined) return;
  const [kind, index] = named;
  const arg = args.filter((a) => a.type !== 'KeywordArgumentExpression')[index];
  if (arg?.type !== 'StringLiteral') return;
  const known = kind === 'filter' ? FILTERS : TESTS;
  if (!Object.hasOwn(known, arg.value))
    throw new UnknownNameError(kind, arg.value, Object.keys(known));
}
