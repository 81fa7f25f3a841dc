/**
 * The built-in `simulated` provider (SPEC 1 models): offline, deterministic text,
 * JSON and embeddings, with configurable latency and faults, behaving on the wire
 * like the OpenAI-compatible transport so the engine cannot tell them apart.
 *
 * Two separate sources of randomness:
 * - the output comes only from (model, messages, request seed): see simulated-text.ts
 *   and simulated-json.ts; it never depends on faults, latency or request order;
 * - latency, faults and backoff jitter come from the transport's own stream, seeded
 *   by `settings.seed`, one fault draw and one latency draw per attempt.
 *
 * Faults mirror an HTTP endpoint's: 429 (with or without Retry-After) goes back to
 * the caller; 500 and 503 are retried inside with backoff on the clock, like the
 * real client; a timeout waits the request's timeoutMs (default 60 s) on the clock,
 * then fails with MODEL_TIMEOUT, as does a latency longer than the timeout;
 * malformed output is MODEL_BAD_RESPONSE.
 */
import { systemClock, type Clock } from '../clock.ts';
import { ErrorCodes, ModelError, TabsynthError, cancelledError } from '../errors.ts';
import { Rng } from '../random/seed.ts';
import {
  BACKOFF_CAP_MS,
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_MAX_HTTP_RETRIES,
  withHttpRetries,
} from './retry.ts';
import { simulatedEmbedding } from './simulated-embed.ts';
import { simulatedJson } from './simulated-json.ts';
import { estimateTokens, outputRng, promptWords, simulatedText } from './simulated-text.ts';
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelTransport,
  SimulatedFaults,
  SimulatedLatency,
  SimulatedSettings,
} from './types.ts';
import { SIMULATED_FAULT_KINDS } from './types.ts';

/** Embedding length when the settings give none. */
const DEFAULT_EMBEDDING_DIM = 256;
/** How long a simulated hang lasts when the request sets no timeout (as the HTTP client). */
const DEFAULT_SIMULATED_TIMEOUT_MS = 60_000;

type Fault = (typeof SIMULATED_FAULT_KINDS)[number];

export function createSimulatedTransport(
  settings: SimulatedSettings = {},
  clock: Clock = systemClock,
  /** Retries of simulated 5xx inside the transport; 0 when the engine retries them. */
  maxHttpRetries = DEFAULT_MAX_HTTP_RETRIES,
): ModelTransport {
  const latency = checkLatency(settings.latency ?? { distribution: 'fixed', ms: 0 });
  const faults = checkFaults(settings.faults ?? {});
  const dim = settings.embedding_dim ?? DEFAULT_EMBEDDING_DIM;
  if (!Number.isInteger(dim) || dim < 1 || dim > 65_536) {
    throw invalid(`embedding_dim: expected an integer in [1, 65536], got ${String(dim)}`);
  }
  const seed = settings.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw invalid(`seed: expected an integer, got ${String(seed)}`);
  const stream = new Rng(seed);
  const retryAfterMs = (faults.retry_after_s ?? 1) * 1000;
  const policy = {
    clock,
    maxRetries: maxHttpRetries,
    baseMs: DEFAULT_BACKOFF_BASE_MS,
    capMs: BACKOFF_CAP_MS,
    random: () => stream.next(),
  };

  function drawFault(): Fault | undefined {
    let u = stream.next();
    for (const kind of SIMULATED_FAULT_KINDS) {
      const p = faults[kind] ?? 0;
      if (u < p) return kind;
      u -= p;
    }
    return undefined;
  }

  function drawLatency(): number {
    switch (latency.distribution) {
      case 'fixed':
        return latency.ms;
      case 'uniform':
        return stream.uniform(latency.min_ms, latency.max_ms);
      case 'lognormal':
        return latency.median_ms * Math.exp(latency.sigma * stream.normal());
    }
  }

  /**
   * One simulated attempt: waits its latency, then fails with its fault or returns.
   * Both draws happen up front, so the stream advances the same way whatever the outcome.
   */
  async function attempt(
    model: string,
    n: number,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    if (signal?.aborted) throw cancelledError(signal);
    const fault = drawFault();
    const wait = drawLatency();
    const limit = timeoutMs ?? DEFAULT_SIMULATED_TIMEOUT_MS;
    const details = { model, attempts: n, simulated: true };
    if (fault === 'timeout' || wait >= limit) {
      await clock.sleep(limit, signal);
      throw new ModelError(
        ErrorCodes.MODEL_TIMEOUT,
        `simulated provider, model "${model}": timed out, expected an answer within ${limit} ms, got none`,
        { ...details, timeoutMs: limit },
      );
    }
    if (wait > 0) await clock.sleep(wait, signal);
    const head = `simulated provider, model "${model}" answered`;
    switch (fault) {
      case 'rate_limit':
        throw new ModelError(
          ErrorCodes.MODEL_RATE_LIMITED,
          `${head} 429 (simulated rate limit, Retry-After ${retryAfterMs} ms)`,
          { ...details, status: 429, retryAfterMs },
        );
      case 'rate_limit_no_retry_after':
        throw new ModelError(
          ErrorCodes.MODEL_RATE_LIMITED,
          `${head} 429 (simulated rate limit, no Retry-After)`,
          { ...details, status: 429 },
        );
      case 'server_error':
      case 'unavailable': {
        const status = fault === 'server_error' ? 500 : 503;
        throw new ModelError(
          ErrorCodes.MODEL_SERVER,
          `${head} ${status} (simulated server error)`,
          {
            ...details,
            status,
          },
        );
      }
      case 'malformed':
        throw new ModelError(
          ErrorCodes.MODEL_BAD_RESPONSE,
          `${head} with a malformed body: expected a completion with choices, got "{"choi" (simulated)`,
          details,
        );
      default:
    }
  }

  return {
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const { attempts } = await withHttpRetries(
        (n) => attempt(request.model, n, request.timeoutMs, request.signal),
        policy,
        request.signal,
      );
      let text: string;
      if (request.response_schema) {
        const rng = outputRng(request.model, request.messages, request.seed);
        const value = simulatedJson(request.response_schema, rng, promptWords(request.messages));
        text = JSON.stringify(value);
      } else {
        text = simulatedText(request.model, request.messages, request.seed, request.max_tokens);
      }
      const prompt = request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
      return {
        text,
        usage: { promptTokens: prompt, completionTokens: estimateTokens(text) },
        attempts,
      };
    },

    async embed(request: EmbeddingRequest): Promise<EmbeddingResponse> {
      const { attempts } = await withHttpRetries(
        (n) => attempt(request.model, n, request.timeoutMs, request.signal),
        policy,
        request.signal,
      );
      const size = request.dimensions ?? dim;
      const vectors = request.input.map((text) => simulatedEmbedding(request.model, text, size));
      const prompt = request.input.reduce((sum, t) => sum + estimateTokens(t), 0);
      return { vectors, usage: { promptTokens: prompt, completionTokens: 0 }, attempts };
    },
  };
}

