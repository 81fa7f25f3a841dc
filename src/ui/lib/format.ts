/** How the app writes durations, task names, retries, costs, sizes and errors. */
import type { PreviewRetry } from '../../runtime/engine-api.ts';
import {
  ROW_ID_COLUMN,
  SAMPLERS_GENERATOR,
  SEED_GENERATOR,
} from '../../core/config/generator-names.ts';

export { formatDuration } from '../../core/duration.ts';

/** The engine's internal generators by the names users know them by. */
const TASK_NAMES: Record<string, string> = {
  [SAMPLERS_GENERATOR]: 'samplers',
  [SEED_GENERATOR]: 'seed dataset',
  [ROW_ID_COLUMN]: 'row ids',
};

/** A generator's (task's) name as shown to users: the internal `__samplers` is "samplers". */
export function taskName(name: string): string {
  return TASK_NAMES[name] ?? name;
}

/** Rows per second: whole above 10, one decimal below ("0.4"). */
export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? Math.round(perSecond).toLocaleString() : perSecond.toFixed(1);
}

/** "Retrying after HTTP 503: attempt 2 of 12 failed (openai/gpt-4o)…": a preview waiting on a model. */
export function retryText(r: PreviewRetry): string {
  const of = r.attempts !== undefined ? ` of ${r.attempts}` : '';
  return `Retrying after ${r.cause}: attempt ${r.attempt}${of} failed (${r.model})…`;
}

/** US dollars: "$0.0123" below a dollar, "$12.35" above. */
export function formatUsd(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** A size in bytes: "512 B", "1.5 kB", "12.3 MB", "1.25 GB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** A thrown value's message (an Error's, else the value as text). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
