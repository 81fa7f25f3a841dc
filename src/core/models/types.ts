/**
 * What a model call looks like to the core. A ModelTransport is one provider's
 * wire (the OpenAI-compatible HTTP client, the simulated provider); the engine
 * wraps it with the model's limiter and the retry policy of SPEC 3.6.
 */
import type { RateLimitInfo } from './rate-headers.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** The provider's model id (`model_configs[].model`). */
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  /** Merged into the request body as is. */
  extra_body?: Record<string, unknown>;
  /** A JSON Schema the answer must match, where the endpoint supports response_format. */
  response_schema?: Record<string, unknown>;
  /** The cell's seed: the simulated provider's only source of randomness. */
  seed: number;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The response cache's key of this request, when the engine has it already (ResponseCache.chatKey). Default: the cache hashes the request. */
  cacheKey?: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResponse {
  /** The assistant message's content. */
  text: string;
  /** `reasoning_content`, when the endpoint returns one. */
  reasoning?: string;
  usage: TokenUsage;
  /** Attempts the transport made for this answer (1 when it succeeded at once). */
  attempts: number;
  /** The answer's rate-limit headers, when it had readable ones. */
  rateLimits?: RateLimitInfo;
}

export interface EmbeddingRequest {
  model: string;
  input: string[];
  /** Length of the vectors asked for (`inference_parameters.dimensions`). Default: the model's. */
  dimensions?: number;
  seed: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The response cache's key of this request, when the engine has it already (ResponseCache.embedKey). Default: the cache hashes the request. */
  cacheKey?: string;
}

export interface EmbeddingResponse {
  vectors: Float32Array[];
  usage: TokenUsage;
  attempts: number;
  rateLimits?: RateLimitInfo;
}

/**
 * One provider's wire. Throws ModelError: MODEL_RATE_LIMITED (with retryAfterMs
 * when the endpoint said), MODEL_TIMEOUT, MODEL_SERVER, MODEL_NETWORK (retryable),
 * MODEL_REQUEST_REJECTED, MODEL_BAD_RESPONSE (not retryable), RUN_CANCELLED on abort.
 * HTTP-level retries of 5xx happen inside; 429 is never retried inside: it goes
 * back to the caller, whose limiter decides.
 */
export interface ModelTransport {
  chat(request: ChatRequest): Promise<ChatResponse>;
  embed?(request: EmbeddingRequest): Promise<EmbeddingResponse>;
  /**
   * The response cache in front of the wire (SPEC 3.8), when there is one. The engine
   * asks it before taking a model slot, so an answer from the cache spends no request
   * or token budget and counts no request, tokens or cost. Default: none.
   */
  readonly cache?: ResponseCache;
}

/**
 * Answers a request has had before, without a request; undefined on a miss. A request
 * carrying `cacheKey` is looked up, and its answer stored, under that key: the engine
 * hashes a request once and passes the key on to the transport it sends through.
 */
export interface ResponseCache {
  chat(request: ChatRequest): Promise<ChatResponse | undefined>;
  embed(request: EmbeddingRequest): Promise<EmbeddingResponse | undefined>;
  /** The key `request`'s answer is stored under. */
  chatKey(request: ChatRequest): string;
  /** The key `request`'s answer is stored under. */
  embedKey(request: EmbeddingRequest): string;
}

/** Why a model's limit is below its cap, and what lifts it: what the run panel shows. */
export interface LimitNote {
  /** The cause, in words. */
  reason: string;
  /** What lifts it. */
  fix: string;
}

/** Latency of the simulated provider, per request. */
export type SimulatedLatency =
  | { distribution: 'fixed'; ms: number }
  | { distribution: 'uniform'; min_ms: number; max_ms: number }
  | { distribution: 'lognormal'; median_ms: number; sigma: number };

/** The simulated provider's fault kinds, in the order its cumulative draw tests them. */
export const SIMULATED_FAULT_KINDS = [
  'rate_limit',
  'rate_limit_no_retry_after',
  'server_error',
  'unavailable',
  'timeout',
  'malformed',
] as const;

/** Fault rates of the simulated provider: each a probability per request in [0, 1]. */
export interface SimulatedFaults {
  /** 429 with a Retry-After header. Default 0. */
  rate_limit?: number;
  /** 429 without Retry-After. Default 0. */
  rate_limit_no_retry_after?: number;
  /** Retry-After value the 429s carry, in seconds. Default 1. */
  retry_after_s?: number;
  /** 500. Default 0. */
  server_error?: number;
  /** 503. Default 0. */
  unavailable?: number;
  /** The request hangs until its timeout. Default 0. */
  timeout?: number;
  /** The body is not a usable completion. Default 0. */
  malformed?: number;
}

/**
 * `model_providers[].provider_type: simulated` settings (under the provider's
 * `simulated` key). Output depends only on (model, messages, cell seed); latency and
 * faults come from the transport's own stream seeded by `seed`.
 */
export interface SimulatedSettings {
  /** Default: { distribution: 'fixed', ms: 0 }. */
  latency?: SimulatedLatency;
  /** Default: no faults. */
  faults?: SimulatedFaults;
  /** Seed of the latency/fault stream. Default 0. */
  seed?: number;
  /** Length of the embedding vectors it returns. Default 256. */
  embedding_dim?: number;
}
