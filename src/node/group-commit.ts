/**
 * Group commit of one run directory's manifest (SPEC 3.7, 3.8). A commit puts its
 * part files in place (atomically, not yet fsynced) and hands over the manifest that
 * lists them; a checkpoint then fsyncs every part placed since the previous one and
 * writes the newest manifest after them (atomically and durably). A checkpoint starts
 * as soon as a commit arrives and none is running; the commits that arrive while one
 * runs share the next. A slow run (model calls) so gets a checkpoint per commit; a
 * fast one (samplers: hundreds of row groups a second, several shards on one disk)
 * a few fsyncs per batch instead of four per group, and its manifest, which grows
 * with the run, written once per batch instead of once per group. Checkpoints are
 * spaced so writing the manifest takes at most a fifth of the time: the next starts
 * no sooner than four times the last manifest write after it (at most a second). A
 * run of ten thousand groups, whose manifest takes milliseconds to write, so spends
 * no more on it than a small one; syncing the parts is not counted (its cost is per
 * group, whatever the batch). A commit after a quiet spell is checkpointed at once,
 * and so is everything pending when someone waits (`save`, `settled`).
 *
 * The manifest on disk names only parts that were durable before it was written, so
 * no crash (a kill or a power loss) leaves a listed group missing. A kill loses at
 * most the groups committed during the last checkpoint: their parts are on disk but
 * unlisted, and a resumed run generates them again, with the same values.
 *
 * A checkpoint that fails is reported once, to the next `add`, `save` or `settled`;
 * its parts stay pending, so the next checkpoint makes them durable before a
 * manifest names them.
 */
import { systemClock, type Clock } from '../core/clock.ts';
import type { RunManifest } from '../core/storage/types.ts';

/** A manifest write that took D ms is followed by a pause of SPACING x D ms... */
const SPACING = 4;
/** ...but no longer than this. */
const MAX_PAUSE_MS = 1000;

export interface GroupCommitIo {
  /** Makes the files durable (data and directory entries). */
  syncFiles(paths: readonly string[]): Promise<void>;
  /** Writes the manifest atomically and durably. */
  writeManifest(manifest: RunManifest): Promise<void>;
}

export class GroupCommit {
  readonly #io: GroupCommitIo;
  /** Files placed since the last checkpoint, not yet durable. */
  #files: string[] = [];
  /** The newest manifest handed over and not yet written. */
  #manifest: RunManifest | undefined;
  #running: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;
  #checkpoints = 0;
  readonly #clock: Clock;
  /** When the next checkpoint may start (clock ms). */
  #notBefore = -Infinity;
  /** Callers waiting in `settled`: while any, checkpoints do not pause. */
  #waiting = 0;
  /** Aborted to cut a pause short when a caller starts waiting. */
  #hurry = new AbortController();

  constructor(io: GroupCommitIo, clock: Clock = systemClock) {
    this.#io = io;
    this.#clock = clock;
  }

  /** Manifests written so far. */
  get checkpoints(): number {
    return this.#checkpoints;
  }

  /** Files handed over and not yet durable. */
  get pendingFiles(): number {
    return this.#files.length;
  }

  /**
   * `files` are in place under their final names and `manifest` lists them: a
   * checkpoint writes it once they are durable. The manifest is copied (the engine
   * grows its `committed` list in place after a commit settles).
   */
  add(files: readonly string[], manifest: RunManifest): void {
    this.#throwFailure();
    this.#files.push(...files);
    this.#manifest = { ...manifest, committed: manifest.committed.slice() };
    this.#running ??= this.#drain();
  }

  /** Writes `manifest` after every pending file is durable; resolves once it is written. */
  async save(manifest: RunManifest): Promise<void> {
    this.add([], manifest);
    await this.settled();
  }

  /**
   * Resolves once every manifest handed over is written; rejects with a failed
   * checkpoint's error (and, called again, tries what that checkpoint left pending).
   */
  async settled(): Promise<void> {
    this.#waiting++;
    this.#hurry.abort();
    try {
      await this.#settle();
    } finally {
      if (--this.#waiting === 0) this.#hurry = new AbortController();
    }
  }

  async #settle(): Promise<void> {
    for (;;) {
      if (this.#running) {
        await this.#running;
        continue;
      }
      this.#throwFailure();
      if (!this.#manifest) return;
      this.#running = this.#drain();
    }
  }

  #throwFailure(): void {
    const failure = this.#failure;
    if (!failure) return;
    this.#failure = undefined;
    throw failure.error;
  }

  /** Checkpoints until nothing is pending; never rejects (a failure waits in #failure). */
  async #drain(): Promise<void> {
    try {
      while (this.#manifest) {
        const pause = this.#notBefore - this.#clock.now();
        if (pause > 0 && this.#waiting === 0) {
          await this.#clock.sleep(pause, this.#hurry.signal).catch(() => undefined);
        }
        const files = this.#files;
        const manifest = this.#manifest;
        this.#files = [];
        this.#manifest = undefined;
        try {
          if (files.length > 0) await this.#io.syncFiles(files);
          const started = this.#clock.now();
          await this.#io.writeManifest(manifest);
          this.#checkpoints++;
          const ended = this.#clock.now();
          this.#notBefore = ended + Math.min(MAX_PAUSE_MS, SPACING * (ended - started));
        } catch (error) {
          this.#files = [...files, ...this.#files];
          this.#manifest ??= manifest;
          this.#failure = { error };
          return;
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
