/**
 * SPEC 1 `validation` / `remote`, against a real HTTP server on 127.0.0.1: Data
 * Designer's request and answer shapes, retries with backoff, timeouts, the
 * parallel limit, and what a batch that cannot be validated gives its rows.
 * Waits happen on a scripted clock: the test wakes each one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.ts';
import type { RemoteValidatorParams } from '../../../src/core/config/types.ts';
import { ErrorCodes, cancelledError } from '../../../src/core/errors.ts';
import type { FetchLike, ResponseLike } from '../../../src/core/models/fetch.ts';
import { remoteValidator } from '../../../src/core/generators/validation/remote.ts';
import { startOpenAIServer, type OpenAIServer, type Reply } from '../../support/openai-server.ts';

/** A clock whose sleeps wait until the test wakes them. */
class ScriptedClock implements Clock {
  readonly sleeps: { ms: number; wake: () => void }[] = [];
  #waiters: { ms: number; resolve: (s: { wake: () => void }) => void }[] = [];

  now(): number {
    return 0;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(cancelledError(signal));
      const entry = { ms, wake: () => resolve() };
      const drop = () => {
        this.sleeps.splice(this.sleeps.indexOf(entry), 1);
        reject(cancelledError(signal));
      };
      signal?.addEventListener('abort', drop, { once: true });
      this.sleeps.push(entry);
      const waiter = this.#waiters.find((w) => w.ms === ms);
      if (waiter) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    });
  }

  /** The first sleep of `ms` milliseconds, now or once it starts. */
  sleepOf(ms: number): Promise<{ wake: () => void }> {
    const have = this.sleeps.find((s) => s.ms === ms);
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => this.#waiters.push({ ms, resolve }));
  }
}

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function params(url: string, over: Partial<RemoteValidatorParams> = {}) {
  return {
    endpoint_url: url,
    output_schema: null,
    timeout: 5,
    max_retries: 3,
    retry_backoff: 2,
    max_parallel_requests: 4,
    ...over,
  };
}

/** Judges each record sent: valid when its `code` is longer than 3 characters. */
function judge(body: Record<string, unknown> | undefined): Reply {
  const data = (body?.['data'] as { code: string }[] | undefined) ?? [];
  return {
    status: 200,
    body: {
      data: data.map((r) =>
        r.code.length > 3
          ? { is_valid: true, score: r.code.length }
          : { is_valid: false, score: 0, errors: [{ line: 1, column: 2, message: 'too short' }] },
      ),
    },
  };
}

const signal = () => new AbortController().signal;

