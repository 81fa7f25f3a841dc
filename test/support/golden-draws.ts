/** A cell's seed and first draws, fixed once: Node and Chromium must both produce them. */
export const GOLDEN_CELL = {
  runSeed: 42,
  column: 'age',
  row: 1_000_003,
  seed: 895284932,
  draws: [1143149253, 75028697, 1880459193],
};
