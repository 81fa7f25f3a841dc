/**
 * A small OpenAI-compatible HTTP server for tests: node:http on 127.0.0.1, port 0.
 * It also answers Anthropic's Messages API at `/v1/messages`.
 * Each test starts its own, scripts the answers it needs (statuses, headers, bodies,
 * held responses, reset connections), reads what the client sent from `requests`,
 * and closes it.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server received. */
export interface RecordedRequest {
  method: string;
  /** Path after the host, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-cased header names, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** The raw body text. */
  raw: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: Record<string, unknown> | undefined;
}

/** One scripted answer. */
export type Reply =
  /** An HTTP answer. `body` is sent as JSON unless it is a string or bytes (sent as they are). */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers: the request stays open until the client gives up or the server closes. */
  | { hang: true }
  /** Destroys the socket without answering: a connection reset. */
  | { reset: true };

export interface OpenAIServerOptions {
  /**
   * Answers for the first requests, in order (one each); later requests get `handler`'s
   * answer, else the default success. Default: none.
   */
  script?: Reply[];
  /** Computes an answer for a request past the script. Default: `defaultReply`. */
  handler?: (req: RecordedRequest) => Reply | Promise<Reply>;
  /** Real milliseconds to wait before each HTTP answer. Default 0. */
  latencyMs?: number;
  /** Answers 429 past a request budget, as OpenAI does. Default: no limit. */
  rateLimit?: RateLimitOptions;
  /**
   * Works on `concurrency` requests at once, `serviceMs` each, and queues the rest in
   * arrival order, never refusing (vLLM and most local servers). Default: none.
   */
  queueing?: { concurrency: number; serviceMs: number };
  /** How long an idle kept-alive connection stays open (Node's default: 5 s). */
  keepAliveTimeoutMs?: number;
  /**
   * Sends CORS headers (any origin, any header) on every answer and answers
   * preflights (OPTIONS) itself, without recording them, as vLLM and llama.cpp do.
   * Default: false, no CORS headers, as NVIDIA's hosted API and LM Studio by default.
   */
  cors?: boolean;
  /** Model ids listed at GET /v1/models (before `script` and `handler`). Default: none, no such route. */
  models?: string[];
}

export interface RateLimitOptions {
  requestsPerMinute: number;
  /** Requests the budget allows at once (the bucket's size). Default: one second's worth. */
  burst?: number;
  /**
   * Send rate-limit headers (false: a server that hides them): OpenAI's x-ratelimit-* and
   * retry-after-ms, or on Anthropic's `/v1/messages` its anthropic-ratelimit-requests-*
   * (the reset an RFC 3339 time) and retry-after in seconds. Default true.
   */
  headers?: boolean;
  /**
   * Name the headers in Access-Control-Expose-Headers, so a page may read them
   * (false: sent, but hidden from a page by CORS, as most hosted APIs do). Default true.
   */
  exposeHeaders?: boolean;
}

export interface OpenAIServer {
  /** Base URL to give the client as its endpoint, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Requests received and not yet answered now (preflights not counted). */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly peakInFlight: number;
  /** Resolves with the n-th request (1-based) once it has arrived. */
  received(n: number): Promise<RecordedRequest>;
  /** Drops every open connection and stops listening. */
  close(): Promise<void>;
  /** Requests answered 429 by the rate limit (`rateLimit`). */
  readonly rateLimited: number;
  /** TCP connections clients opened to it so far. */
  readonly connections: number;
}

/** A chat completion body as OpenAI sends it. */
export function chatCompletion(
  content: string,
  usage = { prompt_tokens: 12, completion_tokens: 5 },
  extra: { reasoning_content?: string } = {},
): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    model: 'test-model',
    choices: [
      { index: 0, message: { role: 'assistant', content, ...extra }, finish_reason: 'stop' },
    ],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** An embeddings body as OpenAI sends it: `vectors[i]` at index i, listed in reverse. */
export function embeddingsBody(vectors: number[][], promptTokens = 3): Record<string, unknown> {
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })).reverse(),
    model: 'test-embedder',
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** A Messages API answer as Anthropic sends it: one text block (after any thinking block). */
export function anthropicMessage(
  text: string,
  usage = { input_tokens: 12, output_tokens: 5 },
  extra: { thinking?: string } = {},
): Record<string, unknown> {
  const thinking =
    extra.thinking === undefined
      ? []
      : [{ type: 'thinking', thinking: extra.thinking, signature: 'sig' }];
  return {
    id: 'msg_test',
    type: 'message',
    role: 'assistant',
    model: 'test-model',
    content: [...thinking, { type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage,
  };
}

/** An error body as Anthropic sends it. */
export function anthropicError(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message } };
}

/**
 * Echoes the last message for chat (OpenAI's `/chat/completions`, Anthropic's
 * `/v1/messages`); a 3-dimensional vector per input for embeddings.
 */
export function defaultReply(req: RecordedRequest): Reply {
  if (req.path.endsWith('/v1/messages')) {
    const messages = (req.body?.['messages'] as { content: string }[] | undefined) ?? [];
    return { status: 200, body: anthropicMessage(`echo: ${messages.at(-1)?.content ?? ''}`) };
  }
  if (req.path.endsWith('/embeddings')) {
    const input = (req.body?.['input'] as string[] | undefined) ?? [];
    return { status: 200, body: embeddingsBody(input.map((s) => [s.length, 1, 0])) };
  }
  if (req.path.endsWith('/chat/completions')) {
    const messages = (req.body?.['messages'] as { content: string }[] | undefined) ?? [];
    return { status: 200, body: chatCompletion(`echo: ${messages.at(-1)?.content ?? ''}`) };
  }
  return { status: 404, body: { error: { message: `no route ${req.path}` } } };
}

