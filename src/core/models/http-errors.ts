/**
 * How an OpenAI-compatible endpoint's failures become the catalogue's ModelErrors
 * (SPEC 3.6), and the secret hygiene around them: whatever an endpoint or the
 * network says goes through `redact` before it reaches a message or details.
 */
import { ErrorCodes, ModelError, type ErrorCode } from '../errors.ts';
import type { HeadersLike } from './fetch.ts';

/** Longest excerpt of an endpoint's body kept in an error message. */
const MAX_EXCERPT = 500;

/** Replaces every occurrence of `secret` in `text`; a no-op without a secret. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('[redacted]');
}

/**
 * Milliseconds to wait from a 429's headers: `retry-after-ms` (OpenAI's), else
 * `Retry-After` as delta-seconds or an HTTP date (relative to `wallNow`, epoch ms).
 * Undefined when neither is present or parseable; never negative.
 */
export function parseRetryAfter(headers: HeadersLike, wallNow: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - wallNow);
}

/**
 * The endpoint's own explanation in an error body: OpenAI's `{error: {message}}`,
 * `{error: "..."}`, FastAPI/vLLM's `{detail}`, `{message}`, else the raw text.
 */
export function endpointMessage(body: string): string {
  let found: unknown;
  try {
    const json: unknown = JSON.parse(body);
    if (json && typeof json === 'object') {
      const o = json as Record<string, unknown>;
      const err = o['error'];
      found = err && typeof err === 'object' ? (err as Record<string, unknown>)['message'] : err;
      found ??= o['message'] ?? o['detail'];
      if (found !== undefined && typeof found !== 'string') found = JSON.stringify(found);
    }
  } catch {
    // not JSON: the raw text below
  }
  const text = (typeof found === 'string' ? found : body).trim();
  if (!text) return '(empty body)';
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT)}…` : text;
}

/** What an error says about the request it failed: kept in its details. */
export interface RequestSummary {
  /** e.g. `POST http://127.0.0.1:8000/v1/chat/completions`, already redacted. */
  target: string;
  /** The provider's model id. */
  model: string;
  /** The attempt (1-based) that failed. */
  attempt: number;
}

/** The ModelError for a non-2xx answer. */
export function statusError(
  status: number,
  statusText: string,
  body: string,
  headers: HeadersLike,
  req: RequestSummary,
  secret: string | undefined,
  wallNow: number,
): ModelError {
  const said = endpointMessage(body);
  const head = `${req.target} for model "${req.model}" answered ${status}${statusText ? ` ${statusText}` : ''}`;
  const details = { status, target: req.target, model: req.model, attempts: req.attempt };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers, wallNow);
    const wait = retryAfterMs === undefined ? 'no Retry-After' : `Retry-After ${retryAfterMs} ms`;
    return new ModelError(
      ErrorCodes.MODEL_RATE_LIMITED,
      redact(`${head} (rate limited, ${wait}): ${said}`, secret),
      retryAfterMs === undefined ? details : { ...details, retryAfterMs },
    );
  }
  let code: ErrorCode = ErrorCodes.MODEL_REQUEST_REJECTED;
  if (status === 408 || status >= 500) code = ErrorCodes.MODEL_SERVER;
  const retryAfterMs =
    code === ErrorCodes.MODEL_SERVER ? parseRetryAfter(headers, wallNow) : undefined;
  return new ModelError(
    code,
    redact(`${head}: ${said}`, secret),
    retryAfterMs === undefined ? details : { ...details, retryAfterMs },
  );
}

/** The MODEL_BAD_RESPONSE for a 2xx answer that cannot be used. */
export function badResponse(
  what: string,
  body: string,
  req: RequestSummary,
  secret: string | undefined,
): ModelError {
  const excerpt = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return new ModelError(
    ErrorCodes.MODEL_BAD_RESPONSE,
    redact(
      `${req.target} for model "${req.model}": expected ${what}, got ${JSON.stringify(excerpt)}`,
      secret,
    ),
    { target: req.target, model: req.model, attempts: req.attempt },
  );
}

/** The MODEL_NETWORK error for a request that got no answer (refused, reset, DNS). */
export function networkError(
  cause: unknown,
  req: RequestSummary,
  secret: string | undefined,
): ModelError {
  return new ModelError(
    ErrorCodes.MODEL_NETWORK,
    redact(`${req.target} for model "${req.model}" failed: ${describeCause(cause)}`, secret),
    { target: req.target, model: req.model, attempts: req.attempt },
  );
}

/** The MODEL_TIMEOUT error for an attempt that ran out of time. */
export function timeoutError(timeoutMs: number, req: RequestSummary): ModelError {
  return new ModelError(
    ErrorCodes.MODEL_TIMEOUT,
    `${req.target} for model "${req.model}" timed out: expected an answer within ${timeoutMs} ms, got none`,
    { target: req.target, model: req.model, attempts: req.attempt, timeoutMs },
  );
}

/** "fetch failed (other side closed, UND_ERR_SOCKET)" from an error and its causes. */
function describeCause(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && depth < 4; depth++) {
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code;
      parts.push(typeof code === 'string' ? `${e.message} [${code}]` : e.message);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(': ') || 'unknown network error';
}
