/**
 * The Anthropic transport (`provider_type: anthropic`): chat over Anthropic's
 * Messages API, for llm-text, llm-code, llm-judge and llm-structured columns. It
 * has no embeddings (config validation refuses an embedding column on it).
 *
 * As Data Designer's AnthropicClient: `POST {endpoint}/messages` when the endpoint
 * ends in `/v1`, else `POST {endpoint}/v1/messages`; headers `x-api-key` and
 * `anthropic-version: 2023-06-01`; system messages joined into `system`; max_tokens
 * 4096 when the model sets none; the answer's text blocks joined, its thinking
 * blocks as the reasoning. In a browser the request also carries
 * `anthropic-dangerous-direct-browser-access: true`, which Anthropic requires of
 * requests made from a web page. Its `anthropic-ratelimit-*` headers pace the
 * limiter as OpenAI's do (rate-headers.ts). Failures map as the OpenAI transport's do
 * (http-errors.ts): 429 with its retry-after to the caller, 5xx (and 529,
 * overloaded) and network errors retried here, 4xx rejected. The key goes into
 * `x-api-key` and nowhere else.
 */
import { badResponse, type RequestSummary } from './http-errors.ts';
import { checkEndpoint, field, usageOf } from './answer-fields.ts';
import { httpClient, type HttpTransportOptions } from './http-client.ts';
import type { ChatRequest, ChatResponse, ModelTransport } from './types.ts';

/** The API version every request names. */
export const ANTHROPIC_VERSION = '2023-06-01';
/** max_tokens when the model sets none (the Messages API requires one), as Data Designer. */
const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export interface AnthropicTransportOptions extends HttpTransportOptions {
  /** `endpoint`, e.g. `https://api.anthropic.com` or `https://api.anthropic.com/v1`. Required. */
  endpoint: string;
  /** Sent as `x-api-key`. Default: none. */
  apiKey?: string;
  /**
   * Send `anthropic-dangerous-direct-browser-access: true`. Default: whether this
   * runs in a browser page or worker.
   */
  directBrowserAccess?: boolean;
}

export function createAnthropicTransport(options: AnthropicTransportOptions): ModelTransport {
  const url = messagesUrl(options.endpoint);
  const client = httpClient(options, 'Anthropic');
  const { secret } = client;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
    ...(secret ? { 'x-api-key': secret } : {}),
    ...((options.directBrowserAccess ?? inBrowser())
      ? { 'anthropic-dangerous-direct-browser-access': 'true' }
      : {}),
    ...options.extraHeaders,
  };

  return {
    async chat(request: ChatRequest): Promise<ChatResponse> {
      return client.post(
        {
          url,
          headers,
          body: messagesBody(request),
          model: request.model,
          timeoutMs: request.timeoutMs,
          signal: request.signal,
        },
        (json, text, req) => parseMessage(json, text, req, secret),
      );
    },
  };
}

/** The Messages API body of a chat request. */
function messagesBody(request: ChatRequest): Record<string, unknown> {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const body: Record<string, unknown> = {
    model: request.model,
    messages: request.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role, content: m.content })),
    max_tokens: request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
  };
  if (system.length > 0) body['system'] = system.join('\n\n');
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.top_p !== undefined) body['top_p'] = request.top_p;
  Object.assign(body, request.extra_body);
  return body;
}

/** The answer's text blocks (joined), thinking blocks (the reasoning) and usage. */
function parseMessage(
  json: unknown,
  text: string,
  req: RequestSummary,
  secret: string | undefined,
): Omit<ChatResponse, 'attempts'> {
  const content = field(json, 'content');
  if (!Array.isArray(content)) {
    throw badResponse('a message with a "content" array', text, req, secret);
  }
  const texts: string[] = [];
  const thinking: string[] = [];
  for (const block of content) {
    const kind = field(block, 'type');
    const t = field(block, kind === 'thinking' ? 'thinking' : 'text');
    if (typeof t !== 'string' || t === '') continue;
    if (kind === 'text') texts.push(t);
    else if (kind === 'thinking') thinking.push(t);
  }
  if (texts.length === 0) {
    const reason = field(json, 'stop_reason');
    const why = typeof reason === 'string' ? ` (stop_reason "${reason}")` : '';
    throw badResponse(`a message with a text block${why}`, text, req, secret);
  }
  return {
    text: texts.join('\n'),
    ...(thinking.length > 0 ? { reasoning: thinking.join('\n') } : {}),
    usage: usageOf(json, 'input_tokens', 'output_tokens'),
  };
}

/** `{endpoint}/messages` for an endpoint ending in `/v1`, else `{endpoint}/v1/messages`. */
function messagesUrl(endpoint: string): string {
  const base = checkEndpoint(endpoint, 'Anthropic', 'https://api.anthropic.com');
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

/** Whether this runs in a web page or a worker (where Anthropic needs the direct-access header). */
function inBrowser(): boolean {
  const scope = globalThis as Record<string, unknown>;
  return typeof scope['document'] === 'object' || typeof scope['importScripts'] === 'function';
}
