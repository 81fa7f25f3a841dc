/** Text the CLI prints: value cells, the preview table, the run summary. */
import type { RunResult } from '../core/engine/events.ts';
import { formatCost } from '../core/models/cost.ts';
import type { Row } from '../core/storage/types.ts';
import type { Shard } from './shard.ts';

/** One value as short text: JSON for objects, ISO for dates, a count for vectors. */
export function cellText(value: unknown, width: number): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = value.toISOString();
  else if (value instanceof Float32Array) text = `[${value.length} floats]`;
  else if (typeof value === 'object')
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  else text = String(value);
  text = text.replace(/\s+/g, ' ');
  return text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;
}

/** Rows as an aligned text table, each cell cut to `maxWidth` characters. */
export function formatTable(
  columns: readonly string[],
  rows: readonly Row[],
  maxWidth = 32,
): string {
  const cells = rows.map((r) => columns.map((c) => cellText(r[c], maxWidth)));
  const widths = columns.map((c, i) =>
    Math.max(Math.min(c.length, maxWidth), ...cells.map((row) => row[i]!.length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const header = line(columns.map((c) => cellText(c, maxWidth)));
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [header, rule, ...cells.map(line)].join('\n');
}

/** The one-line summary of a generate run; it ends `cost $X.XXXX` when models have prices. */
export function formatSummary(
  result: RunResult,
  out: string,
  extra: { cancelled?: boolean; shard?: Shard & { rows: number } } = {},
): string {
  const { shard } = extra;
  // A shard counts its own rows, and names the run they are a share of.
  const of = shard
    ? `${shard.rows} rows (shard ${shard.index}/${shard.count} of a ${result.rowsRequested}-row run)`
    : `${result.rowsRequested} rows`;
  const parts = [
    `${extra.cancelled ? 'cancelled: ' : ''}wrote ${result.rowsWritten} of ${of} to ${out}`,
    `${result.droppedRows} dropped`,
    `${(result.wallMs / 1000).toFixed(1)} s`,
    `${result.requests} requests`,
    `tokens ${result.tokensIn} in / ${result.tokensOut} out`,
  ];
  if (result.stoppedEarly) parts.push('stopped early (too many failures)');
  const errors = result.firstErrors
    .slice(0, 3)
    .map(
      (e) => `${e.kind}${e.column ? ` [${e.column}]` : ''} x${e.count}: ${firstLine(e.message)}`,
    );
  if (errors.length > 0) parts.push(`first errors: ${errors.join('; ')}`);
  // Last, so scripts find it at the end of the line.
  if (result.costUsd !== undefined) parts.push(`cost ${formatCost(result.costUsd)}`);
  return parts.join(', ');
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
