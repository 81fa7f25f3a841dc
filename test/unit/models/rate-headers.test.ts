import { describe, expect, it } from 'vitest';
import { parseDuration, readRateLimitHeaders } from '../../../src/core/models/rate-headers.ts';

const headers = (h: Record<string, string>) => ({ get: (k: string) => h[k] ?? null });

describe('3.5 rate-limit headers', () => {
  it("reads OpenAI's x-ratelimit headers for requests and tokens", () => {
    expect(
      readRateLimitHeaders(
        headers({
          'x-ratelimit-limit-requests': '1200',
          'x-ratelimit-remaining-requests': '1199',
          'x-ratelimit-reset-requests': '50ms',
          'x-ratelimit-limit-tokens': '150000',
          'x-ratelimit-remaining-tokens': '149000',
          'x-ratelimit-reset-tokens': '6m0s',
        }),
      ),
    ).toEqual({
      requests: { limit: 1200, remaining: 1199, resetMs: 50 },
      tokens: { limit: 150000, remaining: 149000, resetMs: 360_000 },
    });
  });

  it('gives nothing when the headers are absent or hidden (CORS), or unreadable', () => {
    expect(readRateLimitHeaders(headers({}))).toBeUndefined();
    expect(
      readRateLimitHeaders(
        headers({ 'x-ratelimit-limit-requests': 'many', 'x-ratelimit-remaining-requests': '3' }),
      ),
    ).toBeUndefined();
  });

  it('reads reset durations as OpenAI writes them, or bare seconds', () => {
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('1m30.5s')).toBe(90_500);
    expect(parseDuration('1h2m')).toBe(3_720_000);
    expect(parseDuration('120ms')).toBe(120);
    expect(parseDuration('2.5')).toBe(2500);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration(null)).toBeUndefined();
  });
});
