/**
 * The response cache of SPEC 3.8: a ModelTransport wrapper that answers a request
 * it has seen before from a key-value store, so a resumed or repeated run pays
 * nothing for a cell that was already answered.
 *
 * The key is SHA-256 over sorted-key JSON of (provider/model key, model, inference
 * parameters, rendered messages or inputs, response schema, cell seed); the API key
 * is not part of it and never stored. The hash is @noble/hashes' SHA-256, not
 * crypto.subtle: a page served over plain http from another address than localhost
 * is not a secure context and has no crypto.subtle. Only successful answers are cached. A cache
 * that fails to read or write is treated as a miss: the request goes out.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { stableJson } from '../config/secrets.ts';
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelTransport,
  ResponseCache,
} from './types.ts';

/** The little a cache needs from a store (IndexedDB in the browser, a Map in tests). */
export interface AsyncKV {
  /** The value stored under `key`, or undefined. */
  get(key: string): Promise<unknown>;
  /** Stores `value` (structured-clonable) under `key`. */
  set(key: string, value: unknown): Promise<void>;
}

interface CacheStats {
  /** Requests answered from the cache. */
  hits: number;
  /** Requests sent to the wrapped transport. */
  misses: number;
}

/** A cached transport and its counters. */
interface CachedTransport extends ModelTransport {
  readonly stats: CacheStats;
  readonly cache: ResponseCache;
}

/** Keys looked up and missed, so the request that follows does not read the store again. */
const MAX_MISSED = 4096;

/**
 * Wraps `inner` so equal requests are answered once. `modelKey` names the
 * (provider, model) pair, e.g. "openai/gpt-4o-mini". A hit reports zero tokens of
 * usage (nothing was paid) and one attempt. The engine asks `cache` first, before
 * taking a model slot, and passes the key it hashed on as the request's `cacheKey`;
 * `chat`/`embed` look up themselves too (once per request: a key `cache` just missed
 * is not read again).
 */
export function cachedTransport(
  inner: ModelTransport,
  kv: AsyncKV,
  modelKey: string,
): CachedTransport {
  const stats: CacheStats = { hits: 0, misses: 0 };
  const missed = new Set<string>();

  async function lookup<T>(key: string, valid: (v: unknown) => v is T): Promise<T | undefined> {
    const hit = await safeGet(kv, key);
    if (valid(hit)) {
      stats.hits++;
      return hit;
    }
    if (missed.size >= MAX_MISSED) missed.clear();
    missed.add(key);
    return undefined;
  }

  /** The entry for `key` unless `cache` just missed it (then the miss is counted once). */
  async function before<T>(key: string, valid: (v: unknown) => v is T): Promise<T | undefined> {
    if (missed.delete(key)) return undefined;
    const hit = await lookup(key, valid);
    if (hit === undefined) missed.delete(key);
    return hit;
  }

  async function sent<R>(key: string, send: () => Promise<R>, entry: (r: R) => unknown) {
    stats.misses++;
    const response = await send();
    await safeSet(kv, key, entry(response));
    return response;
  }

  const chatKey = (request: ChatRequest) =>
    cacheKey('chat', modelKey, {
      model: request.model,
      messages: request.messages,
      temperature: request.temperature,
      top_p: request.top_p,
      max_tokens: request.max_tokens,
      extra_body: request.extra_body,
      response_schema: request.response_schema,
      seed: request.seed,
    });
  const embedKey = (request: EmbeddingRequest) =>
    cacheKey('embed', modelKey, {
      model: request.model,
      input: request.input,
      dimensions: request.dimensions,
      seed: request.seed,
    });

  const cache: ResponseCache = {
    chatKey,
    embedKey,
    async chat(request) {
      const hit = await lookup(request.cacheKey ?? chatKey(request), isChatEntry);
      return hit && chatAnswer(hit);
    },
    async embed(request) {
      if (!inner.embed) return undefined;
      const hit = await lookup(request.cacheKey ?? embedKey(request), isEmbedEntry);
      return hit && embedAnswer(hit);
    },
  };

  const transport: CachedTransport = {
    stats,
    cache,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const key = request.cacheKey ?? chatKey(request);
      const hit = await before(key, isChatEntry);
      if (hit) return chatAnswer(hit);
      return sent(
        key,
        () => inner.chat(request),
        (r): ChatEntry =>
          r.reasoning !== undefined ? { text: r.text, reasoning: r.reasoning } : { text: r.text },
      );
    },
  };
  if (inner.embed) {
    const embed = inner.embed.bind(inner);
    transport.embed = async (request: EmbeddingRequest): Promise<EmbeddingResponse> => {
      const key = request.cacheKey ?? embedKey(request);
      const hit = await before(key, isEmbedEntry);
      if (hit) return embedAnswer(hit);
      return sent(
        key,
        () => embed(request),
        (r): EmbedEntry => ({ vectors: r.vectors.map((v) => new Float32Array(v)) }),
      );
    };
  }
  return transport;
}

const NO_USAGE = { promptTokens: 0, completionTokens: 0 } as const;

function chatAnswer(hit: ChatEntry): ChatResponse {
  return { ...hit, usage: { ...NO_USAGE }, attempts: 1 };
}

function embedAnswer(hit: EmbedEntry): EmbeddingResponse {
  return {
    vectors: hit.vectors.map((v) => new Float32Array(v)),
    usage: { ...NO_USAGE },
    attempts: 1,
  };
}

interface ChatEntry {
  text: string;
  reasoning?: string;
}

interface EmbedEntry {
  vectors: Float32Array[];
}

/** The cache key of one request: "chat:" or "embed:" and 64 hex digits. */
function cacheKey(kind: 'chat' | 'embed', modelKey: string, request: object) {
  const text = stableJson({ modelKey, ...request });
  return `${kind}:${bytesToHex(sha256(new TextEncoder().encode(text)))}`;
}

async function safeGet(kv: AsyncKV, key: string): Promise<unknown> {
  try {
    return await kv.get(key);
  } catch {
    return undefined;
  }
}

async function safeSet(kv: AsyncKV, key: string, value: unknown): Promise<void> {
  try {
    await kv.set(key, value);
  } catch {
    // A cache that cannot write (quota) only costs a future request.
  }
}

function isChatEntry(v: unknown): v is ChatEntry {
  return typeof v === 'object' && v !== null && typeof (v as ChatEntry).text === 'string';
}

function isEmbedEntry(v: unknown): v is EmbedEntry {
  return typeof v === 'object' && v !== null && Array.isArray((v as EmbedEntry).vectors);
}
