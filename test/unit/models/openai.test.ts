/**
 * The OpenAI-compatible transport against a real HTTP server (node:http on
 * 127.0.0.1): what it sends and what it returns (SPEC 1 models).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { createOpenAITransport } from '../../../src/core/models/openai.ts';
import { chatCompletion, embeddingsBody } from '../../support/openai-server.ts';
import { API_KEY, chatRequest, closeServers, failure, setup } from './openai-harness.ts';

afterEach(closeServers);

describe('SPEC 1 models: OpenAI-compatible chat', () => {
  it('posts model, messages and inference parameters and returns the text with its token usage', async () => {
    const { server, transport } = await setup({
      script: [
        {
          status: 200,
          body: chatCompletion('Jasmine Dusk', { prompt_tokens: 21, completion_tokens: 4 }),
        },
      ],
    });
    const res = await transport.chat(chatRequest({ temperature: 0.7, top_p: 0.9, max_tokens: 64 }));
    expect(res).toEqual({
      text: 'Jasmine Dusk',
      usage: { promptTokens: 21, completionTokens: 4 },
      attempts: 1,
    });
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.body).toEqual({
      model: 'test-model',
      messages: chatRequest().messages,
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 64,
    });
  });

  it('merges extra_body into the request body and sends extra_headers and the bearer key', async () => {
    const { server, transport } = await setup(
      {},
      { extraHeaders: { 'X-Team': 'synth', 'OpenAI-Organization': 'org-1' } },
    );
    await transport.chat(
      chatRequest({
        extra_body: { repetition_penalty: 1.1, chat_template_kwargs: { thinking: false } },
      }),
    );
    const req = server.requests[0]!;
    expect(req.body).toMatchObject({
      repetition_penalty: 1.1,
      chat_template_kwargs: { thinking: false },
    });
    expect(req.headers['x-team']).toBe('synth');
    expect(req.headers['openai-organization']).toBe('org-1');
    expect(req.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('sends no Authorization header without an API key', async () => {
    const { server, transport } = await setup({}, { apiKey: undefined });
    await transport.chat(chatRequest());
    expect(server.requests[0]!.headers['authorization']).toBeUndefined();
  });

  it('asks for a json_schema response_format when a response schema is given', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    const { server, transport } = await setup({});
    await transport.chat(chatRequest({ response_schema: schema }));
    expect(server.requests[0]!.body?.['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema },
    });
  });

  it('passes reasoning_content through', async () => {
    const { transport } = await setup({
      script: [
        {
          status: 200,
          body: chatCompletion('42', undefined, { reasoning_content: 'six times seven' }),
        },
      ],
    });
    const res = await transport.chat(chatRequest());
    expect(res.text).toBe('42');
    expect(res.reasoning).toBe('six times seven');
  });

  it('reports zero tokens when the endpoint sends no usage', async () => {
    const body = chatCompletion('x');
    delete body['usage'];
    const { transport } = await setup({ script: [{ status: 200, body }] });
    expect((await transport.chat(chatRequest())).usage).toEqual({
      promptTokens: 0,
      completionTokens: 0,
    });
  });
});

describe('SPEC 1 embedding columns: OpenAI-compatible embeddings', () => {
  it('posts the inputs and returns Float32Array vectors in input order with usage', async () => {
    const { server, transport } = await setup({
      script: [
        {
          status: 200,
          body: embeddingsBody(
            [
              [0.5, 0.25],
              [1, -1],
            ],
            9,
          ),
        },
      ],
    });
    const res = await transport.embed!({ model: 'test-embedder', input: ['a', 'b'], seed: 0 });
    expect(server.requests[0]!.path).toBe('/v1/embeddings');
    expect(server.requests[0]!.body).toMatchObject({ model: 'test-embedder', input: ['a', 'b'] });
    expect(res.vectors.map((v) => v instanceof Float32Array)).toEqual([true, true]);
    expect(res.vectors.map((v) => Array.from(v))).toEqual([
      [0.5, 0.25],
      [1, -1],
    ]);
    expect(res.usage.promptTokens).toBe(9);
  });

  it('a data array of the wrong length is MODEL_BAD_RESPONSE', async () => {
    const { transport } = await setup({ script: [{ status: 200, body: embeddingsBody([[1]]) }] });
    const err = await failure(transport.embed!({ model: 'e', input: ['a', 'b'], seed: 0 }));
    expect(err.code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
  });
});

describe('OpenAI transport options', () => {
  it('refuses an endpoint that is not an http(s) URL, naming it', () => {
    expect(() => createOpenAITransport({ endpoint: 'api.openai.com/v1' })).toThrow(
      /api\.openai\.com\/v1/,
    );
  });

  it('refuses a negative maxHttpRetries', () => {
    expect(() => createOpenAITransport({ endpoint: 'http://x/v1', maxHttpRetries: -1 })).toThrow(
      /maxHttpRetries.*-1/,
    );
  });
});
