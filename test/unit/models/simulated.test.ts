/**
 * The built-in simulated provider (SPEC 1 models, 2 determinism, 3.6 failures):
 * deterministic prompt-shaped output, latency on the clock, faults from its own
 * stream at the configured rates, cancellation. Every wait runs on a FakeClock.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks, type Clock } from '../../../src/core/clock.ts';
import { ErrorCodes, TabsynthError, type ErrorCode } from '../../../src/core/errors.ts';
import { createSimulatedTransport } from '../../../src/core/models/simulated.ts';
import type {
  ChatMessage,
  ChatRequest,
  ChatResponse,
  SimulatedSettings,
} from '../../../src/core/models/types.ts';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a travel writer.' },
  { role: 'user', content: 'Describe the lighthouse keeper of a windswept harbor town.' },
];

function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'demo-model', messages: MESSAGES, seed: 1, ...extra };
}

/** Settles `p`, waking the fake clock's sleepers as they appear. */
async function settle<T>(p: Promise<T>, clock: FakeClock): Promise<T> {
  let done = false;
  const tracked = p.finally(() => {
    done = true;
  });
  tracked.catch(() => {});
  for (let i = 0; !done && i < 10_000; i++) {
    if (!(await clock.runNext())) await flushMicrotasks();
  }
  return tracked;
}

/** The error code `p` rejects with, or 'ok'. */
async function outcome(p: Promise<unknown>, clock: FakeClock): Promise<ErrorCode | 'ok'> {
  try {
    await settle(p, clock);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(TabsynthError);
    return (e as TabsynthError).code;
  }
}

/** A FakeClock that also records every wait asked of it. */
function recordingClock(): { clock: Clock; fake: FakeClock; waits: number[] } {
  const fake = new FakeClock();
  const waits: number[] = [];
  const clock: Clock = {
    now: () => fake.now(),
    sleep: (ms, signal) => {
      waits.push(ms);
      return fake.sleep(ms, signal);
    },
  };
  return { clock, fake, waits };
}

async function chatWith(settings: SimulatedSettings, req: ChatRequest): Promise<ChatResponse> {
  const fake = new FakeClock();
  return settle(createSimulatedTransport(settings, fake).chat(req), fake);
}

describe('SPEC 2 determinism: simulated text depends only on model, messages and seed', () => {
  it('the same model, prompt and seed give the same text; other seeds give other texts', async () => {
    const a = await chatWith({}, request({ seed: 11 }));
    expect((await chatWith({}, request({ seed: 11 }))).text).toBe(a.text);
    const others = await Promise.all(
      [12, 13, 14, 15].map((seed) => chatWith({}, request({ seed }))),
    );
    expect(new Set([a.text, ...others.map((r) => r.text)]).size).toBe(5);
  });

  it('a different model or prompt gives a different text for the same seed', async () => {
    const base = (await chatWith({}, request())).text;
    expect((await chatWith({}, request({ model: 'other-model' }))).text).not.toBe(base);
    const prompt: ChatMessage[] = [{ role: 'user', content: 'Describe a desert caravan.' }];
    expect((await chatWith({}, request({ messages: prompt }))).text).not.toBe(base);
  });

  it('faults, latency and the fault seed never change the text', async () => {
    const quiet = await chatWith({}, request({ seed: 5 }));
    const noisy = await chatWith(
      {
        seed: 99,
        latency: { distribution: 'uniform', min_ms: 10, max_ms: 500 },
        faults: { server_error: 0.5 },
      },
      request({ seed: 5 }),
    );
    expect(noisy.text).toBe(quiet.text);
  });
});

describe('SPEC 1 models: simulated text is labelled and shaped by the prompt', () => {
  it('starts with [simulated] and reuses words of the prompt', async () => {
    const texts = await Promise.all(
      Array.from({ length: 20 }, (_, seed) => chatWith({}, request({ seed }))),
    );
    expect(texts.every((r) => r.text.startsWith('[simulated] '))).toBe(true);
    const promptWords = ['lighthouse', 'keeper', 'windswept', 'harbor', 'town'];
    expect(texts.some((r) => promptWords.some((w) => r.text.includes(w)))).toBe(true);
  });

  it('max_tokens bounds the completion, and a larger budget gives longer text', async () => {
    const lengths: Record<number, number> = {};
    for (const maxTokens of [8, 30, 150]) {
      let total = 0;
      for (let seed = 0; seed < 30; seed++) {
        const r = await chatWith({}, request({ seed, max_tokens: maxTokens }));
        expect(r.usage.completionTokens).toBeLessThanOrEqual(maxTokens);
        total += r.text.length;
      }
      lengths[maxTokens] = total;
    }
    expect(lengths[8]!).toBeLessThan(lengths[30]!);
    expect(lengths[30]!).toBeLessThan(lengths[150]!);
  });

  it('a prompt asking for python code gets a fenced python block', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Write a python function that parses invoices.' },
    ];
    const r = await chatWith({}, request({ messages }));
    expect(r.text).toMatch(/```python\n# simulated\ndef \w+\(.*\).*:\n(?: {4}.*\n)+```$/);
  });

  it('a response schema gets JSON for it', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, stars: { type: 'integer', minimum: 1, maximum: 5 } },
      required: ['city', 'stars'],
    };
    const r = await chatWith({}, request({ response_schema: schema }));
    const value = JSON.parse(r.text) as { city: unknown; stars: unknown };
    expect(typeof value.city).toBe('string');
    expect(Number.isInteger(value.stars) && (value.stars as number) >= 1).toBe(true);
  });

  it('estimates token usage at about 4 characters a token', async () => {
    const r = await chatWith({}, request());
    const promptChars = MESSAGES.map((m) => Math.ceil(m.content.length / 4));
    expect(r.usage.promptTokens).toBe(promptChars[0]! + promptChars[1]!);
    expect(r.usage.completionTokens).toBe(Math.ceil(r.text.length / 4));
    expect(r.attempts).toBe(1);
  });
});

