/**
 * The connection budget of where the engine runs (SPEC 3.5): a browser opens at
 * most six HTTP/1.1 connections per origin, and speaks HTTP/2 only over TLS, so
 * every `http://` endpoint caps a tab at six requests at once, shared by every
 * model on that origin. A request queued past that would wait inside the browser
 * with its timeout running and be counted in flight while the server never saw it;
 * so the engine queues it here instead, before fetch.
 *
 * `ConnectionBudget` is one origin's semaphore; `ConnectionBudgets` holds one per
 * origin. `browserConnectionLimit` says which endpoints a browser caps.
 */
import { cancelledError, ErrorCodes, TabsynthError } from '../errors.ts';
import { enqueueWaiter, type QueuedWaiter } from './wait-queue.ts';

/** Connections a browser opens to one HTTP/1.1 origin (Chromium, Firefox and Safari alike). */
export const BROWSER_CONNECTIONS_PER_ORIGIN = 6;

/** Why an origin's connections are capped, and what lifts the cap: what the run panel shows. */
export interface ConnectionLimit {
  /** The endpoint's origin, e.g. `http://127.0.0.1:8000`. */
  origin: string;
  /** Requests at once to that origin. */
  limit: number;
  /** The cause, in words, e.g. "the browser opens at most 6 connections to http://127.0.0.1:8000". */
  reason: string;
  /** What lifts it. */
  fix: string;
}

/** Decides an endpoint's connection limit where the engine runs; undefined: not capped. */
export type ConnectionPolicy = (endpoint: string) => ConnectionLimit | undefined;

/**
 * A page's or worker's policy: `http://` endpoints get six connections per origin;
 * `https://` ones may use HTTP/2 (many requests over one connection) and are not
 * capped. Through the relay (`npx tabsynth serve`) nothing is capped: Node makes
 * the requests.
 */
export function browserConnectionLimit(endpoint: string): ConnectionLimit | undefined {
  const origin = httpOrigin(endpoint);
  if (origin === undefined) return undefined;
  return {
    origin,
    limit: BROWSER_CONNECTIONS_PER_ORIGIN,
    reason: `the browser opens at most ${BROWSER_CONNECTIONS_PER_ORIGIN} connections to ${origin} (HTTP/1.1), shared by every model there`,
    fix: 'open the app with npx tabsynth serve (its relay lifts the limit), or put HTTPS with HTTP/2 in front of the server',
  };
}

/** The origin of a plain-http URL (`http://host:port`, default port left out), else undefined. */
export function httpOrigin(endpoint: string): string | undefined {
  const m = /^http:\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(endpoint.trim());
  if (!m) return undefined;
  const host = m[1]!.toLowerCase().replace(/:80$/, '');
  return `http://${host}`;
}

interface Waiter extends QueuedWaiter {
  resolve: () => void;
}

/** One origin's connections: a FIFO semaphore of `limit` slots. */
export class ConnectionBudget {
  readonly limit: number;
  #inUse = 0;
  #waiters: Waiter[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `connection budget: expected an integer >= 1, got ${String(limit)}`,
      );
    }
    this.limit = limit;
  }

  /** Connections held now. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Requests waiting for a connection now. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Takes a connection at once when one is free and nobody waits; never waits. */
  tryAcquire(): boolean {
    if (this.#waiters.length > 0 || this.#inUse >= this.limit) return false;
    this.#inUse++;
    return true;
  }

  /** Waits for a connection and takes it; rejects with RUN_CANCELLED when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError(signal));
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      enqueueWaiter(this.#waiters, { resolve, reject, unsubscribe: undefined }, signal);
    });
  }

  /** Gives a connection back; the longest waiter gets it. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) {
      next.unsubscribe?.();
      next.resolve();
      return;
    }
    if (this.#inUse > 0) this.#inUse--;
  }
}

/**
 * One ConnectionBudget per capped origin, shared by every model on it. Runs and
 * previews of one engine share `sharedConnectionBudgets`: the browser's six
 * connections are the page's (and its workers'), not one run's.
 */
export class ConnectionBudgets {
  readonly #budgets = new Map<string, ConnectionBudget>();

  /** The budget of `limit.origin` (made on first use; a later, smaller limit does not shrink it). */
  budgetOf(limit: ConnectionLimit): ConnectionBudget {
    let budget = this.#budgets.get(limit.origin);
    if (!budget) {
      budget = new ConnectionBudget(limit.limit);
      this.#budgets.set(limit.origin, budget);
    }
    return budget;
  }
}

/** The budgets of where this code runs, shared by every run and preview of the engine here. */
export const sharedConnectionBudgets = new ConnectionBudgets();
