/**
 * The adaptive limit of SPEC 3.5 (Data Designer's request admission): on a 429 the
 * limit becomes max(1, floor(limit × decrease factor)) once per burst (429s that
 * arrive while the cooldown of an earlier one runs belong to the same burst), and
 * new requests wait out Retry-After, or the default cooldown when the server gave
 * none, zero or a negative one. After the cooldown, every `successes_until_increase`
 * successes add `additive_increase_step`, up to the cap. With a startup ramp the
 * limit starts at 1 and grows linearly to the cap over the ramp, unless a 429 ends
 * the ramp first.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { LimitNote } from './types.ts';

/** Data Designer's RequestAdmissionTuningConfig, in milliseconds where it says seconds. */
export interface AdmissionSettings {
  /** Factor in (0, 1) applied to the limit on a 429. Default 0.75. */
  decreaseFactor: number;
  /** Slots added per recovery window. Default 1. */
  increaseStep: number;
  /** Successes after the cooldown that earn `increaseStep`. Default 25. */
  successesUntilIncrease: number;
  /** Cooldown after a 429 without a usable Retry-After. Default 2000 ms. */
  cooldownMs: number;
  /** Ramp from 1 to the cap at the start; 0 for none. Default 0. */
  startupRampMs: number;
}

const DEFAULT_ADMISSION: Readonly<AdmissionSettings> = {
  decreaseFactor: 0.75,
  increaseStep: 1,
  successesUntilIncrease: 25,
  cooldownMs: 2000,
  startupRampMs: 0,
};

export class AimdController {
  readonly cap: number;
  readonly settings: Readonly<AdmissionSettings>;
  #limit: number;
  #successes = 0;
  #cooldownUntil = Number.NEGATIVE_INFINITY;
  #rampStart: number;
  #ramping: boolean;

  constructor(cap: number, now: number, settings: Partial<AdmissionSettings> = {}) {
    this.cap = cap;
    this.settings = checkSettings({ ...DEFAULT_ADMISSION, ...settings });
    this.#limit = cap;
    this.#rampStart = now;
    this.#ramping = this.settings.startupRampMs > 0 && cap > 1;
  }

  /** The adaptive limit at `now` (the ramp's, while it runs). */
  limit(now: number): number {
    if (!this.#ramping) return this.#limit;
    const elapsed = now - this.#rampStart;
    if (elapsed >= this.settings.startupRampMs) {
      this.#ramping = false;
      return this.#limit;
    }
    return Math.min(this.#limit, rampLimit(this.cap, elapsed, this.settings.startupRampMs));
  }

  /** When the ramp next raises the limit; undefined when it does not run. */
  nextRampStep(now: number): number | undefined {
    if (!this.#ramping) return undefined;
    const { startupRampMs } = this.settings;
    const next = this.limit(now) + 1;
    if (!this.#ramping) return undefined;
    return this.#rampStart + Math.ceil(((next - 1) / (this.cap - 1)) * startupRampMs);
  }

  /** Why this controller's limit is below the cap at `now`, and what lifts it, in this run's figures. */
  lowered(now: number): LimitNote {
    const { increaseStep, successesUntilIncrease, startupRampMs } = this.settings;
    if (this.limit(now) < this.#limit) {
      return {
        reason: `starting: it ramps up from 1 to ${this.cap} over ${startupRampMs / 1000} s (startup_ramp_seconds)`,
        fix: 'none needed: it reaches the cap when the ramp ends',
      };
    }
    return {
      reason: 'lowered after the endpoint answered 429 (rate limited)',
      fix: `none needed: it grows back by ${increaseStep === 1 ? 'one' : increaseStep} every ${successesUntilIncrease} successes`,
    };
  }

  /** End of the cooldown of the last 429 (−∞ before any). */
  get cooldownUntil(): number {
    return this.#cooldownUntil;
  }

  /** A 429: decrease once per burst, cool down for Retry-After or the default. */
  rateLimited(now: number, retryAfterMs: number | undefined): void {
    const wait =
      retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : this.settings.cooldownMs;
    if (now >= this.#cooldownUntil) {
      const current = this.limit(now);
      this.#ramping = false;
      this.#limit = Math.max(1, Math.floor(current * this.settings.decreaseFactor));
    }
    this.#cooldownUntil = Math.max(this.#cooldownUntil, now + wait);
    this.#successes = 0;
  }

  /** A success: after the cooldown, count towards the next increase. */
  succeeded(now: number): void {
    if (now < this.#cooldownUntil || this.#limit >= this.cap) return;
    if (++this.#successes >= this.settings.successesUntilIncrease) {
      this.#successes = 0;
      this.#limit = Math.min(this.cap, this.#limit + this.settings.increaseStep);
    }
  }
}

function rampLimit(cap: number, elapsed: number, ramp: number): number {
  return Math.max(1, 1 + Math.floor(((cap - 1) * elapsed) / ramp));
}

function checkSettings(s: AdmissionSettings): AdmissionSettings {
  const bad = (what: string, expected: string, got: number) =>
    new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `request admission ${what}: expected ${expected}, got ${String(got)}`,
    );
  if (!(s.decreaseFactor > 0 && s.decreaseFactor < 1))
    throw bad('decrease factor', 'a number in (0, 1)', s.decreaseFactor);
  if (!Number.isInteger(s.increaseStep) || s.increaseStep < 1)
    throw bad('increase step', 'an integer >= 1', s.increaseStep);
  if (!Number.isInteger(s.successesUntilIncrease) || s.successesUntilIncrease < 1)
    throw bad('successes until increase', 'an integer >= 1', s.successesUntilIncrease);
  if (!(s.cooldownMs > 0)) throw bad('cooldown', 'a positive duration', s.cooldownMs);
  if (!(s.startupRampMs >= 0)) throw bad('startup ramp', 'a duration >= 0', s.startupRampMs);
  return s;
}
