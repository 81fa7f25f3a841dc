import { describe, expect, it } from 'vitest';
import {
  costOf,
  estimateRequestTokens,
  estimateRun,
  formatCost,
} from '../../../src/core/models/cost.ts';

describe('3.10 cost', () => {
  it('prices are per million prompt and answer tokens; no prices, no cost', () => {
    const prices = { inputPerMillion: 0.15, outputPerMillion: 0.6 };
    expect(costOf({ tokensIn: 1_000_000, tokensOut: 500_000 }, prices)).toBeCloseTo(0.45);
    expect(costOf({ tokensIn: 10, tokensOut: 10 }, null)).toBeUndefined();
    expect(formatCost(0.45)).toBe('$0.4500');
  });

  it('a request reserves its prompt at four characters a token and max_tokens', () => {
    const prompt = [{ content: 'x'.repeat(48) }];
    expect(estimateRequestTokens(prompt, 100, 7)).toBe(16 + 100);
    expect(estimateRequestTokens(prompt, null, 7)).toBe(16 + 7);
  });

  it('the estimate before a run: tokens per row per model from the preview, times the rows', () => {
    const e = estimateRun(
      {
        a: { label: 'p/a', requests: 10, tokensIn: 1000, tokensOut: 500, costUsd: 0.01 },
        b: { label: 'p/b', requests: 10, tokensIn: 200, tokensOut: 100 },
      },
      10,
      1000,
    );
    expect(e.models['a']).toMatchObject({
      tokensInPerRow: 100,
      tokensOutPerRow: 50,
      tokensIn: 100_000,
      tokensOut: 50_000,
    });
    expect(e.models['a']!.costUsd).toBeCloseTo(1);
    expect(e.models['b']!.costUsd).toBeUndefined();
    expect(e.costUsd).toBeCloseTo(1);
  });
});
