/**
 * Jinja2's tests (`x is name`, `x is name(arg)`), by name.
 */
import { cmp, contains, eq, isFloat, isInt, isNum, isPlainObject, numOf } from './values.ts';

export type Test = (value: unknown, args: readonly unknown[]) => boolean;

const cmpTest =
  (op: string, pass: (c: number) => boolean): Test =>
  (v, a) =>
    pass(cmp(v, a[0], op));

/** Every test (`x is name`), by name. */
export const TESTS: Readonly<Record<string, Test>> = Object.assign(
  Object.create(null) as Record<string, Test>,
  {
    boolean: (v: unknown) => typeof v === 'boolean',
    defined: (v: unknown) => v !== undefined,
    divisibleby: (v: unknown, a: readonly unknown[]) => numOf(v) % numOf(a[0]) === 0,
    eq: (v: unknown, a: readonly unknown[]) => eq(v, a[0]),
    equalto: (v: unknown, a: readonly unknown[]) => eq(v, a[0]),
    even: (v: unknown) => isNum(v) && numOf(v) % 2 === 0,
    false: (v: unknown) => v === false,
    float: (v: unknown) => isFloat(v),
    ge: cmpTest('>=', (c) => c >= 0),
    gt: cmpTest('>', (c) => c > 0),
    in: (v: unknown, a: readonly unknown[]) => contains(a[0], v),
    integer: (v: unknown) => isInt(v),
    iterable: (v: unknown) =>
      typeof v === 'string' || Array.isArray(v) || isPlainObject(v) || v === undefined,
    le: cmpTest('<=', (c) => c <= 0),
    lower: (v: unknown) => typeof v === 'string' && v === v.toLowerCase(),
    lt: cmpTest('<', (c) => c < 0),
    mapping: (v: unknown) => isPlainObject(v),
    ne: (v: unknown, a: readonly unknown[]) => !eq(v, a[0]),
    none: (v: unknown) => v === null,
    number: (v: unknown) => isNum(v),
    odd: (v: unknown) => isNum(v) && Math.abs(numOf(v) % 2) === 1,
    sameas: (v: unknown, a: readonly unknown[]) => v === a[0],
    sequence: (v: unknown) => typeof v === 'string' || Array.isArray(v) || isPlainObject(v),
    string: (v: unknown) => typeof v === 'string',
    true: (v: unknown) => v === true,
    undefined: (v: unknown) => v === undefined,
    upper: (v: unknown) => typeof v === 'string' && v === v.toUpperCase(),
  },
);