export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  const script = [...(options.script ?? [])];
  const requests: RecordedRequest[] = [];
  const waiters: { n: number; resolve: (r: RecordedRequest) => void }[] = [];

  let inFlight = 0;
  let peakInFlight = 0;
  const corsHeaders: Record<string, string> = options.cors
    ? {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        // Every header readable by the page, unless the rate limit hides its own.
        ...(options.rateLimit?.exposeHeaders === false
          ? {}
          : { 'access-control-expose-headers': '*' }),
      }
    : {};

  const server = createServer((incoming, res) => {
    if (options.cors && incoming.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders).end();
      return;
    }
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    res.once('close', () => inFlight--);
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
      const req: RecordedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        raw,
        body,
      };
      requests.push(req);
      for (const w of waiters.filter((w) => w.n <= requests.length)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(requests[w.n - 1]!);
      }
      void answer(req, res);
    });
  });

  let connections = 0;
  server.on('connection', () => connections++);

  const limiter = options.rateLimit ? new ServerRateLimit(options.rateLimit) : undefined;
  const queue = options.queueing ? new ServerQueue(options.queueing.concurrency) : undefined;
  let rateLimited = 0;

  async function answer(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const limited = limiter?.admit(req.path.endsWith('/v1/messages'));
    if (limited?.status === 429) {
      rateLimited++;
      res.writeHead(429, { 'content-type': 'application/json', ...limited.headers });
      res.end(JSON.stringify({ error: { message: 'Rate limit reached for requests' } }));
      return;
    }
    if (queue && options.queueing) {
      await queue.enter();
      await new Promise((r) => setTimeout(r, options.queueing!.serviceMs));
      queue.leave();
    }
    const listed = options.models;
    const reply =
      listed && req.method === 'GET' && /\/models\/?$/.test(req.path)
        ? {
            status: 200,
            body: { object: 'list', data: listed.map((id) => ({ id, object: 'model' })) },
          }
        : (script.shift() ?? (await (options.handler ?? defaultReply)(req)));
    if ('hang' in reply) return;
    if ('reset' in reply) {
      res.socket?.destroy();
      return;
    }
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    // A held answer whose client went away (a closed page) has no one to answer.
    if (res.destroyed) return;
    const text =
      typeof reply.body === 'string' || reply.body instanceof Uint8Array
        ? reply.body
        : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      ...limited?.headers,
      ...corsHeaders,
      ...reply.headers,
    });
    res.end(text);
  }

  if (options.keepAliveTimeoutMs !== undefined)
    server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get peakInFlight() {
      return peakInFlight;
    },
    received(n) {
      const have = requests[n - 1];
      if (have) return Promise.resolve(have);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    get rateLimited() {
      return rateLimited;
    },
    get connections() {
      return connections;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

/** A token bucket over real time, answering as OpenAI's limits do. */
class ServerRateLimit {
  #perMs: number;
  #capacity: number;
  #level: number;
  #at = performance.now();
  #o: RateLimitOptions;

  constructor(o: RateLimitOptions) {
    this.#o = o;
    this.#perMs = o.requestsPerMinute / 60_000;
    this.#capacity = o.burst ?? o.requestsPerMinute / 60;
    this.#level = this.#capacity;
  }

  /** Takes one request's share: 200 with headers, or 429 with Retry-After (Anthropic's or OpenAI's). */
  admit(anthropic: boolean): { status: 200 | 429; headers: Record<string, string> } {
    const now = performance.now();
    this.#level = Math.min(this.#capacity, this.#level + (now - this.#at) * this.#perMs);
    this.#at = now;
    const ok = this.#level >= 1;
    if (ok) this.#level -= 1;
    const waitMs = Math.ceil((1 - this.#level) / this.#perMs);
    const fullInMs = Math.ceil((this.#capacity - this.#level) / this.#perMs);
    if (anthropic)
      return { status: ok ? 200 : 429, headers: this.#anthropic(ok, waitMs, fullInMs) };
    const headers: Record<string, string> = {};
    if (!ok) headers['retry-after-ms'] = String(waitMs);
    if (this.#o.headers !== false) {
      headers['x-ratelimit-limit-requests'] = String(this.#o.requestsPerMinute);
      headers['x-ratelimit-remaining-requests'] = String(Math.max(0, Math.floor(this.#level)));
      headers['x-ratelimit-reset-requests'] = `${fullInMs}ms`;
      if (this.#o.exposeHeaders !== false)
        headers['access-control-expose-headers'] =
          'x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, retry-after-ms';
    }
    return { status: ok ? 200 : 429, headers };
  }

  /** Anthropic's names: retry-after in whole seconds, the reset as an RFC 3339 time. */
  #anthropic(ok: boolean, waitMs: number, fullInMs: number): Record<string, string> {
    const headers: Record<string, string> = {};
    if (!ok) headers['retry-after'] = String(Math.ceil(waitMs / 1000));
    if (this.#o.headers === false) return headers;
    const stem = 'anthropic-ratelimit-requests';
    headers[`${stem}-limit`] = String(this.#o.requestsPerMinute);
    headers[`${stem}-remaining`] = String(Math.max(0, Math.floor(this.#level)));
    headers[`${stem}-reset`] = new Date(Date.now() + fullInMs).toISOString();
    headers['access-control-expose-headers'] =
      `${stem}-limit, ${stem}-remaining, ${stem}-reset, retry-after`;
    return headers;
  }
}

/** At most `concurrency` holders; the rest wait in arrival order. */
class ServerQueue {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(concurrency: number) {
    this.#free = concurrency;
  }

  enter(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  leave(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
