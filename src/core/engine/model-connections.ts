/**
 * The connection side of a model call (SPEC 3.5): after its limiter slot, a request
 * to a capped origin also takes one of the origin's connections (ConnectionBudget),
 * shared by every model on that origin, and waits for one here, in the engine, so
 * the browser never queues it with its timeout running. A task waiting for a
 * connection hands its in-flight slot back, as it does for its limiter.
 *
 * It also counts each model's requests on the wire, so the progress's in-flight
 * figure is what the server sees, and it names the effective limit's cause.
 */
import {
  sharedConnectionBudgets,
  type ConnectionBudgets,
  type ConnectionBudget,
  type ConnectionLimit,
} from '../models/connection-budget.ts';
import type { LimitNote } from '../models/types.ts';
import type { ModelProgress } from './events.ts';
import type { PlanModel } from './plan.ts';

/** What ModelConnections needs of the scheduler while a request waits. */
interface ParkingSlots {
  parkSlot(): void;
  unparkSlot(): void;
}

/** What a model's limiter shows (RequestLimiter's getters). */
interface LimiterView {
  readonly limit: number;
  readonly cap: number;
  readonly waiting: number;
  /** Why `limit` is below `cap`, in words; undefined when it is not. */
  readonly lowered: LimitNote | undefined;
}

export class ModelConnections {
  readonly #budgets = new Map<string, { budget: ConnectionBudget; limit: ConnectionLimit }>();
  readonly #onWire = new Map<string, number>();
  readonly #waiting = new Map<string, number>();

  /** `budgets`: default the engine's shared ones (a preview and a run share an origin's connections). */
  constructor(models: readonly PlanModel[], budgets: ConnectionBudgets = sharedConnectionBudgets) {
    for (const m of models) {
      this.#onWire.set(m.key, 0);
      this.#waiting.set(m.key, 0);
      if (m.connection) {
        this.#budgets.set(m.key, { budget: budgets.budgetOf(m.connection), limit: m.connection });
      }
    }
  }

  /** Requests of model `key` sent and not yet answered. */
  onWire(key: string): number {
    return this.#onWire.get(key) ?? 0;
  }

  /** Takes a connection for model `key` when its origin has one free (or is not capped); never waits. */
  tryAcquire(key: string): boolean {
    const entry = this.#budgets.get(key);
    if (entry && !entry.budget.tryAcquire()) return false;
    this.#add(this.#onWire, key, 1);
    return true;
  }

  /** Waits for a connection of model `key`'s origin, its task's in-flight slot parked meanwhile. */
  async acquire(key: string, slots: ParkingSlots, signal: AbortSignal): Promise<void> {
    const entry = this.#budgets.get(key);
    if (entry) {
      slots.parkSlot();
      this.#add(this.#waiting, key, 1);
      try {
        await entry.budget.acquire(signal);
      } finally {
        this.#add(this.#waiting, key, -1);
        slots.unparkSlot();
      }
    }
    this.#add(this.#onWire, key, 1);
  }

  /** The request of model `key` was answered (or failed): its connection is free. */
  release(key: string): void {
    this.#add(this.#onWire, key, -1);
    this.#budgets.get(key)?.budget.release();
  }

  /** Model `key`'s effective limit, in-flight and waiting figures, and the limit's cause. */
  progress(
    key: string,
    limiter: LimiterView,
  ): Pick<ModelProgress, 'limit' | 'inFlight' | 'waiting' | 'reason' | 'fix'> {
    const entry = this.#budgets.get(key);
    const connections = entry?.budget.limit ?? Infinity;
    const figures = {
      limit: Math.min(limiter.limit, connections),
      inFlight: this.onWire(key),
      waiting: limiter.waiting + (this.#waiting.get(key) ?? 0),
    };
    if (entry && connections < limiter.limit) {
      return { ...figures, reason: entry.limit.reason, fix: entry.limit.fix };
    }
    const lowered = limiter.lowered;
    return lowered ? { ...figures, reason: lowered.reason, fix: lowered.fix } : figures;
  }

  #add(counts: Map<string, number>, key: string, n: number): void {
    counts.set(key, Math.max(0, (counts.get(key) ?? 0) + n));
  }
}
