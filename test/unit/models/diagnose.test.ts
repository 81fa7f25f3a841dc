/**
 * SPEC 5 "Test connection names the cause of a failure and the fix for the server
 * it sees": each cause from what a probe saw, in words naming the endpoint.
 */
import { describe, expect, it } from 'vitest';
import {
  addressSpaceOf,
  diagnose,
  listedModels,
  localNetworkApplies,
  type DiagnoseInput,
  type PageContext,
} from '../../../src/core/models/diagnose.ts';

const LOCAL_PAGE: PageContext = { origin: 'http://127.0.0.1:4173', secure: true, viaRelay: false };
const input = (over: Partial<DiagnoseInput>): DiagnoseInput => ({
  endpoint: 'http://127.0.0.1:8000/v1',
  models: ['m1'],
  probe: { kind: 'answered', status: 200, body: '{"data":[{"id":"m1"}]}' },
  page: LOCAL_PAGE,
  ...over,
});

describe('5 Test connection names the cause and the fix', () => {
  it('connected, with the six-connection limit of an http:// endpoint and how to lift it', () => {
    const [ok, limit] = diagnose(input({}));
    expect(ok).toMatchObject({ kind: 'connected', ok: true });
    expect(ok?.message).toBe('connected to http://127.0.0.1:8000/v1: 1 models listed');
    expect(limit?.kind).toBe('connection-limit');
    expect(limit?.message).toContain('at most 6 connections to http://127.0.0.1:8000');
    expect(limit?.fix).toContain('npx tabsynth serve');
    expect(limit?.fix).toContain('HTTPS with HTTP/2');
  });

  it('no connection limit through the relay or over https', () => {
    expect(diagnose(input({ page: { ...LOCAL_PAGE, viaRelay: true } })).map((f) => f.kind)).toEqual(
      ['connected'],
    );
    expect(diagnose(input({ endpoint: 'https://api.openai.com/v1' })).map((f) => f.kind)).toEqual([
      'connected',
    ]);
  });

  it('unreachable: nothing answered', () => {
    const [f] = diagnose(input({ probe: { kind: 'blocked', reachable: false } }));
    expect(f).toMatchObject({ kind: 'unreachable', ok: false });
    expect(f?.message).toBe('cannot reach http://127.0.0.1:8000/v1: nothing answered');
  });

  it('CORS, with the setting of the server it recognises', () => {
    const cors = (endpoint: string) =>
      diagnose(input({ endpoint, probe: { kind: 'blocked', reachable: true } }))[0]!;
    const ollama = cors('http://127.0.0.1:11434/v1');
    expect(ollama.kind).toBe('cors');
    expect(ollama.message).toContain("refused this page's origin (http://127.0.0.1:4173) by CORS");
    expect(ollama.fix).toContain('OLLAMA_ORIGINS=http://127.0.0.1:4173');
    expect(cors('http://127.0.0.1:8000/v1').fix).toContain('--allowed-origins');
    expect(cors('http://127.0.0.1:1234/v1').fix).toContain('"Enable CORS"');
    expect(cors('http://127.0.0.1:8080/v1').fix).toContain('llama');
    const nvidia = cors('https://integrate.api.nvidia.com/v1');
    expect(nvidia.fix).toContain("NVIDIA's hosted API sends no CORS headers");
    expect(nvidia.fix).toContain('npx tabsynth serve');
    expect(cors('http://127.0.0.1:9999/v1').fix).toContain(
      'Access-Control-Allow-Origin: http://127.0.0.1:4173',
    );
  });

  it('Local Network Access: a public or non-loopback page calling loopback or a private address', () => {
    expect(addressSpaceOf('127.0.0.1')).toBe('loopback');
    expect(addressSpaceOf('192.168.1.4')).toBe('local');
    expect(addressSpaceOf('example.com')).toBe('public');
    expect(localNetworkApplies('https://tabsynth.example', 'http://localhost:11434/v1')).toBe(true);
    expect(localNetworkApplies('http://10.0.0.5:8080', 'http://127.0.0.1:8000/v1')).toBe(true);
    expect(localNetworkApplies('http://127.0.0.1:4173', 'http://10.0.0.5:8000/v1')).toBe(false);

    const insecure = diagnose(
      input({
        page: { origin: 'http://10.0.0.5:8080', secure: false, viaRelay: false },
        probe: { kind: 'blocked', reachable: false },
      }),
    )[0]!;
    expect(insecure.kind).toBe('local-network');
    expect(insecure.message).toContain('is not a secure context');
    expect(insecure.message).toContain('cannot ask you');
    expect(insecure.fix).toContain('npx tabsynth serve');

    const denied = diagnose(
      input({
        page: { origin: 'https://tabsynth.example', secure: true, viaRelay: false },
        probe: { kind: 'blocked', reachable: false, localNetwork: 'denied' },
      }),
    )[0]!;
    expect(denied.message).toContain('the permission was denied');
    expect(denied.fix).toContain("site's settings");

    const prompt = diagnose(
      input({
        page: { origin: 'https://tabsynth.example', secure: true, viaRelay: false },
        probe: { kind: 'blocked', reachable: false, localNetwork: 'prompt' },
      }),
    )[0]!;
    expect(prompt.message).toContain('Chrome asks before https://tabsynth.example may reach');
  });

  it('key refused (401/403)', () => {
    for (const status of [401, 403]) {
      const [f] = diagnose(input({ probe: { kind: 'answered', status, body: '' } }));
      expect(f).toMatchObject({ kind: 'key', ok: false });
      expect(f?.message).toBe(`http://127.0.0.1:8000/v1 refused the API key (HTTP ${status})`);
    }
  });

  it('model unknown, listing the models the server reports', () => {
    const body = JSON.stringify({ data: [{ id: 'llama3' }, { id: 'qwen' }] });
    const [f] = diagnose(
      input({ models: ['gpt-4o'], probe: { kind: 'answered', status: 200, body } }),
    );
    expect(f?.kind).toBe('model-unknown');
    expect(f?.message).toBe(
      'http://127.0.0.1:8000/v1 does not know "gpt-4o"; it lists llama3, qwen',
    );
    expect(listedModels('{"models":[{"name":"llama3:8b"}]}')).toEqual(['llama3:8b']);
  });

  it('no /models route, another HTTP error, a timeout, and the relay’s own failure', () => {
    expect(
      diagnose(input({ probe: { kind: 'answered', status: 404, body: '' } }))[0]?.fix,
    ).toContain('/v1');
    expect(
      diagnose(input({ probe: { kind: 'answered', status: 500, body: 'boom' } }))[0]?.message,
    ).toBe('http://127.0.0.1:8000/v1/models answered HTTP 500: boom');
    expect(diagnose(input({ probe: { kind: 'timeout', ms: 10_000 } }))[0]?.message).toBe(
      'http://127.0.0.1:8000/v1 did not answer within 10 s',
    );
    expect(
      diagnose(input({ probe: { kind: 'relay-failed', message: 'ECONNREFUSED' } }))[0]?.message,
    ).toBe('cannot reach http://127.0.0.1:8000/v1 from the relay: ECONNREFUSED');
  });
});
