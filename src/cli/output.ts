/** Where CLI commands write, the error for a bad command line, and how an error is shown. */
import { TabsynthError } from '../core/errors.ts';

/** Where a command writes: lines to stdout and stderr. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => writeLine(process.stdout, text),
  err: (text) => writeLine(process.stderr, text),
};

/** Streams whose reader went away (`tabsynth preview ... | head`), and those watched for it. */
const readerGone = new WeakSet<NodeJS.WriteStream>();
const watched = new WeakSet<NodeJS.WriteStream>();

/**
 * Writes a line to `stream`; once its reader has gone (EPIPE), drops what is left
 * instead of crashing on an unhandled 'error' event: a run goes on, its output kept.
 */
function writeLine(stream: NodeJS.WriteStream, text: string): void {
  if (readerGone.has(stream)) return;
  if (!watched.has(stream)) {
    watched.add(stream);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      readerGone.add(stream);
    });
  }
  stream.write(`${text}\n`);
}

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
