/**
 * A model transport wrapper that completes requests in a shuffled order: every
 * answer is held behind a deferred promise, and `drive` releases one held answer
 * at a time, picked by a seeded generator, yielding to the event loop between
 * releases so the engine can issue more requests. No timers, no sleeps.
 */
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelTransport,
} from '../../../src/core/models/types.ts';
import { Rng } from '../../../src/core/random/seed.ts';

interface Held {
  /** Position of the request among all requests, in the order they were issued. */
  issued: number;
  release: () => void;
}

export class ShuffledCompletions {
  #held: Held[] = [];
  #issued = 0;
  #rng: Rng;
  /** `issued` positions in the order their answers were released. */
  readonly releaseOrder: number[] = [];
  /** Most answers held at once. */
  maxHeld = 0;

  constructor(seed: number) {
    this.#rng = new Rng(seed);
  }

  wrap = (inner: ModelTransport): ModelTransport => {
    const transport: ModelTransport = {
      chat: (request: ChatRequest): Promise<ChatResponse> => this.#gate(inner.chat(request)),
    };
    const embed = inner.embed?.bind(inner);
    if (embed) {
      transport.embed = (request: EmbeddingRequest): Promise<EmbeddingResponse> =>
        this.#gate(embed(request));
    }
    return transport;
  };

  /** Releases held answers in a random order until `run` settles. */
  drive = async (run: Promise<unknown>): Promise<void> => {
    let settled = false;
    const done = (): void => {
      settled = true;
    };
    run.then(done, done);
    while (!settled) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#held.length === 0) continue;
      const [held] = this.#held.splice(this.#rng.int(this.#held.length), 1);
      this.releaseOrder.push(held!.issued);
      held!.release();
    }
  };

  async #gate<T>(answer: Promise<T>): Promise<T> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.#held.push({ issued: this.#issued++, release });
    this.maxHeld = Math.max(this.maxHeld, this.#held.length);
    try {
      return await answer;
    } finally {
      await gate;
    }
  }
}
