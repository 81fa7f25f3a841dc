/**
 * `remote` validator, as Data Designer's: each batch of rows (the target columns
 * only) is POSTed to `endpoint_url` as `{"data": [{col: value, ...}, ...]}`, and the
 * endpoint answers `{"data": [{"is_valid": true|false|null, ...}, ...]}`, one entry
 * per row in order; extra fields of an entry are kept. Network errors, timeouts and
 * 429/500/502/503/504 are tried again up to `max_retries` times, waiting
 * `retry_backoff ^ n` seconds before retry n (or what a Retry-After asks); at most
 * `max_parallel_requests` requests are in flight for the column across row groups.
 * A batch that still fails, or whose answer does not fit (not JSON, wrong length,
 * not matching `output_schema`), gives its rows `is_valid: null` with the reason,
 * as Data Designer's parallel path does; the rows are kept.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { onAbort } from '../../abort.ts';
import { systemClock, type Clock } from '../../clock.ts';
import { ConfigError, cancelledError } from '../../errors.ts';
import type { RemoteValidatorParams } from '../../config/types.ts';
import type { FetchLike, ResponseLike } from '../../models/fetch.ts';
import { endpointMessage, parseRetryAfter } from '../../models/http-errors.ts';
import type { ValidationIssue, ValidationOutput } from './types.ts';

/** Statuses tried again, as Data Designer's (httpx-retries status_forcelist). */
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);

interface RemoteValidatorOptions {
  params: Omit<RemoteValidatorParams, 'validator_type'>;
  /** The column's path in the config, for errors. */
  where: string;
  /** Default: the host's fetch. */
  fetch?: FetchLike;
  /** Where timeouts and backoff waits happen. Default: systemClock. */
  clock?: Clock;
  /** Epoch milliseconds, for Retry-After dates. Default: Date.now. */
  wallNow?: () => number;
}

export interface RemoteValidator {
  /** One output per record, in order. Rejects only with RUN_CANCELLED. */
  validate(records: Record<string, unknown>[], signal: AbortSignal): Promise<ValidationOutput[]>;
}

