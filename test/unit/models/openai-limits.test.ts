import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { chatRequest, closeServers, failure, setup } from './openai-harness.ts';

afterEach(closeServers);

describe('3.5 rate-limit headers from a real server', () => {
  it('an answer carries the limits its headers state', async () => {
    const { transport } = await setup({ rateLimit: { requestsPerMinute: 1200 } });
    const r = await transport.chat(chatRequest());
    expect(r.rateLimits?.requests).toMatchObject({ limit: 1200, remaining: 19 });
  });

  it('past its budget the server answers 429 with retry-after-ms and its limits', async () => {
    const { transport } = await setup(
      { rateLimit: { requestsPerMinute: 60, burst: 1 } },
      { maxHttpRetries: 0 },
    );
    await transport.chat(chatRequest());
    const err = await failure(transport.chat(chatRequest()));
    expect(err.code).toBe(ErrorCodes.MODEL_RATE_LIMITED);
    expect(err.details['retryAfterMs']).toBeGreaterThan(0);
    expect(err.details['rateLimits']).toMatchObject({ requests: { limit: 60, remaining: 0 } });
  });

  it('a server hiding its headers gives none: the limiter falls back to budgets and AIMD', async () => {
    const { transport } = await setup({ rateLimit: { requestsPerMinute: 1200, headers: false } });
    const r = await transport.chat(chatRequest());
    expect(r.rateLimits).toBeUndefined();
  });
});

describe('the queueing loopback server', () => {
  it('works on N requests at once and queues the rest in order', async () => {
    const { transport, server } = await setup({ queueing: { concurrency: 1, serviceMs: 1 } });
    const answers = await Promise.all([1, 2, 3].map(() => transport.chat(chatRequest())));
    expect(answers.map((a) => a.text)).toEqual([
      'echo: Name a tea.',
      'echo: Name a tea.',
      'echo: Name a tea.',
    ]);
    expect(server.requests.length).toBe(3);
  });
});