describe('remote validator over HTTP', () => {
  it('POSTs {"data": [records]} and maps each answer entry to its row, extra fields kept', async () => {
    server = await startOpenAIServer({ handler: (req) => judge(req.body) });
    const remote = remoteValidator({
      params: params(`${server.url}/validate`),
      where: 'columns[1]',
    });
    const out = await remote.validate([{ code: 'print(1)' }, { code: 'x' }], signal());
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect([req.method, req.path, req.headers['content-type']]).toEqual([
      'POST',
      '/v1/validate',
      'application/json',
    ]);
    expect(req.body).toEqual({ data: [{ code: 'print(1)' }, { code: 'x' }] });
    expect(out).toEqual([
      { is_valid: true, score: 8, errors: [] },
      { is_valid: false, score: 0, errors: [{ line: 1, column: 2, message: 'too short' }] },
    ]);
  });

  it('503 is tried again after retry_backoff^1 seconds, then the answer is used', async () => {
    server = await startOpenAIServer({
      script: [{ status: 503, body: { detail: 'warming up' } }],
      handler: (req) => judge(req.body),
    });
    const clock = new ScriptedClock();
    const remote = remoteValidator({
      params: params(`${server.url}/v`, { retry_backoff: 3 }),
      where: 'c',
      clock,
    });
    const done = remote.validate([{ code: 'abcd' }], signal());
    (await clock.sleepOf(3000)).wake();
    expect(await done).toEqual([{ is_valid: true, score: 4, errors: [] }]);
    expect(server.requests).toHaveLength(2);
  });

  it('the second retry waits retry_backoff^2 seconds; after max_retries the rows get is_valid null with the reason', async () => {
    server = await startOpenAIServer({
      handler: () => ({ status: 500, body: { error: { message: 'boom' } } }),
    });
    const clock = new ScriptedClock();
    const remote = remoteValidator({
      params: params(`${server.url}/v`, { max_retries: 2 }),
      where: 'c',
      clock,
    });
    const done = remote.validate([{ code: 'a' }, { code: 'b' }], signal());
    (await clock.sleepOf(2000)).wake();
    (await clock.sleepOf(4000)).wake();
    const out = await done;
    expect(server.requests).toHaveLength(3);
    expect(out.map((o) => o.is_valid)).toEqual([null, null]);
    expect(out[0]!.errors[0]!.message).toMatch(
      /answered 500 Internal Server Error: boom \(batch not validated; up to 3 attempts\)$/,
    );
    expect(out[0]!.errors[0]).toMatchObject({ line: null, column: null });
  });

  it('a 400 is not tried again', async () => {
    server = await startOpenAIServer({
      handler: () => ({ status: 400, body: { detail: 'bad field' } }),
    });
    const remote = remoteValidator({
      params: params(`${server.url}/v`),
      where: 'c',
      clock: new ScriptedClock(),
    });
    const out = await remote.validate([{ code: 'a' }], signal());
    expect(server.requests).toHaveLength(1);
    expect(out[0]!.is_valid).toBeNull();
    expect(out[0]!.errors[0]!.message).toContain('answered 400 Bad Request: bad field');
  });

  it('a request with no answer times out after `timeout` seconds and is tried again', async () => {
    server = await startOpenAIServer({
      script: [{ hang: true }],
      handler: (req) => judge(req.body),
    });
    const clock = new ScriptedClock();
    const remote = remoteValidator({
      params: params(`${server.url}/v`, { timeout: 7 }),
      where: 'c',
      clock,
    });
    const done = remote.validate([{ code: 'abcdef' }], signal());
    await server.received(1);
    (await clock.sleepOf(7000)).wake();
    (await clock.sleepOf(2000)).wake();
    expect(await done).toEqual([{ is_valid: true, score: 6, errors: [] }]);
    expect(server.requests).toHaveLength(2);
  });

  it('an answer of the wrong shape gives is_valid null and says what was expected', async () => {
    server = await startOpenAIServer({
      script: [
        { status: 200, body: { data: [{ is_valid: true }] } },
        { status: 200, body: { results: [] } },
        { status: 200, body: { data: [{ valid: 'yes' }] } },
      ],
    });
    const remote = remoteValidator({ params: params(`${server.url}/v`), where: 'c' });
    const two = await remote.validate([{ code: 'a' }, { code: 'b' }], signal());
    expect(two[1]!.errors[0]!.message).toContain(
      'expected 2 results in data (one per row sent), got 1',
    );
    const shape = await remote.validate([{ code: 'a' }], signal());
    expect(shape[0]!.errors[0]!.message).toContain('expected an answer {"data": [...]}');
    const flag = await remote.validate([{ code: 'a' }], signal());
    expect(flag[0]).toMatchObject({ is_valid: null });
    expect(flag[0]!.errors[0]!.message).toContain(
      'expected data[0].is_valid to be true, false or null',
    );
  });

  it('output_schema is checked against the whole answer', async () => {
    server = await startOpenAIServer({
      script: [{ status: 200, body: { data: [{ is_valid: true, confidence: 3 }] } }],
    });
    const output_schema = {
      type: 'object',
      properties: {
        data: { type: 'array', items: { properties: { confidence: { type: 'string' } } } },
      },
    };
    const remote = remoteValidator({
      params: params(`${server.url}/v`, { output_schema }),
      where: 'c',
    });
    const out = await remote.validate([{ code: 'a' }], signal());
    expect(out[0]!.is_valid).toBeNull();
    expect(out[0]!.errors[0]!.message).toContain('failing at /data/0/confidence: must be string');
  });

  it('cancelling during a backoff wait rejects with RUN_CANCELLED', async () => {
    server = await startOpenAIServer({ handler: () => ({ status: 502 }) });
    const clock = new ScriptedClock();
    const controller = new AbortController();
    const remote = remoteValidator({ params: params(`${server.url}/v`), where: 'c', clock });
    const done = remote.validate([{ code: 'a' }], controller.signal);
    await clock.sleepOf(2000);
    controller.abort();
    await expect(done).rejects.toMatchObject({ code: ErrorCodes.RUN_CANCELLED });
  });
});

describe('remote validator: max_parallel_requests', () => {
  it('holds requests beyond the limit until one in flight is answered', async () => {
    const pending: { body: string; answer: (r: ResponseLike) => void }[] = [];
    const fakeFetch: FetchLike = (_url, init) =>
      new Promise((resolve) => pending.push({ body: init?.body ?? '', answer: resolve }));
    const ok = (n: number): ResponseLike => ({
      ok: true,
      status: 200,
      statusText: 'OK',
      headers: { get: () => null },
      text: () =>
        Promise.resolve(
          JSON.stringify({ data: Array.from({ length: n }, () => ({ is_valid: true })) }),
        ),
    });
    const remote = remoteValidator({
      params: params('http://validator.invalid/v', { max_parallel_requests: 2 }),
      where: 'c',
      fetch: fakeFetch,
      clock: new ScriptedClock(),
    });
    const s = signal();
    const all = Promise.all([1, 2, 3, 4].map((i) => remote.validate([{ code: String(i) }], s)));
    const settle = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    };
    await settle();
    expect(pending).toHaveLength(2);
    pending[0]!.answer(ok(1));
    await settle();
    expect(pending).toHaveLength(3);
    for (const p of pending.slice(1)) p.answer(ok(1));
    await settle();
    expect(pending).toHaveLength(4);
    pending[3]!.answer(ok(1));
    expect((await all).flat().map((o) => o.is_valid)).toEqual([true, true, true, true]);
    expect(
      pending.map((p) => (JSON.parse(p.body) as { data: { code: string }[] }).data[0]!.code),
    ).toEqual(['1', '2', '3', '4']);
  });
});
