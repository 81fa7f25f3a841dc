/**
 * Issue 14: what a watched preview reports and when it stops. Failed attempts are
 * counted per cell and reported as retries; a key refusal stops the preview at its
 * first answer; a connection error is diagnosed against the endpoint (a real
 * loopback server, or a port nothing listens on) and stops the preview only when
 * the endpoint cannot be reached.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, ModelError } from '../../../src/core/errors.ts';
import type { ChatRequest, ModelTransport } from '../../../src/core/models/types.ts';
import type { PreviewRetry } from '../../../src/runtime/engine-api.ts';
import { PreviewWatch } from '../../../src/runtime/preview-watch.ts';
import { startOpenAIServer, type OpenAIServer } from '../../support/openai-server.ts';

const servers: OpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const PAGE = { origin: 'http://127.0.0.1:5173', secure: true, viaRelay: false };

function watchOf(endpoint: string, apiKey: string | null = null) {
  const retries: PreviewRetry[] = [];
  const watch = new PreviewWatch(
    {
      config: {
        model_configs: [{ alias: 'w', model: 'm1', provider: 'local' }] as never,
        model_providers: [{ name: 'local', endpoint, api_key: apiKey }] as never,
      },
      plan: { models: [{ key: 'local/m1', label: 'local/m1' }], settings: { salvageMaxRounds: 2 } },
    },
    { onRetry: (r) => retries.push(r), fetch: (url, init) => fetch(url, init), page: PAGE },
  );
  return { watch, retries };
}

/** A transport whose answers are `outcomes` in turn (an error is thrown). */
function scripted(outcomes: (ModelError | 'ok')[]): ModelTransport {
  return {
    chat: () => {
      const next = outcomes.shift() ?? 'ok';
      if (next === 'ok')
        return Promise.resolve({
          text: 'hi',
          usage: { promptTokens: 1, completionTokens: 1 },
          attempts: 1,
        });
      return Promise.reject(next);
    },
  };
}

const chat = (seed: number): ChatRequest => ({ model: 'm1', messages: [], seed });
const status = (code: number) =>
  new ModelError(
    code >= 500 ? ErrorCodes.MODEL_SERVER : ErrorCodes.MODEL_REQUEST_REJECTED,
    `answered ${code}`,
    { status: code },
  );

describe('a watched preview', () => {
  it('reports each failed attempt of a cell as a retry, counting per cell, out of 12 attempts', async () => {
    const { watch, retries } = watchOf('http://127.0.0.1:9/v1');
    const t = watch.wrap('local/m1', scripted([status(503), status(503), 'ok', status(502)]));
    await expect(t.chat(chat(1))).rejects.toThrow('503');
    await expect(t.chat(chat(1))).rejects.toThrow('503');
    await t.chat(chat(1));
    await expect(t.chat(chat(1))).rejects.toThrow('502');
    expect(retries).toEqual([
      { model: 'local/m1', attempt: 1, attempts: 12, cause: 'HTTP 503' },
      { model: 'local/m1', attempt: 2, attempts: 12, cause: 'HTTP 503' },
      // The cell succeeded in between: its count starts again.
      { model: 'local/m1', attempt: 1, attempts: 12, cause: 'HTTP 502' },
    ]);
    expect(watch.signal.aborted).toBe(false);
  });

  it('the last of the 12 attempts is not reported as a retry: its row is dropped', async () => {
    const { watch, retries } = watchOf('http://127.0.0.1:9/v1');
    const t = watch.wrap('local/m1', scripted(Array.from({ length: 12 }, () => status(500))));
    for (let i = 0; i < 12; i++) await expect(t.chat(chat(7))).rejects.toThrow('500');
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('a 429 retries without a limit: no "of N"', async () => {
    const { watch, retries } = watchOf('http://127.0.0.1:9/v1');
    const limited = new ModelError(ErrorCodes.MODEL_RATE_LIMITED, 'answered 429', { status: 429 });
    await expect(watch.wrap('local/m1', scripted([limited])).chat(chat(2))).rejects.toThrow();
    expect(retries).toEqual([{ model: 'local/m1', attempt: 1, cause: 'HTTP 429 (rate limited)' }]);
  });

  it('a 401 from a provider without a key stops the preview at once, saying the key is missing', async () => {
    const { watch, retries } = watchOf('http://127.0.0.1:9/v1');
    await expect(watch.wrap('local/m1', scripted([status(401)])).chat(chat(3))).rejects.toThrow();
    expect(watch.signal.aborted).toBe(true);
    expect(watch.failure?.code).toBe(ErrorCodes.MODEL_REQUEST_REJECTED);
    expect(watch.failure?.message).toContain(
      "provider 'local' has no API key, and its endpoint at http://127.0.0.1:9/v1 asks for one (HTTP 401)",
    );
    expect(retries).toEqual([]);
  });

  it('a 403 with a key says the key was refused, and never shows the key', async () => {
    const { watch } = watchOf('http://127.0.0.1:9/v1', 'sk-secret-123');
    await expect(watch.wrap('local/m1', scripted([status(403)])).chat(chat(4))).rejects.toThrow();
    expect(watch.failure?.message).toContain("refused the API key of provider 'local' (HTTP 403)");
    expect(watch.failure?.message).not.toContain('sk-secret-123');
  });

  it('a connection error to a port nothing listens on stops the preview: nothing answers there', async () => {
    const gone = await startOpenAIServer();
    const endpoint = gone.url;
    await gone.close();
    const { watch, retries } = watchOf(endpoint);
    const network = new ModelError(ErrorCodes.MODEL_NETWORK, 'fetch failed');
    await expect(watch.wrap('local/m1', scripted([network])).chat(chat(5))).rejects.toThrow();
    expect(retries).toEqual([
      { model: 'local/m1', attempt: 1, attempts: 12, cause: 'a connection error' },
    ]);
    await watch.diagnosed();
    expect(watch.signal.aborted).toBe(true);
    expect(watch.failure?.code).toBe(ErrorCodes.MODEL_NETWORK);
    expect(watch.failure?.message).toContain(`cannot reach ${endpoint}: nothing answered`);
  });

  it('a connection error to an endpoint that answers lets the retries go on', async () => {
    const server = await startOpenAIServer({ models: ['m1'] });
    servers.push(server);
    const { watch } = watchOf(server.url);
    const network = new ModelError(ErrorCodes.MODEL_NETWORK, 'socket hang up');
    await expect(watch.wrap('local/m1', scripted([network])).chat(chat(6))).rejects.toThrow();
    await watch.diagnosed();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
    expect(watch.signal.aborted).toBe(false);
    expect(watch.failure).toBeUndefined();
  });

  it('cancel aborts its signal with RUN_CANCELLED and reports no failure', () => {
    const { watch } = watchOf('http://127.0.0.1:9/v1');
    watch.cancel();
    expect(watch.signal.aborted).toBe(true);
    expect((watch.signal.reason as ModelError).code).toBe(ErrorCodes.RUN_CANCELLED);
    expect(watch.failure).toBeUndefined();
  });
});
