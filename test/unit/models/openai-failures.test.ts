/**
 * The OpenAI-compatible transport's failures against a real HTTP server (SPEC 3.6):
 * how each maps to the catalogue, what is retried inside and how, cancellation, and
 * the API key kept out of every error. Backoff waits run on a FakeClock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelError, TabsynthError } from '../../../src/core/errors.ts';
import { ErrorCodes, toWire } from '../../../src/core/errors.ts';
import type { FetchLike } from '../../../src/core/models/fetch.ts';
import { createOpenAITransport } from '../../../src/core/models/openai.ts';
import { chatCompletion } from '../../support/openai-server.ts';
import {
  API_KEY,
  chatRequest,
  closeServer,
  closeServers,
  failure,
  recordingClock,
  settle,
  setup,
} from './openai-harness.ts';

afterEach(closeServers);

describe('SPEC 3.6 failures: 429 goes back to the limiter, never retried inside', () => {
  it('429 with Retry-After in seconds: MODEL_RATE_LIMITED with retryAfterMs, one request', async () => {
    const { server, transport, waits } = await setup({
      script: [
        { status: 429, headers: { 'Retry-After': '7' }, body: { error: { message: 'slow down' } } },
      ],
    });
    const err = await failure(transport.chat(chatRequest()));
    expect(err.code).toBe(ErrorCodes.MODEL_RATE_LIMITED);
    expect((err as ModelError).retryAfterMs).toBe(7 * 1000);
    expect((err as ModelError).status).toBe(429);
    expect(err.message).toContain('slow down');
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('429 with Retry-After as an HTTP date: retryAfterMs counts from the wall clock', async () => {
    const wall = Date.UTC(2025, 0, 2, 3, 4, 5);
    const { transport } = await setup(
      {
        script: [
          { status: 429, headers: { 'Retry-After': new Date(wall + 30_000).toUTCString() } },
        ],
      },
      { wallNow: () => wall },
    );
    const err = (await failure(transport.chat(chatRequest()))) as ModelError;
    expect(err.code).toBe(ErrorCodes.MODEL_RATE_LIMITED);
    expect(err.retryAfterMs).toBe(30_000);
  });

  it('429 without Retry-After: MODEL_RATE_LIMITED with no retryAfterMs', async () => {
    const { server, transport } = await setup({ script: [{ status: 429 }] });
    const err = (await failure(transport.chat(chatRequest()))) as ModelError;
    expect(err.code).toBe(ErrorCodes.MODEL_RATE_LIMITED);
    expect(err.retryAfterMs).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });
});

describe('SPEC 3.6 failures: 5xx, 408 and network errors retried inside with backoff', () => {
  it('500 then 503 then success: three attempts, waits doubling from the base with jitter', async () => {
    const { server, transport, fake, waits } = await setup({
      script: [{ status: 500 }, { status: 503 }, { status: 200, body: chatCompletion('ok') }],
    });
    const res = await settle(transport.chat(chatRequest()), fake);
    expect(res.text).toBe('ok');
    expect(res.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    // random() = 0.5 puts each wait at 3/4 of its step: step 1000 ms, then 2000 ms.
    expect(waits).toEqual([1000 * 0.75, 2000 * 0.75]);
  });

  it('408 is retried like a 5xx', async () => {
    const { transport, fake } = await setup({ script: [{ status: 408 }] });
    expect((await settle(transport.chat(chatRequest()), fake)).attempts).toBe(2);
  });

  it('gives up after maxHttpRetries with MODEL_SERVER and the attempt count', async () => {
    const { server, transport, fake, waits } = await setup(
      { handler: () => ({ status: 503, body: { error: { message: 'overloaded' } } }) },
      { maxHttpRetries: 2 },
    );
    const err = await failure(transport.chat(chatRequest()), fake);
    expect(err.code).toBe(ErrorCodes.MODEL_SERVER);
    expect(err.retryable).toBe(true);
    expect(err.details['attempts']).toBe(3);
    expect(err.message).toContain('overloaded');
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('a Retry-After on a 503 replaces the backoff', async () => {
    const { transport, fake, waits } = await setup({
      script: [{ status: 503, headers: { 'Retry-After': '4' } }],
    });
    await settle(transport.chat(chatRequest()), fake);
    expect(waits).toEqual([4000]);
  });

  it('a reset connection is retried and the next attempt succeeds', async () => {
    const { server, transport, fake } = await setup({ script: [{ reset: true }] });
    const res = await settle(transport.chat(chatRequest()), fake);
    expect(res.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('connections reset every time: MODEL_NETWORK after every retry', async () => {
    const { server, transport, fake } = await setup({ handler: () => ({ reset: true }) });
    const err = await failure(transport.chat(chatRequest()), fake);
    expect(err.code).toBe(ErrorCodes.MODEL_NETWORK);
    expect(server.requests).toHaveLength(4);
  });

  it('a refused connection is MODEL_NETWORK', async () => {
    const { server: s, transport, fake } = await setup({}, { maxHttpRetries: 0 });
    await closeServer(s);
    const err = await failure(transport.chat(chatRequest()), fake);
    expect(err.code).toBe(ErrorCodes.MODEL_NETWORK);
    expect(err.message).toContain('/v1/chat/completions');
  });
});

describe('SPEC 3.6 failures: non-retryable answers', () => {
  it('400 is MODEL_REQUEST_REJECTED with the endpoint message, not retried', async () => {
    const { server, transport } = await setup({
      script: [{ status: 400, body: { error: { message: "'max_tokens' must be at most 4096" } } }],
    });
    const err = await failure(transport.chat(chatRequest()));
    expect(err.code).toBe(ErrorCodes.MODEL_REQUEST_REJECTED);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("'max_tokens' must be at most 4096");
    expect(err.message).toContain('test-model');
    expect(server.requests).toHaveLength(1);
  });

  it('a FastAPI-style {detail} body is the message of a 422', async () => {
    const { transport } = await setup({
      script: [{ status: 422, body: { detail: 'model not loaded' } }],
    });
    const err = await failure(transport.chat(chatRequest()));
    expect(err.code).toBe(ErrorCodes.MODEL_REQUEST_REJECTED);
    expect(err.message).toContain('model not loaded');
  });

  it('an unparseable 200 body is MODEL_BAD_RESPONSE, not retried', async () => {
    const { server, transport } = await setup({
      script: [{ status: 200, body: '<html>gateway</html>' }],
    });
    const err = await failure(transport.chat(chatRequest()));
    expect(err.code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
    expect(err.message).toContain('<html>gateway</html>');
    expect(server.requests).toHaveLength(1);
  });

  it('a completion without choices is MODEL_BAD_RESPONSE', async () => {
    const { transport } = await setup({ script: [{ status: 200, body: { choices: [] } }] });
    expect((await failure(transport.chat(chatRequest()))).code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
  });
});

describe('SPEC 3.6 failures: timeouts and cancellation', () => {
  it('a timeout longer than a timer holds (3e9 ms) waits for the answer instead of firing at once', async () => {
    const body = JSON.stringify(chatCompletion('Oolong'));
    // The answer comes on a 5 ms timer: one due after an overflowed (1 ms) timeout.
    const fetch: FetchLike = () =>
      new Promise((resolve) =>
        setTimeout(
          () =>
            resolve({
              ok: true,
              status: 200,
              statusText: 'OK',
              headers: { get: () => null },
              text: () => Promise.resolve(body),
            }),
          5,
        ),
      );
    const transport = createOpenAITransport({
      endpoint: 'http://127.0.0.1:9/v1',
      apiKey: API_KEY,
      clock: recordingClock().clock,
      random: () => 0.5,
      fetch,
    });
    const answer = await transport.chat(chatRequest({ timeoutMs: 3e9 }));
    expect(answer.text).toBe('Oolong');
  });

  it('a held response past timeoutMs is MODEL_TIMEOUT, not retried inside', async () => {
    const { server, transport } = await setup({ handler: () => ({ hang: true }) });
    const err = await failure(transport.chat(chatRequest({ timeoutMs: 50 })));
    expect(err.code).toBe(ErrorCodes.MODEL_TIMEOUT);
    expect(server.requests).toHaveLength(1);
  });

  it('aborting while the server holds the request rejects with RUN_CANCELLED', async () => {
    const { server, transport } = await setup({ handler: () => ({ hang: true }) });
    const controller = new AbortController();
    const pending = transport.chat(chatRequest({ signal: controller.signal }));
    await server.received(1);
    controller.abort();
    expect((await failure(pending)).code).toBe(ErrorCodes.RUN_CANCELLED);
  });

  it('aborting during a backoff wait rejects with RUN_CANCELLED and sends nothing more', async () => {
    const { server, transport, fake } = await setup({ script: [{ status: 500 }] });
    const controller = new AbortController();
    const pending = transport.chat(chatRequest({ signal: controller.signal }));
    pending.catch(() => {});
    while (fake.pending === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await failure(pending)).code).toBe(ErrorCodes.RUN_CANCELLED);
    expect(server.requests).toHaveLength(1);
  });

  it('an already aborted signal sends no request', async () => {
    const { server, transport } = await setup({});
    const err = await failure(transport.chat(chatRequest({ signal: AbortSignal.abort() })));
    expect(err.code).toBe(ErrorCodes.RUN_CANCELLED);
    expect(server.requests).toHaveLength(0);
  });
});

describe('SPEC 1 models: the API key is a secret', () => {
  /** Everything about an error that could be shown, logged or exported. */
  function everything(err: TabsynthError): string {
    return [
      err.message,
      String(err.stack),
      JSON.stringify(err.details),
      JSON.stringify(toWire(err)),
    ].join('\n');
  }

  it('never appears in an error, even when the endpoint echoes it back', async () => {
    const echo = { error: { message: `Incorrect API key provided: ${API_KEY}` } };
    const { transport, fake } = await setup({
      script: [
        { status: 401, body: echo },
        { status: 429, body: echo },
        { status: 200, body: `not json ${API_KEY}` },
      ],
      handler: () => ({ status: 500, body: echo }),
    });
    const errors = [
      await failure(transport.chat(chatRequest())),
      await failure(transport.chat(chatRequest())),
      await failure(transport.chat(chatRequest())),
      await failure(transport.chat(chatRequest()), fake),
    ];
    expect(errors.map((e) => e.code)).toEqual([
      ErrorCodes.MODEL_REQUEST_REJECTED,
      ErrorCodes.MODEL_RATE_LIMITED,
      ErrorCodes.MODEL_BAD_RESPONSE,
      ErrorCodes.MODEL_SERVER,
    ]);
    for (const err of errors) expect(everything(err)).not.toContain(API_KEY);
    expect(errors[0]!.message).toContain('Incorrect API key provided: [redacted]');
  });

  it('never appears in a timeout or network error', async () => {
    const { transport, fake } = await setup({
      script: [{ hang: true }],
      handler: () => ({ reset: true }),
    });
    const timeout = await failure(transport.chat(chatRequest({ timeoutMs: 50 })));
    const network = await failure(transport.chat(chatRequest()), fake);
    expect([timeout.code, network.code]).toEqual([
      ErrorCodes.MODEL_TIMEOUT,
      ErrorCodes.MODEL_NETWORK,
    ]);
    for (const err of [timeout, network]) expect(everything(err)).not.toContain(API_KEY);
  });
});
