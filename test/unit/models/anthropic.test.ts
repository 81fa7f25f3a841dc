/**
 * The Anthropic transport (`provider_type: anthropic`) against the loopback
 * server's Messages endpoint: the request as Anthropic expects it, the answer's
 * text, reasoning and usage, and failures mapped as the OpenAI transport's are.
 * Backoff waits run on a FakeClock; the key never leaves `x-api-key`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, toWire, type ModelError } from '../../../src/core/errors.ts';
import {
  ANTHROPIC_VERSION,
  createAnthropicTransport,
  type AnthropicTransportOptions,
} from '../../../src/core/models/anthropic.ts';
import {
  anthropicError,
  anthropicMessage,
  startOpenAIServer,
  type OpenAIServer,
  type OpenAIServerOptions,
} from '../../support/openai-server.ts';
import { API_KEY, chatRequest, failure, recordingClock, settle } from './openai-harness.ts';

const open: OpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function setup(
  serverOptions: OpenAIServerOptions = {},
  options: Partial<AnthropicTransportOptions> = {},
) {
  const server = await startOpenAIServer(serverOptions);
  open.push(server);
  const { clock, fake, waits } = recordingClock();
  const transport = createAnthropicTransport({
    endpoint: server.url,
    apiKey: API_KEY,
    clock,
    random: () => 0.5,
    ...options,
  });
  return { server, transport, fake, waits };
}

describe('Anthropic Messages API: the request', () => {
  it('POSTs {endpoint}/messages with x-api-key and anthropic-version, the system prompt in `system`', async () => {
    const { server, transport } = await setup();
    const answer = await transport.chat(
      chatRequest({ temperature: 0.7, top_p: 0.9, max_tokens: 64, extra_body: { top_k: 5 } }),
    );
    expect(answer.text).toBe('echo: Name a tea.');
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v1/messages');
    expect(req?.headers['x-api-key']).toBe(API_KEY);
    expect(req?.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(req?.headers['authorization']).toBeUndefined();
    expect(req?.headers['anthropic-dangerous-direct-browser-access']).toBeUndefined();
    expect(req?.body).toEqual({
      model: 'test-model',
      system: 'You write product names.',
      messages: [{ role: 'user', content: 'Name a tea.' }],
      max_tokens: 64,
      temperature: 0.7,
      top_p: 0.9,
      top_k: 5,
    });
  });

  it('an endpoint without /v1 gets /v1/messages, as Data Designer builds it', async () => {
    const server = await startOpenAIServer();
    open.push(server);
    const transport = createAnthropicTransport({ endpoint: server.url.replace(/\/v1$/, '/') });
    await transport.chat(chatRequest());
    expect(server.requests[0]?.path).toBe('/v1/messages');
  });

  it('max_tokens defaults to 4096 (the API requires one); several system messages join', async () => {
    const { server, transport } = await setup();
    await transport.chat(
      chatRequest({
        messages: [
          { role: 'system', content: 'One.' },
          { role: 'system', content: 'Two.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello' },
          { role: 'user', content: 'Again' },
        ],
      }),
    );
    expect(server.requests[0]?.body).toMatchObject({
      system: 'One.\n\nTwo.',
      max_tokens: 4096,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'Again' },
      ],
    });
  });

  it('in a browser it sends the header Anthropic requires for direct browser access', async () => {
    const { server, transport } = await setup({}, { directBrowserAccess: true });
    await transport.chat(chatRequest());
    expect(server.requests[0]?.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
  });

  it('has no embeddings', async () => {
    const { transport } = await setup();
    expect(transport.embed).toBeUndefined();
  });
});

describe('Anthropic Messages API: the answer', () => {
  it('text blocks joined, thinking as the reasoning, usage from input_tokens/output_tokens', async () => {
    const body = anthropicMessage(
      'A green tea.',
      { input_tokens: 31, output_tokens: 7 },
      {
        thinking: 'Teas are green or black.',
      },
    );
    const { transport } = await setup({ script: [{ status: 200, body }] });
    const answer = await transport.chat(chatRequest());
    expect(answer).toEqual({
      text: 'A green tea.',
      reasoning: 'Teas are green or black.',
      usage: { promptTokens: 31, completionTokens: 7 },
      attempts: 1,
    });
  });

  it('a message with no text block is MODEL_BAD_RESPONSE naming the stop reason', async () => {
    const body = { ...anthropicMessage('x'), content: [], stop_reason: 'max_tokens' };
    const { transport } = await setup({ script: [{ status: 200, body }] });
    const err = await failure(transport.chat(chatRequest()));
    expect(err.code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
    expect(err.message).toContain('stop_reason "max_tokens"');
  });
});

describe('Anthropic Messages API: failures map as the OpenAI transport maps them', () => {
  it('429 with retry-after: MODEL_RATE_LIMITED with retryAfterMs, not retried inside', async () => {
    const { server, transport, waits } = await setup({
      script: [
        {
          status: 429,
          headers: { 'retry-after': '3' },
          body: anthropicError(
            'rate_limit_error',
            'Number of requests has exceeded your rate limit',
          ),
        },
      ],
    });
    const err = (await failure(transport.chat(chatRequest()))) as ModelError;
    expect(err.code).toBe(ErrorCodes.MODEL_RATE_LIMITED);
    expect(err.retryAfterMs).toBe(3000);
    expect(err.message).toContain('exceeded your rate limit');
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('5xx and 529 (overloaded) are retried inside with backoff, then succeed', async () => {
    const { server, transport, fake, waits } = await setup({
      script: [
        { status: 529, body: anthropicError('overloaded_error', 'Overloaded') },
        { status: 500, body: anthropicError('api_error', 'Internal') },
      ],
    });
    const answer = await settle(transport.chat(chatRequest()), fake);
    expect(answer.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('5xx past the retries: MODEL_SERVER with the endpoint message', async () => {
    const overloaded = { status: 529, body: anthropicError('overloaded_error', 'Overloaded') };
    const { transport, fake } = await setup(
      { script: [overloaded, overloaded] },
      { maxHttpRetries: 1 },
    );
    const err = await failure(transport.chat(chatRequest()), fake);
    expect(err.code).toBe(ErrorCodes.MODEL_SERVER);
    expect(err.message).toContain('answered 529');
    expect(err.message).toContain('Overloaded');
  });

  it.each([
    [401, 'authentication_error', 'invalid x-api-key'],
    [403, 'permission_error', 'not allowed'],
    [400, 'invalid_request_error', 'max_tokens: field required'],
  ])(
    '%i: MODEL_REQUEST_REJECTED with what the endpoint said, one request',
    async (status, type, said) => {
      const { server, transport } = await setup({
        script: [{ status, body: anthropicError(type, said) }],
      });
      const err = await failure(transport.chat(chatRequest()));
      expect(err.code).toBe(ErrorCodes.MODEL_REQUEST_REJECTED);
      expect(err.message).toContain(`answered ${status}`);
      expect(err.message).toContain(said);
      expect(server.requests).toHaveLength(1);
    },
  );

  it('the key never reaches an error, even when the endpoint echoes it', async () => {
    const { transport } = await setup({
      script: [{ status: 401, body: anthropicError('authentication_error', `bad key ${API_KEY}`) }],
    });
    const err = await failure(transport.chat(chatRequest()));
    expect(JSON.stringify(toWire(err))).not.toContain(API_KEY);
    expect(err.message).toContain('[redacted]');
  });
});
