/**
 * The live JS heap of a page's dedicated worker (the engine worker), read over the
 * Chrome DevTools Protocol: a CDP session on the page auto-attaches to its workers
 * (non-flattened, so messages to a worker travel as Target.sendMessageToTarget
 * through the one Playwright session), then asks the worker's V8 for
 * Runtime.getHeapUsage (used bytes) or HeapProfiler.collectGarbage.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export class WorkerHeapProbe {
  readonly #session: CDPSession;
  readonly #sessionId: string;
  #nextId = 1;
  readonly #waiting = new Map<number, (result: Record<string, unknown>) => void>();

  private constructor(session: CDPSession, sessionId: string) {
    this.#session = session;
    this.#sessionId = sessionId;
    session.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message) as {
        id?: number;
        result?: Record<string, unknown>;
      };
      if (message.id === undefined) return;
      this.#waiting.get(message.id)?.(message.result ?? {});
      this.#waiting.delete(message.id);
    });
  }

  /** Attaches to the page's worker whose URL contains `urlPart`. */
  static async attach(
    context: BrowserContext,
    page: Page,
    urlPart: string,
  ): Promise<WorkerHeapProbe> {
    const session = await context.newCDPSession(page);
    const attached = new Promise<string>((resolve) => {
      session.on('Target.attachedToTarget', (event) => {
        if (event.targetInfo.url.includes(urlPart)) resolve(event.sessionId);
      });
    });
    await session.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: false,
      flatten: false,
    });
    return new WorkerHeapProbe(session, await attached);
  }

  #send(method: string, params: object = {}): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const reply = new Promise<Record<string, unknown>>((resolve) => this.#waiting.set(id, resolve));
    void this.#session.send('Target.sendMessageToTarget', {
      sessionId: this.#sessionId,
      message: JSON.stringify({ id, method, params }),
    });
    return reply;
  }

  /** Bytes of the worker's JS heap in use now. */
  async heapUsed(): Promise<number> {
    const r = await this.#send('Runtime.getHeapUsage');
    return Number(r['usedSize']);
  }

  /** A full garbage collection in the worker. */
  async collectGarbage(): Promise<void> {
    await this.#send('HeapProfiler.collectGarbage');
  }

  /** Samples heapUsed every `intervalMs` until `stop()`; resolves with the peak and every sample. */
  sample(intervalMs = 100): {
    stop(): Promise<{ peak: number; samples: number; series: number[] }>;
  } {
    let running = true;
    let peak = 0;
    let samples = 0;
    const series: number[] = [];
    const loop = (async () => {
      while (running) {
        const used = await this.heapUsed();
        series.push(used);
        peak = Math.max(peak, used);
        samples++;
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return { peak, samples, series };
      },
    };
  }
}
