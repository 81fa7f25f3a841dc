/** Where CLI commands write, the error for a bad command line, and how an error is shown. */
import { TabsynthError } from '../core/errors.ts';

/** Where a command writes: lines to stdout and stderr. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Writes lines to `stream`; once its reader has gone (EPIPE: `tabsynth preview ... |
 * head`), drops what is left instead of crashing on an unhandled 'error' event: a run
 * goes on, its output kept. The listener is added at the first line, so merely loading
 * this module leaves the process's streams as they are.
 */
function lineWriter(stream: () => NodeJS.WriteStream): (text: string) => void {
  let watched = false;
  let readerGone = false;
  return (text) => {
    if (readerGone) return;
    const s = stream();
    if (!watched) {
      watched = true;
      s.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        readerGone = true;
      });
    }
    s.write(`${text}\n`);
  };
}

export const processOutput: Output = {
  out: lineWriter(() => process.stdout),
  err: lineWriter(() => process.stderr),
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
