/**
 * The OpenAI-compatible transport (SPEC 1 models, 3.6 failures): chat completions
 * and embeddings over an injectable fetch, for OpenAI, NVIDIA, OpenRouter, vLLM,
 * Ollama, LM Studio, llama.cpp server and the like.
 *
 * Each attempt (http-post.ts) has its own timeout (an AbortController fed by a timer
 * and by the caller's signal). 5xx, 408 and network errors are retried with backoff
 * on the clock (http-client.ts, shared with the Anthropic transport) up to `maxHttpRetries` (the engine sets 0 and retries outside the model's slot,
 * SPEC 3.6); 429 goes straight back to the caller with its Retry-After. The API key
 * goes into the Authorization header and nowhere else: every message and detail an
 * error carries passes through `redact`.
 */
import { checkEndpoint, field, usageOf } from './answer-fields.ts';
import { badResponse, redact, type RequestSummary } from './http-errors.ts';
import { httpClient, type HttpTransportOptions } from './http-client.ts';
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelTransport,
  TokenUsage,
} from './types.ts';

export interface OpenAITransportOptions extends HttpTransportOptions {
  /** Base URL that `/chat/completions` and `/embeddings` are appended to, e.g. `https://api.openai.com/v1`. Required. */
  endpoint: string;
  /** Sent as `Authorization: Bearer <key>`; never put in a message or details. Default: none. */
  apiKey?: string;
}

interface Call {
  path: '/chat/completions' | '/embeddings';
  model: string;
  body: Record<string, unknown>;
  timeoutMs: number | undefined;
  signal: AbortSignal | undefined;
}

export function createOpenAITransport(options: OpenAITransportOptions): ModelTransport {
  const endpoint = checkEndpoint(options.endpoint, 'OpenAI', 'https://api.openai.com/v1');
  const client = httpClient(options, 'OpenAI');
  const { secret } = client;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...(secret ? { authorization: `Bearer ${secret}` } : {}),
    ...options.extraHeaders,
  };

  /** What errors name as the request (already redacted), per path. */
  const targets: Record<Call['path'], string> = {
    '/chat/completions': redact(`POST ${endpoint}/chat/completions`, secret),
    '/embeddings': redact(`POST ${endpoint}/embeddings`, secret),
  };

  function run<T extends object>(
    call: Call,
    parse: (json: unknown, text: string, req: RequestSummary) => T,
  ): Promise<T & { attempts: number }> {
    const { path, ...rest } = call;
    return client.post({ ...rest, url: endpoint + path, target: targets[path], headers }, parse);
  }

  return {
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const body: Record<string, unknown> = { model: request.model, messages: request.messages };
      if (request.temperature !== undefined) body['temperature'] = request.temperature;
      if (request.top_p !== undefined) body['top_p'] = request.top_p;
      if (request.max_tokens !== undefined) body['max_tokens'] = request.max_tokens;
      if (request.response_schema) {
        body['response_format'] = {
          type: 'json_schema',
          json_schema: { name: 'response', schema: request.response_schema },
        };
      }
      Object.assign(body, request.extra_body);
      return run(
        {
          path: '/chat/completions',
          model: request.model,
          body,
          timeoutMs: request.timeoutMs,
          signal: request.signal,
        },
        (json, text, req) => parseChat(json, text, req, secret),
      );
    },

    async embed(request: EmbeddingRequest): Promise<EmbeddingResponse> {
      return run(
        {
          path: '/embeddings',
          model: request.model,
          body: {
            model: request.model,
            input: request.input,
            encoding_format: 'float',
            ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
          },
          timeoutMs: request.timeoutMs,
          signal: request.signal,
        },
        (json, text, req) => parseEmbeddings(json, text, req, request.input.length, secret),
      );
    },
  };
}

function parseChat(
  json: unknown,
  text: string,
  req: RequestSummary,
  secret: string | undefined,
): Omit<ChatResponse, 'attempts'> {
  const choices = field(json, 'choices');
  if (!Array.isArray(choices) || choices.length === 0) {
    throw badResponse('a completion with a non-empty "choices" array', text, req, secret);
  }
  const message = field(choices[0], 'message');
  const content = field(message, 'content');
  if (typeof content !== 'string') {
    const reason = field(choices[0], 'finish_reason');
    const why = typeof reason === 'string' ? ` (finish_reason "${reason}")` : '';
    throw badResponse(`choices[0].message.content to be a string${why}`, text, req, secret);
  }
  const reasoning = field(message, 'reasoning_content') ?? field(message, 'reasoning');
  return {
    text: content,
    ...(typeof reasoning === 'string' ? { reasoning } : {}),
    usage: chatUsage(json),
  };
}

function parseEmbeddings(
  json: unknown,
  text: string,
  req: RequestSummary,
  expected: number,
  secret: string | undefined,
): Omit<EmbeddingResponse, 'attempts'> {
  const data = field(json, 'data');
  if (!Array.isArray(data) || data.length !== expected) {
    throw badResponse(`a "data" array of ${expected} embeddings`, text, req, secret);
  }
  const vectors: Float32Array[] = new Array<Float32Array>(expected);
  data.forEach((item: unknown, i) => {
    const index = field(item, 'index');
    const at = typeof index === 'number' ? index : i;
    const embedding = field(item, 'embedding');
    if (
      !Number.isInteger(at) ||
      at < 0 ||
      at >= expected ||
      vectors[at] !== undefined ||
      !Array.isArray(embedding) ||
      !embedding.every((x) => typeof x === 'number')
    ) {
      throw badResponse(`data[${i}] to be {index, embedding: number[]}`, text, req, secret);
    }
    vectors[at] = Float32Array.from(embedding as number[]);
  });
  return { vectors, usage: chatUsage(json) };
}

/** `usage.prompt_tokens` / `usage.completion_tokens`; 0 for what the endpoint left out. */
function chatUsage(json: unknown): TokenUsage {
  return usageOf(json, 'prompt_tokens', 'completion_tokens');
}
