/**
 * Anthropic's rate-limit headers from the loopback server's Messages endpoint: read by
 * the same pacing as OpenAI's (3.5), its retry-after in seconds on a 429.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, type ModelError } from '../../../src/core/errors.ts';
import { createAnthropicTransport } from '../../../src/core/models/anthropic.ts';
import { RequestLimiter } from '../../../src/core/models/limiter.ts';
import { FakeClock } from '../../../src/core/clock.ts';
import {
  startOpenAIServer,
  type OpenAIServer,
  type RateLimitOptions,
} from '../../support/openai-server.ts';
import { chatRequest } from './openai-harness.ts';

const open: OpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function setup(rateLimit: RateLimitOptions) {
  const server = await startOpenAIServer({ rateLimit });
  open.push(server);
  const transport = createAnthropicTransport({ endpoint: server.url, maxHttpRetries: 0 });
  return { server, transport };
}

describe("3.5 Anthropic's rate-limit headers from a real server", () => {
  it('an answer carries the limits its anthropic-ratelimit headers state', async () => {
    const { transport, server } = await setup({ requestsPerMinute: 1200 });
    const r = await transport.chat(chatRequest());
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(r.rateLimits?.requests).toMatchObject({ limit: 1200, remaining: 19 });
    expect(r.rateLimits?.requests?.resetMs).toBeGreaterThanOrEqual(0);
  });

  it('past its budget the server answers 429 with retry-after in seconds and its limits', async () => {
    const { transport } = await setup({ requestsPerMinute: 60, burst: 1 });
    await transport.chat(chatRequest());
    const err = await transport.chat(chatRequest()).then(
      () => expect.unreachable('the second request should be refused'),
      (e: unknown) => e as ModelError,
    );
    expect(err.code).toBe(ErrorCodes.MODEL_RATE_LIMITED);
    expect(err.details['retryAfterMs']).toBe(1000);
    expect(err.details['rateLimits']).toMatchObject({ requests: { limit: 60, remaining: 0 } });
  });

  it('the limiter paces from them before any 429, as from OpenAI headers', async () => {
    const { transport } = await setup({ requestsPerMinute: 1200 });
    const clock = new FakeClock();
    const limiter = new RequestLimiter({ cap: 64, clock });
    const grant = await limiter.acquire();
    const answer = await transport.chat(chatRequest());
    limiter.release(grant, { kind: 'success', ...answer });
    expect(limiter.pacing).toBe('headers');
    // 1200 a minute, paced smoothly: a quarter second's burst (5) at once, then one every 50 ms.
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      void limiter.acquire().then((g) => {
        times.push(clock.now());
        limiter.release(g, { kind: 'success' });
      });
    }
    await clock.runAll();
    expect(times).toEqual([0, 0, 0, 0, ...Array.from({ length: 17 }, (_, i) => i * 50)]);
  });

  it('a server hiding its headers gives none: budgets and AIMD pace alone', async () => {
    const { transport } = await setup({ requestsPerMinute: 1200, headers: false });
    const r = await transport.chat(chatRequest());
    expect(r.rateLimits).toBeUndefined();
  });
});
