/**
 * One attempt of a model request over HTTP: POST a JSON body with the attempt's
 * own timeout (an AbortController fed by a timer and by the caller's signal), and
 * the answer mapped through http-errors.ts: a non-2xx status, no answer, a timeout
 * or a body that is not JSON each become the catalogue's ModelError, redacted.
 * Used by the Anthropic transport; the OpenAI transport keeps its own copy of
 * this attempt for now (see its header).
 */
import { onAbort } from '../abort.ts';
import { cancelledError } from '../errors.ts';
import type { FetchLike, ResponseLike } from './fetch.ts';
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

export interface PostAnswer {
  json: unknown;
  text: string;
  req: RequestSummary;
}

/** Why an attempt's controller was aborted. */
const TIMED_OUT = Symbol('timed out');

/** One attempt: the parsed JSON body of a 2xx answer, or a ModelError (RUN_CANCELLED on abort). */
export async function postJson(a: PostAttempt): Promise<PostAnswer> {
  const { signal } = a;
  if (signal?.aborted) throw cancelledError(signal);
  const req: RequestSummary = {
    target: redact(`POST ${a.url}`, a.secret),
    model: a.model,
    attempt: a.attempt,
  };
  const controller = new AbortController();
  const unsubscribe = signal ? onAbort(signal, () => controller.abort(signal.reason)) : undefined;
  const timer = setTimeout(() => controller.abort(TIMED_OUT), a.timeoutMs);
  // A fetch that ignores its signal must not hold the attempt past its timeout.
  let stop: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = () => reject(controller.signal.reason);
    controller.signal.addEventListener('abort', stop, { once: true });
  });
  let res: ResponseLike;
  let text: string;
  try {
    const exchange = a
      .fetch(a.url, {
        method: 'POST',
        headers: a.headers,
        body: JSON.stringify(a.body),
        signal: controller.signal,
      })
      .then(async (r) => ({ r, t: await r.text() }));
    exchange.catch(() => {}); // settled by the race below; keep a late rejection quiet
    ({ r: res, t: text } = await Promise.race([exchange, stopped]));
  } catch (err) {
    if (signal?.aborted) throw cancelledError(signal);
    if (controller.signal.reason === TIMED_OUT) throw timeoutError(a.timeoutMs, req);
    throw networkError(err, req, a.secret);
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
    if (stop) controller.signal.removeEventListener('abort', stop);
  }
  if (!res.ok) {
    throw statusError(res.status, res.statusText, text, res.headers, req, a.secret, a.wallNow);
  }
  try {
    return { json: JSON.parse(text) as unknown, text, req };
  } catch {
    throw badResponse('a JSON body', text, req, a.secret);
  }
}
