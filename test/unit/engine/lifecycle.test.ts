import { describe, expect, it } from 'vitest';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import {
  RUN_TRANSITIONS,
  RunLifecycle,
  type RunState,
} from '../../../src/core/engine/lifecycle.ts';
import {
  describeGenerators,
  GROUP_TRANSITIONS,
  RowGroup,
} from '../../../src/core/engine/row-group.ts';
import { column } from './helpers.ts';

const STATES = Object.keys(RUN_TRANSITIONS) as RunState[];

/** A lifecycle moved to `target` along listed transitions (breadth first from admitting). */
function lifecycleAt(target: RunState): RunLifecycle {
  const paths = new Map<RunState, RunState[]>([['admitting', []]]);
  const todo: RunState[] = ['admitting'];
  while (todo.length > 0) {
    const s = todo.shift()!;
    for (const n of RUN_TRANSITIONS[s]) {
      if (!paths.has(n)) {
        paths.set(n, [...paths.get(s)!, n]);
        todo.push(n);
      }
    }
  }
  const path = paths.get(target);
  if (path === undefined) throw new Error(`${target} cannot be reached`);
  const l = new RunLifecycle();
  for (const s of path) l.to(s);
  return l;
}

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('the run lifecycle', () => {
  it('starts admitting; every state can be reached; only done is terminal', () => {
    expect(new RunLifecycle().state).toBe('admitting');
    for (const s of STATES) expect(lifecycleAt(s).state).toBe(s);
    expect(STATES.filter((s) => RUN_TRANSITIONS[s].length === 0)).toEqual(['done']);
  });

  for (const from of STATES) {
    for (const to of STATES) {
      const allowed = RUN_TRANSITIONS[from].includes(to);
      it(`${from} -> ${to} is ${allowed ? 'allowed' : 'an INTERNAL error'}`, () => {
        const l = lifecycleAt(from);
        expect(l.can(to)).toBe(allowed);
        const err = thrown(() => l.to(to));
        if (allowed) {
          expect(err).toBeUndefined();
          expect(l.state).toBe(to);
        } else {
          expect(err).toBeInstanceOf(TabsynthError);
          expect(err).toMatchObject({
            code: ErrorCodes.INTERNAL,
            message: expect.stringContaining(`"${from}" -> "${to}"`),
          });
          expect(l.state).toBe(from);
        }
      });
    }
  }

  it('accepts tasks only while admitting or draining; the outcome is decided from finalizing on', () => {
    const accepts = STATES.filter((s) => lifecycleAt(s).acceptsTasks);
    const ending = STATES.filter((s) => lifecycleAt(s).ending);
    expect(accepts).toEqual(['admitting', 'draining']);
    expect(ending).toEqual(['finalizing', 'aborting', 'done']);
  });

  it('reports every transition to its listener', () => {
    const seen: string[] = [];
    const l = new RunLifecycle((from, to) => seen.push(`${from}>${to}`));
    l.to('draining');
    l.to('stopping');
    l.to('finalizing');
    l.to('done');
    expect(seen).toEqual([
      'admitting>draining',
      'draining>stopping',
      'stopping>finalizing',
      'finalizing>done',
    ]);
  });
});

describe('a row group moves only along listed phases', () => {
  const infos = describeGenerators([column('a', [])], false, false);
  const phases = Object.keys(GROUP_TRANSITIONS) as (keyof typeof GROUP_TRANSITIONS)[];
  for (const from of phases) {
    for (const to of phases) {
      const allowed = GROUP_TRANSITIONS[from].includes(to);
      it(`${from} -> ${to} is ${allowed ? 'allowed' : 'an INTERNAL error'}`, () => {
        const g = new RowGroup(0, 0, 2, infos);
        if (from !== 'open') {
          if (from === 'halted') g.moveTo('halted');
          else g.moveTo(from);
        }
        const err = thrown(() => g.moveTo(to));
        if (allowed) expect(g.phase).toBe(to);
        else expect(err).toMatchObject({ code: ErrorCodes.INTERNAL });
      });
    }
  }
});
