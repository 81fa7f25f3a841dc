/**
 * `tabsynth check-models CONFIG` against the loopback OpenAI-compatible server, over
 * real HTTP: one small request per alias, ok or the error with what to do, exit 1
 * when any fails, and the key never printed.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.ts';
import type { Output } from '../../../src/cli/output.ts';
import { defaultReply, startOpenAIServer, type OpenAIServer } from '../../support/openai-server.ts';

const KEY = 'sk-loopback-secret-7731';
let dir: string;
let server: OpenAIServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-check-'));
  server = await startOpenAIServer({
    handler: (req) => {
      const model = req.body?.['model'];
      if (model === 'no-such-model')
        return { status: 404, body: { error: { message: 'model not found' } } };
      if (model === 'locked-model')
        return { status: 401, body: { error: { message: `invalid key ${KEY}` } } };
      return defaultReply(req);
    },
  });
  process.env['TABSYNTH_CHECK_KEY'] = KEY;
});
afterEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  delete process.env['TABSYNTH_CHECK_KEY'];
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function checkModels(aliases: string): Promise<{ code: number; text: string }> {
  const path = join(dir, `models-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    path,
    `model_providers:
  - { name: local, endpoint: "${server.url}", provider_type: openai, api_key: TABSYNTH_CHECK_KEY }
  - { name: keyless, endpoint: "${server.url}", provider_type: openai, api_key: TABSYNTH_UNSET_KEY_VAR }
model_configs:
${aliases}
columns:
  - { name: n, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 1 } }
`,
  );
  const lines: string[] = [];
  const output: Output = { out: (t) => lines.push(t), err: (t) => lines.push(t) };
  const code = await main(['check-models', path], output);
  return { code, text: lines.join('\n') };
}

it('every alias answers: each prints ok, exit 0, one request per alias with the key sent', async () => {
  const ran = await checkModels(`  - { alias: writer, model: good-model, provider: local }
  - { alias: embedder, model: good-embedder, provider: local, inference_parameters: { generation_type: embedding } }`);
  expect(ran.code).toBe(0);
  expect(ran.text).toMatch(/^writer\s+ok$/m);
  expect(ran.text).toMatch(/^embedder\s+ok$/m);
  expect(server.requests.map((r) => r.path).sort()).toEqual([
    '/v1/chat/completions',
    '/v1/embeddings',
  ]);
  expect(server.requests.every((r) => r.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);
  expect(ran.text).not.toContain(KEY);
});

it('a failing alias prints its status, endpoint and what to do; exit 1; the key is never printed', async () => {
  const ran = await checkModels(`  - { alias: writer, model: good-model, provider: local }
  - { alias: typo, model: no-such-model, provider: local }
  - { alias: locked, model: locked-model, provider: local }
  - { alias: nokey, model: good-model, provider: keyless }`);
  expect(ran.code).toBe(1);
  expect(ran.text).toMatch(/^writer\s+ok$/m);
  expect(ran.text).toMatch(
    /^typo\s+FAILED \[MODEL_REQUEST_REJECTED 404\] POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/m,
  );
  expect(ran.text).toMatch(/what to do: check the model name/);
  expect(ran.text).toMatch(/^locked\s+FAILED \[MODEL_REQUEST_REJECTED 401\]/m);
  expect(ran.text).toMatch(/what to do: check the key in TABSYNTH_CHECK_KEY/);
  expect(ran.text).toMatch(/^nokey\s+FAILED .*key variable TABSYNTH_UNSET_KEY_VAR is not set/m);
  expect(ran.text).toMatch(/3 of 4 model aliases failed/);
  // The server echoed the key in its 401 body: the message shows it redacted.
  expect(ran.text).not.toContain(KEY);
  // No request for the alias whose key is missing.
  expect(server.requests).toHaveLength(3);
});
