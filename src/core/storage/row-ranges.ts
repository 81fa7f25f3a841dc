/**
 * A row group's surviving row indices, stored compactly as sorted [first, last]
 * runs (last inclusive): a full group is one pair. Both stores write them this way.
 */
export function toRanges(indices: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const i of indices) {
    const last = ranges.at(-1);
    if (last && i === last[1] + 1) last[1] = i;
    else ranges.push([i, i]);
  }
  return ranges;
}

export function fromRanges(ranges: readonly [number, number][]): number[] {
  const out: number[] = [];
  for (const [a, b] of ranges) for (let i = a; i <= b; i++) out.push(i);
  return out;
}
