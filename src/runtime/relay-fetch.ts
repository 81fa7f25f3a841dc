/**
 * The tab's side of the model relay (`npx tabsynth serve`, SPEC 5): a FetchLike that
 * sends each request over one WebSocket to the relay, tagged with an id, and
 * resolves with the relay's answer. The engine worker's OpenAI clients use it
 * unchanged when the page was served by the relay; served statically, the page has
 * no relay and calls endpoints with fetch as before.
 *
 * The socket opens on the first request and again after it closed; requests open
 * when it closes fail as network errors (the engine's retries take them).
 */
import type { FetchLike, RequestInitLike, ResponseLike } from '../core/models/fetch.ts';
import { localNetworkFetch } from './local-network-fetch.ts';
import {
  RELAY_META_NAME,
  parseServerMessage,
  relayInfoFrom,
  type RelayInfo,
  type RelayRequest,
  type RelayServerMessage,
} from './relay-protocol.ts';

/** The WebSocket the client needs (the browser's; a test may hand in another). */
export type SocketFactory = (url: string) => WebSocket;

/** WebSocket.OPEN, spelt out: a host without a global WebSocket may still hand one in. */
const OPEN = 1;

interface Pending {
  settle: (message: RelayServerMessage) => void;
  fail: (err: Error) => void;
}

export class RelayClient {
  readonly #info: RelayInfo;
  readonly #createSocket: SocketFactory;
  readonly #pending = new Map<number, Pending>();
  #socket: Promise<WebSocket> | undefined;
  #nextId = 1;

  constructor(info: RelayInfo, createSocket: SocketFactory = (url) => new WebSocket(url)) {
    this.#info = info;
    this.#createSocket = createSocket;
  }

  /** Requests waiting for their answer now. */
  get pending(): number {
    return this.#pending.size;
  }

  /** fetch, through the relay. */
  readonly fetch: FetchLike = (url, init) => this.#request(url, init ?? {});

  /** Closes the socket; requests still open fail. */
  close(): void {
    void this.#socket?.then(
      (ws) => ws.close(1000, 'closed'),
      () => undefined,
    );
    this.#socket = undefined;
  }

  async #request(url: string, init: RequestInitLike): Promise<ResponseLike> {
    const { signal } = init;
    signal?.throwIfAborted();
    const ws = await this.#open();
    signal?.throwIfAborted();
    const id = this.#nextId++;
    const message: RelayRequest = {
      type: 'request',
      id,
      url,
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: init.body } : {}),
    };
    const answer = await new Promise<RelayServerMessage>((settle, fail) => {
      const onAbort = () => {
        this.#pending.delete(id);
        if (ws.readyState === OPEN) ws.send(JSON.stringify({ type: 'abort', id }));
        fail(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        settle: (m) => {
          signal?.removeEventListener('abort', onAbort);
          settle(m);
        },
        fail: (err) => {
          signal?.removeEventListener('abort', onAbort);
          fail(err);
        },
      });
      ws.send(JSON.stringify(message));
    });
    if (answer.type === 'failure') {
      throw new TypeError(
        answer.refused ? `refused by the tabsynth relay: ${answer.message}` : answer.message,
      );
    }
    const headers = answer.headers;
    return {
      ok: answer.status >= 200 && answer.status < 300,
      status: answer.status,
      statusText: answer.statusText,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
      text: () => Promise.resolve(answer.body),
    };
  }

  #open(): Promise<WebSocket> {
    this.#socket ??= new Promise<WebSocket>((resolve, reject) => {
      const where = this.#info.url.replace(/\?.*$/, '');
      const ws = this.#createSocket(this.#info.url);
      ws.addEventListener('open', () => resolve(ws), { once: true });
      // A failed connection is reported by the close that follows.
      ws.addEventListener('error', () => undefined);
      ws.addEventListener('message', (event: MessageEvent) => {
        const message = typeof event.data === 'string' ? parseServerMessage(event.data) : undefined;
        const pending = message && this.#pending.get(message.id);
        if (!message || !pending) return;
        this.#pending.delete(message.id);
        pending.settle(message);
      });
      ws.addEventListener('close', (event: CloseEvent) => {
        this.#socket = undefined;
        const err = new TypeError(
          `the connection to the tabsynth relay at ${where} closed (code ${event.code}): is \`npx tabsynth serve\` still running?`,
        );
        reject(err);
        for (const p of this.#pending.values()) p.fail(err);
        this.#pending.clear();
      });
    });
    return this.#socket;
  }
}

/** The relay of the page this code runs in (its meta tag), or undefined when it was served statically. */
export function pageRelayInfo(): RelayInfo | undefined {
  if (typeof document === 'undefined') return undefined;
  const meta = document.querySelector(`meta[name="${RELAY_META_NAME}"]`);
  return relayInfoFrom(meta?.getAttribute('content'), location);
}

let pageClient: RelayClient | undefined;

/** The fetch the page itself uses for endpoints: through its relay when it has one, else the browser's. */
export function pageFetch(): FetchLike {
  const info = pageRelayInfo();
  if (!info) return localNetworkFetch();
  pageClient ??= new RelayClient(info);
  return pageClient.fetch;
}
