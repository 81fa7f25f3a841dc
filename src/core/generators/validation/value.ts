/**
 * Validators that judge one value at a time (code, regex, json_schema). Each is
 * made ready once (grammar loading, schema compiling) and then checks values
 * synchronously.
 */
import type { ValidationIssue, ValidationOutput } from './types.ts';

/** Checks one target value. */
export type ValueCheck = (value: unknown) => ValidationOutput;

export interface ValueValidator {
  /** The check, once whatever it needs is loaded; the same promise every call. */
  ready(): Promise<ValueCheck>;
}

/** The output for a value with these problems: valid when there are none. */
export function outputOf(errors: ValidationIssue[]): ValidationOutput {
  return { is_valid: errors.length === 0, errors };
}

/** An invalid output with one problem that has no place in the text. */
export function unplaced(message: string): ValidationOutput {
  return { is_valid: false, errors: [{ line: null, column: null, message }] };
}

/** How a value that is not what a validator reads is described: `a number (3)`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'no value (null)';
  if (Array.isArray(value)) return 'a list';
  const shown = JSON.stringify(value);
  const short = shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
  return `a ${typeof value} (${short})`;
}

/** Runs `make` once, on first call, and keeps its promise. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}