/** A batch that failed for a reason worth trying again. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function remoteValidator(options: RemoteValidatorOptions): RemoteValidator {
  const { params, where } = options;
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const clock = options.clock ?? systemClock;
  const wallNow = options.wallNow ?? (() => Date.now());
  const timeoutMs = params.timeout * 1000;
  const checkSchema = compileOutputSchema(params.output_schema, where);
  const slots = new Semaphore(params.max_parallel_requests);

  /** One request: the parsed body of a 2xx answer. */
  async function post(body: string, signal: AbortSignal): Promise<unknown> {
    const controller = new AbortController();
    const stopTimer = new AbortController();
    const unsubscribe = onAbort(signal, () => controller.abort(signal.reason));
    let timedOut = false;
    const timer = clock.sleep(timeoutMs, stopTimer.signal).then(
      () => {
        timedOut = true;
        controller.abort();
        throw new Retryable(`no answer within ${params.timeout} s`);
      },
      () => new Promise<never>(() => {}), // stopped: never settles
    );
    try {
      const exchange = (async () => {
        const res = await doFetch(params.endpoint_url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
          signal: controller.signal,
        });
        return { res, text: await res.text() };
      })();
      exchange.catch(() => {});
      let res: ResponseLike;
      let text: string;
      try {
        ({ res, text } = await Promise.race([exchange, timer]));
      } catch (err) {
        if (signal.aborted) throw cancelledError(signal);
        if (err instanceof Retryable || timedOut) throw err;
        throw new Retryable(
          `the request failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      if (!res.ok) {
        const said = `answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}: ${endpointMessage(text)}`;
        if (RETRIED_STATUSES.has(res.status)) {
          throw new Retryable(said, parseRetryAfter(res.headers, wallNow()));
        }
        throw new Error(said);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error(`expected a JSON answer, got ${JSON.stringify(text.slice(0, 200))}`);
      }
    } finally {
      stopTimer.abort();
      unsubscribe();
    }
  }

  async function attempts(body: string, signal: AbortSignal): Promise<unknown> {
    for (let retry = 0; ; retry++) {
      if (signal.aborted) throw cancelledError(signal);
      try {
        return await post(body, signal);
      } catch (err) {
        if (!(err instanceof Retryable) || retry >= params.max_retries) throw err;
        const wait = err.retryAfterMs ?? params.retry_backoff ** (retry + 1) * 1000;
        await clock.sleep(wait, signal);
      }
    }
  }

  return {
    async validate(records, signal) {
      const release = await slots.acquire(signal);
      let answer: unknown;
      try {
        answer = await attempts(JSON.stringify({ data: records }), signal);
      } catch (err) {
        if (signal.aborted) throw cancelledError(signal);
        const why = err instanceof Error ? err.message : String(err);
        const tries = params.max_retries + 1;
        return failed(
          records.length,
          `remote validator ${params.endpoint_url} ${why} (batch not validated; up to ${tries} attempt${tries === 1 ? '' : 's'})`,
        );
      } finally {
        release();
      }
      const problem = checkAnswer(answer, records.length, checkSchema);
      if (problem)
        return failed(records.length, `remote validator ${params.endpoint_url}: ${problem}`);
      return (answer as { data: Record<string, unknown>[] }).data.map(outputOfEntry);
    },
  };
}

/** Every row of a batch that could not be validated. */
function failed(n: number, message: string): ValidationOutput[] {
  return Array.from({ length: n }, () => ({
    is_valid: null,
    errors: [{ line: null, column: null, message }],
  }));
}

/** What is wrong with an answer, or undefined when it fits. */
function checkAnswer(
  answer: unknown,
  expected: number,
  checkSchema: ValidateFunction | undefined,
): string | undefined {
  if (checkSchema && !checkSchema(answer)) {
    const first = checkSchema.errors?.[0];
    return `expected an answer matching output_schema, got one failing at ${first?.instancePath || '(root)'}: ${first?.message ?? 'invalid'}`;
  }
  const data =
    answer && typeof answer === 'object' ? (answer as { data?: unknown }).data : undefined;
  if (!Array.isArray(data))
    return `expected an answer {"data": [...]}, got ${JSON.stringify(answer)?.slice(0, 200)}`;
  if (data.length !== expected) {
    return `expected ${expected} results in data (one per row sent), got ${data.length}`;
  }
  for (const [i, entry] of data.entries()) {
    const v =
      entry && typeof entry === 'object' ? (entry as { is_valid?: unknown }).is_valid : undefined;
    if (!(v === true || v === false || v === null)) {
      return `expected data[${i}].is_valid to be true, false or null, got ${JSON.stringify(entry)?.slice(0, 100)}`;
    }
  }
  return undefined;
}

/** An entry as the row's value: its fields kept, `errors` read as located issues when it is a list. */
function outputOfEntry(entry: Record<string, unknown>): ValidationOutput {
  const raw = entry['errors'];
  const errors: ValidationIssue[] = Array.isArray(raw) ? raw.map(issueOf) : [];
  return { ...entry, is_valid: entry['is_valid'] as boolean | null, errors };
}

function issueOf(item: unknown): ValidationIssue {
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    const line = typeof o['line'] === 'number' ? o['line'] : null;
    const column = typeof o['column'] === 'number' ? o['column'] : null;
    const message = typeof o['message'] === 'string' ? o['message'] : JSON.stringify(item);
    return { line, column, message };
  }
  return { line: null, column: null, message: String(item) };
}

function compileOutputSchema(
  schema: Record<string, unknown> | null,
  where: string,
): ValidateFunction | undefined {
  if (!schema) return undefined;
  try {
    return new Ajv2020({ strict: false, allErrors: false, validateFormats: false }).compile(schema);
  } catch (err) {
    throw new ConfigError([
      {
        path: `${where}.validator_params.output_schema`,
        message: `expected a JSON Schema that compiles, got one that does not: ${err instanceof Error ? err.message : String(err)}`,
      },
    ]);
  }
}

/** At most `limit` holders at once; waiters served in arrival order. */
class Semaphore {
  #free: number;
  #waiters: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = Math.max(1, Math.floor(limit));
  }

  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw cancelledError(signal);
    if (this.#free > 0) {
      this.#free--;
    } else {
      await new Promise<void>((resolve, reject) => {
        const waiter = () => {
          unsubscribe();
          resolve();
        };
        const unsubscribe = onAbort(signal, () => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(cancelledError(signal));
        });
        this.#waiters.push(waiter);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