describe('SPEC 1 embedding columns: simulated embeddings', () => {
  const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

  it('are deterministic unit-norm vectors of 256 dimensions by default', async () => {
    const fake = new FakeClock();
    const t = createSimulatedTransport({}, fake);
    const input = ['a quiet harbor at dawn', '', 'a quiet harbor at dawn'];
    const r = await settle(t.embed!({ model: 'emb', input, seed: 3 }), fake);
    expect(r.vectors.map((v) => v.length)).toEqual([256, 256, 256]);
    for (const v of r.vectors) expect(Math.sqrt(cosine(v, v))).toBeCloseTo(1, 5);
    expect(Array.from(r.vectors[2]!)).toEqual(Array.from(r.vectors[0]!));
  });

  it('take their length from embedding_dim and put shared words closer together', async () => {
    const fake = new FakeClock();
    const t = createSimulatedTransport({ embedding_dim: 64 }, fake);
    const input = ['red apple pie', 'red apple tart', 'quantum tunnelling microscope'];
    const [a, b, c] = (await settle(t.embed!({ model: 'emb', input, seed: 0 }), fake)).vectors;
    expect(a!.length).toBe(64);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!));
  });
});

describe('SPEC 1 simulated latency runs on the clock', () => {
  it('fixed: the answer comes exactly when the clock reaches it', async () => {
    const fake = new FakeClock();
    const t = createSimulatedTransport({ latency: { distribution: 'fixed', ms: 250 } }, fake);
    let done = false;
    const p = t.chat(request()).then(() => (done = true));
    await fake.advance(249);
    expect(done).toBe(false);
    await fake.advance(1);
    await p;
    expect(done).toBe(true);
  });

  it('uniform: every wait within [min_ms, max_ms], spread across it', async () => {
    const { clock, fake, waits } = recordingClock();
    const t = createSimulatedTransport(
      { latency: { distribution: 'uniform', min_ms: 100, max_ms: 300 } },
      clock,
    );
    for (let i = 0; i < 200; i++) await settle(t.chat(request({ seed: i })), fake);
    expect(waits.every((w) => w >= 100 && w <= 300)).toBe(true);
    expect(Math.min(...waits)).toBeLessThan(120);
    expect(Math.max(...waits)).toBeGreaterThan(280);
  });

  it('lognormal: the median wait is near median_ms', async () => {
    const { clock, fake, waits } = recordingClock();
    const t = createSimulatedTransport(
      { latency: { distribution: 'lognormal', median_ms: 400, sigma: 0.5 } },
      clock,
    );
    for (let i = 0; i < 1000; i++) await settle(t.chat(request({ seed: i })), fake);
    const sorted = [...waits].sort((x, y) => x - y);
    const median = sorted[500]!;
    expect(median).toBeGreaterThan(400 * 0.9);
    expect(median).toBeLessThan(400 * 1.1);
  });

  it('aborting during the latency rejects with RUN_CANCELLED and leaves no sleeper', async () => {
    const fake = new FakeClock();
    const t = createSimulatedTransport({ latency: { distribution: 'fixed', ms: 1000 } }, fake);
    const controller = new AbortController();
    const p = t.chat(request({ signal: controller.signal }));
    await flushMicrotasks();
    expect(fake.pending).toBe(1);
    controller.abort();
    await expect(p).rejects.toMatchObject({ code: ErrorCodes.RUN_CANCELLED });
    expect(fake.pending).toBe(0);
  });
});

