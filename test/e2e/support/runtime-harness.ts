/**
 * window.harness: the engine client driven from Playwright's page.evaluate, for the
 * runtime e2e test and the browser benchmarks. Runs are started without awaiting;
 * their progress, outcome or error land on the harness for the test to poll.
 */
import type { Progress } from '../../../src/core/engine/events.ts';
import { TabsynthError } from '../../../src/core/errors.ts';
import { createEngineClient } from '../../../src/runtime/client.ts';
import type {
  ExportFormat,
  RowRange,
  RunOutcome,
  RunOverrides,
  RunSummary,
} from '../../../src/runtime/engine-api.ts';
import type { ParquetCompression } from '../../../src/core/export/parquet.ts';

export interface Harness {
  /** Latest progress of the run started last. */
  progress: Progress | null;
  /** Its outcome once it ended. */
  outcome: RunOutcome | null;
  /** Its error as { code, message } if it failed. */
  error: { code: string; message: string } | null;
  /** performance.now() when it started and ended (benchmarks). */
  startedAt: number;
  endedAt: number;
  start(config: string, runId: string, overrides: RunOverrides, simulate?: boolean): void;
  resume(runId: string): void;
  list(): Promise<RunSummary[]>;
  /** Exports and returns the file as base64, with timings (ms). */
  exportBase64(
    runId: string,
    format?: ExportFormat,
    compression?: ParquetCompression,
  ): Promise<{ base64: string; bytes: number; rows: number; ms: number }>;
  /** Exports to a Blob and returns only its size and timing (benchmarks). */
  exportTimed(
    runId: string,
    compression?: ParquetCompression,
  ): Promise<{ bytes: number; rows: number; ms: number }>;
  /** Reads a page of a stored run; returns its row count, view size and timing (ms). */
  readTimed(runId: string, range: RowRange): Promise<{ rows: number; matched: number; ms: number }>;
  /** Profiles a stored run; returns rows profiled and timing (ms). */
  profileTimed(runId: string): Promise<{ rows: number; ms: number }>;
  /** The raw steps of bench/support/raw-steps.ts (loaded on demand). */
  rawSteps(config: string, overrides: RunOverrides): Promise<unknown>;
}

const client = createEngineClient();

const harness: Harness = {
  progress: null,
  outcome: null,
  error: null,
  startedAt: 0,
  endedAt: 0,
  start(config, runId, overrides, simulate = true) {
    track(client.startRun({ config, runId, overrides, simulate }, { onProgress }));
  },
  resume(runId) {
    track(client.resumeRun(runId, {}, { onProgress }));
  },
  list: () => client.listRuns(),
  async exportTimed(runId, compression = 'zstd') {
    const t0 = performance.now();
    const result = await client.exportRun({ runId, format: 'parquet', compression });
    return { bytes: result.bytes, rows: result.rows, ms: performance.now() - t0 };
  },
  async readTimed(runId, range) {
    const t0 = performance.now();
    const page = await client.readRows(runId, range);
    return { rows: page.rows.length, matched: page.matched, ms: performance.now() - t0 };
  },
  async profileTimed(runId) {
    const t0 = performance.now();
    const profile = await client.profileRun(runId);
    return { rows: profile.rows, ms: performance.now() - t0 };
  },
  async rawSteps(config, overrides) {
    const { rawSteps } = await import('../../../bench/support/raw-steps.ts');
    return rawSteps(config, overrides);
  },
  async exportBase64(runId, format = 'parquet', compression = 'zstd') {
    const t0 = performance.now();
    const result = await client.exportRun({ runId, format, compression });
    const ms = performance.now() - t0;
    const bytes = new Uint8Array(await result.blob!.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return { base64: btoa(binary), bytes: bytes.length, rows: result.rows, ms };
  },
};

function onProgress(p: Progress): void {
  harness.progress = p;
}

function track(run: Promise<RunOutcome>): void {
  harness.progress = null;
  harness.outcome = null;
  harness.error = null;
  harness.startedAt = performance.now();
  run.then(
    (o) => {
      harness.endedAt = performance.now();
      harness.outcome = o;
    },
    (e: unknown) =>
      (harness.error =
        e instanceof TabsynthError
          ? { code: e.code, message: e.message }
          : { code: 'UNKNOWN', message: String(e) }),
  );
}

(window as unknown as { harness: Harness }).harness = harness;
document.getElementById('state')!.textContent = 'ready';
