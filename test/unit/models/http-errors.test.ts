/**
 * Reading an endpoint's failure (SPEC 3.6): Retry-After in its forms, the endpoint's
 * own message in the body shapes servers use, and redaction of the API key.
 */
import { describe, expect, it } from 'vitest';
import { endpointMessage, parseRetryAfter, redact } from '../../../src/core/models/http-errors.ts';

const headers = (h: Record<string, string>) => ({
  get: (name: string) => h[name.toLowerCase()] ?? null,
});
const WALL = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('SPEC 3.5 Retry-After', () => {
  it('reads delta-seconds, including fractions', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '2' }), WALL)).toBe(2000);
    expect(parseRetryAfter(headers({ 'retry-after': '0.5' }), WALL)).toBe(500);
  });

  it('reads an HTTP date relative to the wall clock, never negative', () => {
    const later = new Date(WALL + 90_000).toUTCString();
    expect(parseRetryAfter(headers({ 'retry-after': later }), WALL)).toBe(90_000);
    const past = new Date(WALL - 5_000).toUTCString();
    expect(parseRetryAfter(headers({ 'retry-after': past }), WALL)).toBe(0);
  });

  it("prefers OpenAI's retry-after-ms", () => {
    const h = headers({ 'retry-after-ms': '250', 'retry-after': '1' });
    expect(parseRetryAfter(h, WALL)).toBe(250);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(headers({}), WALL)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), WALL)).toBeUndefined();
  });
});

describe("SPEC 3.6 the endpoint's message", () => {
  it.each([
    ['{"error":{"message":"bad model"}}', 'bad model'],
    ['{"error":"bad model"}', 'bad model'],
    ['{"detail":"bad model"}', 'bad model'],
    ['{"message":"bad model"}', 'bad model'],
    [
      '{"detail":[{"loc":["body","model"],"msg":"required"}]}',
      '[{"loc":["body","model"],"msg":"required"}]',
    ],
    ['upstream connect error', 'upstream connect error'],
    ['', '(empty body)'],
  ])('%s → %s', (body, expected) => {
    expect(endpointMessage(body)).toBe(expected);
  });

  it('cuts a long body', () => {
    expect(endpointMessage('x'.repeat(5000)).length).toBeLessThan(600);
  });
});

describe('SPEC 1 API keys are secrets', () => {
  it('redacts every occurrence of the key and nothing else', () => {
    expect(redact('key sk-1 and sk-1 again', 'sk-1')).toBe('key [redacted] and [redacted] again');
    expect(redact('no key here', undefined)).toBe('no key here');
  });
});