describe('SPEC 3.6 failures: simulated faults at their configured rates', () => {
  async function tally(settings: SimulatedSettings, n = 1000) {
    const fake = new FakeClock();
    const t = createSimulatedTransport(settings, fake);
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const code = await outcome(t.chat(request({ seed: i, timeoutMs: 5000 })), fake);
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    return counts;
  }

  it('rate_limit 0.2: about a fifth of requests are MODEL_RATE_LIMITED with Retry-After', async () => {
    const counts = await tally({ seed: 1, faults: { rate_limit: 0.2 } });
    const limited = counts.get(ErrorCodes.MODEL_RATE_LIMITED) ?? 0;
    expect(limited).toBeGreaterThan(150);
    expect(limited).toBeLessThan(250);
  });

  it('429 carries retry_after_s as retryAfterMs, or nothing for rate_limit_no_retry_after', async () => {
    const fake = new FakeClock();
    const with429 = createSimulatedTransport({ faults: { rate_limit: 1, retry_after_s: 3 } }, fake);
    await expect(with429.chat(request())).rejects.toMatchObject({
      code: ErrorCodes.MODEL_RATE_LIMITED,
      retryAfterMs: 3000,
    });
    const bare = createSimulatedTransport({ faults: { rate_limit_no_retry_after: 1 } }, fake);
    const err = await bare.chat(request()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.MODEL_RATE_LIMITED, retryAfterMs: undefined });
  });

  it('malformed 0.2 and timeout 0.1: MODEL_BAD_RESPONSE and MODEL_TIMEOUT at those rates', async () => {
    const counts = await tally({ seed: 2, faults: { malformed: 0.2, timeout: 0.1 } });
    const bad = counts.get(ErrorCodes.MODEL_BAD_RESPONSE) ?? 0;
    const timedOut = counts.get(ErrorCodes.MODEL_TIMEOUT) ?? 0;
    expect(bad).toBeGreaterThan(150);
    expect(bad).toBeLessThan(250);
    expect(timedOut).toBeGreaterThan(60);
    expect(timedOut).toBeLessThan(140);
  });

  it('500 and 503 are retried inside with backoff; about a fifth of requests need a retry', async () => {
    const { clock, fake, waits } = recordingClock();
    const t = createSimulatedTransport(
      { seed: 3, faults: { server_error: 0.1, unavailable: 0.1 } },
      clock,
    );
    let retried = 0;
    let failed = 0;
    for (let i = 0; i < 1000; i++) {
      try {
        if ((await settle(t.chat(request({ seed: i })), fake)).attempts > 1) retried++;
      } catch (e) {
        expect((e as TabsynthError).code).toBe(ErrorCodes.MODEL_SERVER);
        failed++;
      }
    }
    expect(retried + failed).toBeGreaterThan(150);
    expect(retried + failed).toBeLessThan(250);
    expect(failed).toBeLessThan(10); // 0.2^4 of 1000 is 1.6
    expect(waits.length).toBeGreaterThanOrEqual(retried);
  });

  it('a timeout fault waits the request timeout on the clock, then fails', async () => {
    const fake = new FakeClock();
    const t = createSimulatedTransport({ faults: { timeout: 1 } }, fake);
    let settled = false;
    const p = t.chat(request({ timeoutMs: 5000 })).finally(() => (settled = true));
    p.catch(() => {});
    await fake.advance(4999);
    expect(settled).toBe(false);
    await fake.advance(1);
    await expect(p).rejects.toMatchObject({ code: ErrorCodes.MODEL_TIMEOUT });
  });

  it('a latency beyond the request timeout is a MODEL_TIMEOUT', async () => {
    const fake = new FakeClock();
    const t = createSimulatedTransport({ latency: { distribution: 'fixed', ms: 9000 } }, fake);
    expect(await outcome(t.chat(request({ timeoutMs: 1000 })), fake)).toBe(
      ErrorCodes.MODEL_TIMEOUT,
    );
  });

  it('faults come from the transport seed, not from the request seeds', async () => {
    const sequence = async (faultSeed: number, requestSeedBase: number) => {
      const fake = new FakeClock();
      const t = createSimulatedTransport({ seed: faultSeed, faults: { rate_limit: 0.5 } }, fake);
      const codes: string[] = [];
      for (let i = 0; i < 40; i++)
        codes.push(await outcome(t.chat(request({ seed: requestSeedBase + i })), fake));
      return codes.join();
    };
    expect(await sequence(7, 0)).toBe(await sequence(7, 1000));
    expect(await sequence(7, 0)).not.toBe(await sequence(8, 0));
  });
});

describe('simulated provider settings', () => {
  it('refuses fault probabilities summing over 1, naming them', () => {
    expect(() =>
      createSimulatedTransport({ faults: { rate_limit: 0.7, server_error: 0.6 } }),
    ).toThrow(/faults: expected probabilities summing to at most 1, got 1\.3/);
  });

  it('refuses a uniform latency with min_ms above max_ms', () => {
    expect(() =>
      createSimulatedTransport({ latency: { distribution: 'uniform', min_ms: 5, max_ms: 1 } }),
    ).toThrow(/min_ms 5, max_ms 1/);
  });
});