function checkLatency(latency: SimulatedLatency): SimulatedLatency {
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  switch (latency.distribution) {
    case 'fixed':
      if (ok(latency.ms)) return latency;
      throw invalid(`latency.ms: expected a number >= 0, got ${String(latency.ms)}`);
    case 'uniform':
      if (ok(latency.min_ms) && ok(latency.max_ms) && latency.min_ms <= latency.max_ms)
        return latency;
      throw invalid(
        `latency: expected 0 <= min_ms <= max_ms, got min_ms ${String(latency.min_ms)}, max_ms ${String(latency.max_ms)}`,
      );
    case 'lognormal':
      if (ok(latency.median_ms) && latency.median_ms > 0 && ok(latency.sigma)) return latency;
      throw invalid(
        `latency: expected median_ms > 0 and sigma >= 0, got median_ms ${String(latency.median_ms)}, sigma ${String(latency.sigma)}`,
      );
    default:
      throw invalid(
        `latency.distribution: expected fixed, uniform or lognormal, got ${JSON.stringify((latency as { distribution: unknown }).distribution)}`,
      );
  }
}

function checkFaults(faults: SimulatedFaults): SimulatedFaults {
  let total = 0;
  const given: string[] = [];
  for (const kind of SIMULATED_FAULT_KINDS) {
    const p = faults[kind] ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw invalid(`faults.${kind}: expected a probability in [0, 1], got ${String(p)}`);
    }
    total += p;
    if (p > 0) given.push(`${kind} ${p}`);
  }
  if (total > 1 + 1e-9) {
    throw invalid(
      `faults: expected probabilities summing to at most 1, got ${Number(total.toPrecision(6))} (${given.join(' + ')})`,
    );
  }
  const after = faults.retry_after_s ?? 1;
  if (typeof after !== 'number' || !(after >= 0) || !Number.isFinite(after)) {
    throw invalid(`faults.retry_after_s: expected a number of seconds >= 0, got ${String(after)}`);
  }
  return faults;
}

function invalid(message: string): TabsynthError {
  return new TabsynthError(ErrorCodes.INVALID_ARGUMENT, `simulated provider settings: ${message}`);
}
