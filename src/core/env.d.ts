/**
 * The few host APIs core may use: those that Node 20, a Web Worker and a browser
 * page all provide with the same meaning. Core's tsconfig has neither DOM nor Node
 * types, so anything else fails to compile here.
 */

type TimerHandle = { readonly __timer: unique symbol } | number;
declare function setTimeout(callback: () => void, ms?: number): TimerHandle;
declare function clearTimeout(handle: TimerHandle | undefined): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;

declare const performance: { now(): number };

declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};

interface EventListenerOptionsLite {
  once?: boolean;
  signal?: AbortSignal;
}

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: EventListenerOptionsLite): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare const AbortSignal: {
  abort(reason?: unknown): AbortSignal;
  timeout(ms: number): AbortSignal;
  any(signals: AbortSignal[]): AbortSignal;
};

declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

/** The host's fetch; core code takes an injectable FetchLike (models/fetch.ts) and defaults to it. */
// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- a global .d.ts cannot import
declare const fetch: import('./models/fetch.ts').FetchLike;

declare const crypto: {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  randomUUID(): string;
  readonly subtle: {
    digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  };
};

/** A message round trip: a macrotask without setTimeout's 4 ms clamp on chained timers. */
interface MessagePortLite {
  onmessage: (() => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}
declare class MessageChannel {
  readonly port1: MessagePortLite;
  readonly port2: MessagePortLite;
}
