/**
 * Shared set-up of the OpenAI transport tests: a real server per test, a transport
 * pointed at it with a recording FakeClock, and helpers to settle calls whose
 * backoff waits run on that clock while real I/O happens.
 */
import { expect } from 'vitest';
import { FakeClock, type Clock } from '../../../src/core/clock.ts';
import { TabsynthError } from '../../../src/core/errors.ts';
import {
  createOpenAITransport,
  type OpenAITransportOptions,
} from '../../../src/core/models/openai.ts';
import type { ChatRequest } from '../../../src/core/models/types.ts';
import {
  startOpenAIServer,
  type OpenAIServer,
  type OpenAIServerOptions,
} from '../../support/openai-server.ts';

/** A fake key; the tests check it never leaves the Authorization header. */
export const API_KEY = 'sk-test-5ecret-key-0123456789';

const open = new Set<OpenAIServer>();

/** Closes every server a test started (call in afterEach). */
export async function closeServers(): Promise<void> {
  await Promise.all([...open].map((s) => s.close()));
  open.clear();
}

/** Closes one server now (e.g. to get a refused connection). */
export async function closeServer(server: OpenAIServer): Promise<void> {
  open.delete(server);
  await server.close();
}

/** A FakeClock that also records every wait asked of it. */
export function recordingClock(): { clock: Clock; fake: FakeClock; waits: number[] } {
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

/** A server scripted by `serverOptions` and a transport on it (jitter fixed at 0.5). */
export async function setup(
  serverOptions: OpenAIServerOptions,
  options: Partial<OpenAITransportOptions> = {},
) {
  const server = await startOpenAIServer(serverOptions);
  open.add(server);
  const { clock, fake, waits } = recordingClock();
  const transport = createOpenAITransport({
    endpoint: server.url,
    apiKey: API_KEY,
    clock,
    random: () => 0.5,
    ...options,
  });
  return { server, transport, fake, waits };
}

/** Settles `p` while real I/O runs, waking the fake clock's sleepers as they appear. */
export async function settle<T>(p: Promise<T>, fake: FakeClock): Promise<T> {
  let done = false;
  const tracked = p.finally(() => {
    done = true;
  });
  tracked.catch(() => {});
  while (!done) {
    if (fake.pending > 0) await fake.runNext();
    else await new Promise((resolve) => setImmediate(resolve));
  }
  return tracked;
}

/** The TabsynthError `p` rejects with (failing the test when it does not reject). */
export async function failure(p: Promise<unknown>, fake?: FakeClock): Promise<TabsynthError> {
  const err = await (fake ? settle(p, fake) : p).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TabsynthError);
  return err as TabsynthError;
}

export function chatRequest(extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'test-model',
    messages: [
      { role: 'system', content: 'You write product names.' },
      { role: 'user', content: 'Name a tea.' },
    ],
    seed: 1,
    ...extra,
  };
}
