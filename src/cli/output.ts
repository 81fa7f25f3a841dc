/** Where CLI commands write, and the error for a bad command line. */

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
