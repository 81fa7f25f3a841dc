/**
 * One attempt of a model request over HTTP, shared by the OpenAI and Anthropic
 * transports: POST a JSON body with the attempt's own timeout (an AbortController fed
 * by a timer and by the caller's signal), and the answer mapped through
 * http-errors.ts: a non-2xx status, no answer, a timeout or a body that is not JSON
 * each become the catalogue's ModelError, redacted. The answer's rate-limit headers
 * (OpenAI's or Anthropic's, rate-headers.ts) come back with it, or in a failure's
 * details under `rateLimits`.
 */
import { timerDelay } from '../clock.ts';
import { onAbort } from '../abort.ts';
import { cancelledError } from '../errors.ts';
import type { FetchLike, RequestInitLike, ResponseLike } from './fetch.ts';
import { readRateLimitHeaders, type RateLimitInfo } from './rate-headers.ts';
import {
  badResponse,
  networkError,
  redact,
  statusError,
  timeoutError,
  type RequestSummary,
} from './http-errors.ts';

export interface PostAttempt {
  url: string;
  /** What errors name as the request, already redacted. Default: `POST {url}`, redacted. */
  target?: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** The provider's model id, for messages. */
  model: string;
  /** 1-based attempt number, for messages. */
  attempt: number;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** Redacted from every message and detail. */
  secret: string | undefined;
  fetch: FetchLike;
  /** Wall-clock epoch ms, to read a Retry-After given as a date. */
  wallNow: number;
}

interface PostAnswer {
  json: unknown;
  text: string;
  req: RequestSummary;
  /** The answer's rate-limit headers, when it carried readable ones. */
  rateLimits?: RateLimitInfo;
}

/** Why an attempt's controller was aborted. */
const TIMED_OUT = Symbol('timed out');

/** One attempt: the parsed JSON body of a 2xx answer, or a ModelError (RUN_CANCELLED on abort). */
export async function postJson(a: PostAttempt): Promise<PostAnswer> {
  const { signal } = a;
  if (signal?.aborted) throw cancelledError(signal);
  const req: RequestSummary = {
    target: a.target ?? redact(`POST ${a.url}`, a.secret),
    model: a.model,
    attempt: a.attempt,
  };
  const controller = new AbortController();
  // A fetch that ignores its signal must not hold the attempt past its timeout: the
  // guard settles the race below whatever the fetch does.
  let settleGuard!: (reason: unknown) => void;
  const guard = new Promise<never>((_, reject) => (settleGuard = reject));
  const stop = (reason: unknown) => {
    controller.abort(reason);
    settleGuard(reason);
  };
  const unsubscribe = signal ? onAbort(signal, () => stop(signal.reason)) : undefined;
  const timer = setTimeout(stop, timerDelay(a.timeoutMs), TIMED_OUT);
  let res: ResponseLike;
  let text: string;
  try {
    const exchange = exchangeText(a.fetch, a.url, {
      method: 'POST',
      headers: a.headers,
      body: JSON.stringify(a.body),
      signal: controller.signal,
    });
    exchange.catch(() => {}); // settled by the race below; keep a late rejection quiet
    [res, text] = await Promise.race([exchange, guard]);
  } catch (err) {
    if (signal?.aborted) throw cancelledError(signal);
    if (controller.signal.reason === TIMED_OUT) throw timeoutError(a.timeoutMs, req);
    throw networkError(err, req, a.secret);
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
  }
  const rateLimits = readRateLimitHeaders(res.headers, a.wallNow);
  if (!res.ok) {
    const err = statusError(
      res.status,
      res.statusText,
      text,
      res.headers,
      req,
      a.secret,
      a.wallNow,
    );
    if (rateLimits) err.details['rateLimits'] = rateLimits;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw badResponse('a JSON body', text, req, a.secret);
  }
  return rateLimits ? { json, text, req, rateLimits } : { json, text, req };
}

/** The answer and its body text. */
async function exchangeText(
  doFetch: FetchLike,
  url: string,
  init: RequestInitLike,
): Promise<[ResponseLike, string]> {
  const res = await doFetch(url, init);
  return [res, await res.text()];
}
