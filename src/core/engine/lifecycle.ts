/**
 * The run's lifecycle (SPEC 3.3-3.7) as one state machine. Every allowed
 * transition is listed in RUN_TRANSITIONS; anything else is a bug of ours and
 * throws INTERNAL. The run (run.ts) is the only object that moves it; the
 * scheduler reads it to know whether it may admit row groups and start tasks.
 *
 *   admitting -> draining -> finalizing -> done
 *        \           \          ^
 *         +----------+-> stopping   (early shutdown: open groups commit what finished)
 *   any state but done -> aborting -> done   (cancel, a failed commit or processor, a bug)
 *
 * Salvage is not a state of the run: SPEC 3.6 salvages each row group as soon as it
 * stalls (set-aside tasks, nothing running), while the others go on; a group's
 * rounds are counted on the group (row-group.ts), and a group's own phases (open,
 * committing, halted) are listed in GROUP_TRANSITIONS there.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';

export type RunState =
  /** Row groups are still waiting for a slot; tasks run. */
  | 'admitting'
  /** Every row group has been admitted; the open ones finish. */
  | 'draining'
  /** Early shutdown: no new row groups or tasks; open groups commit the rows they finished. */
  | 'stopping'
  /** No task runs any more; the last commits settle and the final manifest is written. */
  | 'finalizing'
  /** Cancelled or failed: tasks are abandoned; the manifest is written with the run's status. */
  | 'aborting'
  /** The run's promise has settled. */
  | 'done';

/** Every allowed transition, in one place. */
export const RUN_TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  admitting: ['draining', 'stopping', 'aborting'],
  draining: ['finalizing', 'stopping', 'aborting'],
  stopping: ['finalizing', 'aborting'],
  finalizing: ['done', 'aborting'],
  aborting: ['done'],
  done: [],
};

export class RunLifecycle {
  #state: RunState = 'admitting';
  readonly #onChange: ((from: RunState, to: RunState) => void) | undefined;

  constructor(onChange?: (from: RunState, to: RunState) => void) {
    this.#onChange = onChange;
  }

  get state(): RunState {
    return this.#state;
  }

  /** New row groups may be admitted and new tasks started. */
  get acceptsTasks(): boolean {
    return this.#state === 'admitting' || this.#state === 'draining';
  }

  /** The run is ending: its outcome is decided (finalizing, aborting, done). */
  get ending(): boolean {
    return this.#state === 'finalizing' || this.#state === 'aborting' || this.#state === 'done';
  }

  /** Whether `to` is an allowed next state. */
  can(to: RunState): boolean {
    return RUN_TRANSITIONS[this.#state].includes(to);
  }

  /** Moves to `to`; throws INTERNAL when the transition is not listed. */
  to(to: RunState): void {
    const from = this.#state;
    if (!RUN_TRANSITIONS[from].includes(to)) {
      throw new TabsynthError(
        ErrorCodes.INTERNAL,
        `run lifecycle: expected a transition listed for "${from}" (${RUN_TRANSITIONS[from].join(', ') || 'none'}), found "${from}" -> "${to}"`,
        { from, to },
      );
    }
    this.#state = to;
    this.#onChange?.(from, to);
  }
}
