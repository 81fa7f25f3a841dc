/** Where CLI commands write, the error for a bad command line, and how an error is shown. */
import { TabsynthError } from '../core/errors.ts';

/** Where a command writes: lines to stdout and stderr. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** A bad command line (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `err` as a command reports it: a catalogued error by its code, anything else with its stack. */
export function errorLine(err: unknown): string {
  return err instanceof TabsynthError
    ? `error [${err.code}]: ${err.message}`
    : `error: ${String((err as Error)?.stack ?? err)}`;
}
