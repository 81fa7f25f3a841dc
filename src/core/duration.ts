/** How a duration reads to a person, in the app and in the command's progress lines alike. */

/** A duration to a tenth of a second ("0.4s", "2m 5.3s", "1h 2m"); '—' when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const tenths = Math.round(ms / 100);
  const s = tenths / 10;
  if (s < 60) return `${s.toFixed(1)}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${(s % 60).toFixed(1)}s`;
}
