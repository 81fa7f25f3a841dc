/**
 * Runs the headless command as a user does (`node bin/tabsynth.mjs ...`), or its
 * `main` in this process, and reads back what it wrote: one Parquet file, or a
 * directory of parts in row order.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { main } from '../../../src/cli/main.ts';
import type { Output } from '../../../src/cli/output.ts';

/** The command's launcher. */
export const BIN = resolve(__dirname, '../../../bin/tabsynth.mjs');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function tabsynth(...args: string[]): Promise<Ran> {
  return ran(process.execPath, [BIN, ...args]);
}

/** `main(argv)` in this process, what it printed captured (faster than a process of its own). */
export async function runMain(...argv: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, output);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/**
 * `tabsynth ...args` unable to write a file past `kib` KiB (POSIX shell's `ulimit -f`;
 * the write that crosses it fails with EFBIG): a disk that fills, for one process.
 */
export function tabsynthWithFileLimit(kib: number, ...args: string[]): Promise<Ran> {
  const script = 'ulimit -f "$1" && shift && exec "$@"';
  return ran('/bin/sh', ['-c', script, 'sh', String(kib), process.execPath, BIN, ...args]);
}

function ran(file: string, args: string[]): Promise<Ran> {
  return new Promise((done) => {
    execFile(file, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/**
 * Whether `line` is one of `generate`'s progress lines in a log (stderr not a
 * terminal): `progress: ...`, `progress [shard K/COUNT]: ...`, `progress done: ...`.
 */
export function isProgressLine(line: string): boolean {
  return /^progress( \[shard \d+\/\d+\])?( [a-z ]+)?: /.test(line);
}

/**
 * `generate`'s stderr without its progress lines: what is left are the warnings
 * and errors a test means to see.
 */
export function withoutProgress(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !isProgressLine(line))
    .join('\n');
}

/** The rows of one Parquet file. */
export async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  const b = await readFile(path);
  const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file, compressors });
}

/** The rows of every part-NNNNN.parquet in a run directory, in row-group order. */
export async function readRunDirectory(dir: string): Promise<Record<string, unknown>[]> {
  const parts = (await readdir(dir)).filter((n) => /^part-\d+\.parquet$/.test(n)).sort();
  const rows: Record<string, unknown>[] = [];
  for (const part of parts) rows.push(...(await readParquet(join(dir, part))));
  return rows;
}

/**
 * A value as plain JSON-like data, so in-memory rows and rows read back from
 * Parquet compare: bigint to number, Date to its ISO string, typed arrays to arrays.
 * With `parseJsonText`, strings holding a JSON object or array are parsed (the
 * export writes values without a fixed Arrow type, e.g. conflicting shapes, as JSON text).
 */
export function plain(value: unknown, parseJsonText = false): unknown {
  if (parseJsonText && typeof value === 'string' && /^[[{]/.test(value)) {
    try {
      return plain(JSON.parse(value), true);
    } catch {
      return value;
    }
  }
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map((v) => plain(v, parseJsonText));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, parseJsonText)]));
  }
  return value;
}
