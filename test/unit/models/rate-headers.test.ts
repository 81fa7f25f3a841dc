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

  it("reads Anthropic's anthropic-ratelimit headers: requests, tokens, input and output tokens", () => {
    const wallNow = Date.parse('2026-12-07T04:00:00Z');
    const at = (s: number) => new Date(wallNow + s * 1000).toISOString();
    const stems = { requests: 50, tokens: 90_000, 'input-tokens': 80_000, 'output-tokens': 10_000 };
    const h: Record<string, string> = {};
    for (const [stem, limit] of Object.entries(stems)) {
      h[`anthropic-ratelimit-${stem}-limit`] = String(limit);
      h[`anthropic-ratelimit-${stem}-remaining`] = String(limit - 10);
      h[`anthropic-ratelimit-${stem}-reset`] = at(stem === 'requests' ? 1.2 : 6);
    }
    expect(readRateLimitHeaders(headers(h), wallNow)).toEqual({
      requests: { limit: 50, remaining: 40, resetMs: 1200 },
      tokens: { limit: 90_000, remaining: 89_990, resetMs: 6000 },
      inputTokens: { limit: 80_000, remaining: 79_990, resetMs: 6000 },
      outputTokens: { limit: 10_000, remaining: 9990, resetMs: 6000 },
    });
    // A reset already past is 0; an unreadable one is left out.
    h['anthropic-ratelimit-requests-reset'] = at(-5);
    h['anthropic-ratelimit-tokens-reset'] = 'soon';
    const info = readRateLimitHeaders(headers(h), wallNow);
    expect(info?.requests?.resetMs).toBe(0);
    expect(info?.tokens?.resetMs).toBeUndefined();
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
