/** Printing for benchmarks: a readable table, then one JSON line with the figures. */

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  const first = rows[0];
  if (!first) return;
  const keys = Object.keys(first);
  const cell = (v: string | number | undefined) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : (v ?? '');
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padStart(widths[i]!)).join('  ');
  console.log(`\n${title}`);
  console.log(line(keys));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(keys.map((k) => cell(r[k]))));
  console.log('');
}

export function printFigures(figures: Record<string, number | string | boolean>): void {
  console.log(JSON.stringify(figures));
}

export function round(x: number, places = 3): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}
