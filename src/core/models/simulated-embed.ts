/**
 * The simulated provider's embeddings: deterministic unit-norm vectors by feature
 * hashing. Each word (and, more weakly, each character trigram) of the text adds a
 * signed unit to a few coordinates chosen by its hash with the model's name, so the
 * same text always gets the same vector, and texts sharing words point in similar
 * directions (cosine similarity means something in a demo). The cell seed plays no
 * part: a real embedding model gives one text one vector.
 */
import { hashString, mix32 } from '../random/seed.ts';

/** Coordinates each feature touches. */
const SPREAD = 4;
/** Weight of a trigram relative to a word. */
const TRIGRAM_WEIGHT = 0.25;

/** The vector of `text` under `model`, of length `dim`, with Euclidean norm 1. */
export function simulatedEmbedding(model: string, text: string, dim: number): Float32Array {
  const acc = new Float64Array(dim);
  const modelHash = hashString(model);
  const add = (feature: string, weight: number) => {
    let h = mix32(hashString(feature) ^ modelHash);
    for (let j = 0; j < SPREAD; j++) {
      h = mix32(h + 0x9e3779b9);
      acc[h % dim]! += h & 0x80000000 ? -weight : weight;
    }
  };
  const lower = text.toLowerCase();
  for (const word of lower.match(/[\p{L}\p{N}]+/gu) ?? []) add(word, 1);
  for (let i = 0; i + 3 <= lower.length; i++) add(`#${lower.slice(i, i + 3)}`, TRIGRAM_WEIGHT);

  let sumSquares = 0;
  for (const x of acc) sumSquares += x * x;
  let norm = Math.sqrt(sumSquares);
  if (norm === 0) {
    // No features (empty text) or all cancelled: one coordinate fixed by the model.
    acc[modelHash % dim] = 1;
    norm = 1;
  }
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = acc[i]! / norm;
  return out;
}
