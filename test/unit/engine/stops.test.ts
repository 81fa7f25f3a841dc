/**
 * SPEC 3.6: nothing a config or a generator does ends the process or leaves a run
 * `running`. Row drops, runs stopped by an expression that keeps no row, and bugs
 * of ours (INTERNAL) that stop the run with committed groups kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../src/core/config/compile.ts';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import type { EngineLog } from '../../../src/core/engine/events.ts';
import type { PlanGenerator, PlanProcessor } from '../../../src/core/engine/plan.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { expressionGenerator } from '../../../src/core/generators/expression.ts';
import { cell, column, committedRows, options, plan } from './helpers.ts';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Settles `run` either way; the outcome, for assertions. */
async function outcome<T>(run: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await run };
  } catch (error) {
    return { error };
  }
}

/** An expression column `e` over a whole-column `n` (the row index). */
function expression(expr: string): PlanGenerator[] {
  return [
    column('n', []),
    expressionGenerator({
      name: 'e',
      upstream: ['n'],
      render: compileTemplate(expr, 'columns[1].expr'),
      dtype: 'str',
    }),
  ];
}

describe('3.6 row drops and runs that stop', () => {
  it('3.6 an expression that renders empty or whitespace drops its row', async () => {
    const p = plan(expression('{% if n % 3 == 1 %} \n {% else %}{{ n }}{% endif %}'), {
      numRecords: 6,
      bufferSize: 6,
      disableEarlyShutdown: true,
    });
    const o = options(p);
    const r = await runEngine(o);
    expect((await committedRows(o.store)).map((x) => x['e'])).toEqual(['0', '2', '3', '5']);
    expect([r.rowsWritten, r.droppedRows]).toEqual([4, 2]);
    expect(r.firstErrors).toEqual([
      expect.objectContaining({
        kind: 'TEMPLATE_RENDER:e',
        row: 1,
        count: 2,
        message: expect.stringContaining('empty or whitespace-only'),
      }),
    ]);
  });

  it('3.6 a row group in which an expression drops every row stops the run: "expression column X produced no valid rows"', async () => {
    const groups: number[] = [];
    const gens = expression('{% if n >= 3 %}  {% else %}{{ n }}{% endif %}');
    const n = gens[0]! as ReturnType<typeof column>;
    const generate = n.generate.bind(n);
    n.generate = (ctx) => (groups.push(ctx.rowGroup), generate(ctx));
    const p = plan(gens, { numRecords: 9, bufferSize: 3, maxConcurrentRowGroups: 1 });
    const o = options(p);
    await expect(runEngine(o)).rejects.toMatchObject({
      code: ErrorCodes.EXPRESSION_NO_VALID_ROWS,
      message: expect.stringContaining('expression column e produced no valid rows'),
    });
    expect(groups).toEqual([0, 1]);
    expect(o.store.committedGroupIds('run-1')).toEqual([0]);
    const m = await o.store.loadManifest('run-1');
    expect(m?.status).toBe('failed');
    expect(m?.firstErrors).toContainEqual(
      expect.objectContaining({ code: 'EXPRESSION_NO_VALID_ROWS', column: 'e' }),
    );
  });

  it('3.6 a bug of ours (a TypeError in a generator) stops the run with INTERNAL naming the column, its stack in the log; committed groups stay', async () => {
    const logs: EngineLog[] = [];
    const p = plan(
      [
        cell('a', [], (c) => {
          if (c.rowIndex === 4) (undefined as unknown as { x: { y: number } }).x.y = 1;
          return c.rowIndex;
        }),
      ],
      { numRecords: 9, bufferSize: 3, maxConcurrentRowGroups: 1 },
    );
    const o = options(p, { onLog: (e) => logs.push(e) });
    const { error } = await outcome(runEngine(o));
    expect(error).toMatchObject({
      code: ErrorCodes.INTERNAL,
      message: expect.stringContaining(
        'internal error in column "a" (cell task, row 5): TypeError',
      ),
    });
    expect(logs).toEqual([
      expect.objectContaining({ level: 'error', stack: expect.stringContaining('TypeError') }),
    ]);
    expect(o.store.committedGroupIds('run-1')).toEqual([0]);
    const m = await o.store.loadManifest('run-1');
    expect(m?.status).toBe('failed');
    expect(m?.firstErrors).toEqual([
      expect.objectContaining({ code: 'INTERNAL', column: 'a', row: 4 }),
    ]);
    expect(unhandled).toEqual([]);
  });

  it("3.6 a result that breaks the scheduler's own bookkeeping stops the run with INTERNAL instead of escaping", async () => {
    const p = plan(
      [
        column('a', [], undefined, {
          generate: () => ({
            get columns(): Record<string, unknown[]> {
              throw new TypeError('columns is not readable');
            },
          }),
        }),
      ],
      { numRecords: 3, bufferSize: 3 },
    );
    const o = options(p);
    await expect(runEngine(o)).rejects.toMatchObject({
      code: ErrorCodes.INTERNAL,
      message: expect.stringContaining('TypeError: columns is not readable'),
    });
    expect((await o.store.loadManifest('run-1'))?.status).toBe('failed');
    expect(unhandled).toEqual([]);
  });

  it('3.6 a skip.when that throws anything, even a TypeError, counts as true with a warning', async () => {
    const p = plan(
      [
        column('n', []),
        cell('a', ['n'], () => 'ran', {
          skipWhen: (row) => {
            if ((row['n'] as number) % 2 === 1) throw new TypeError('cannot read x of undefined');
            return false;
          },
          skipValue: 'skipped',
        }),
      ],
      { numRecords: 4, bufferSize: 4 },
    );
    const o = options(p);
    const r = await runEngine(o);
    expect((await committedRows(o.store)).map((x) => x['a'])).toEqual([
      'ran',
      'skipped',
      'ran',
      'skipped',
    ]);
    expect(r.warnings).toEqual([expect.objectContaining({ column: 'a', row: 1, count: 2 })]);
    expect((await o.store.loadManifest('run-1'))?.status).toBe('complete');
  });
});

describe('3.6 nothing a generator does kills the process', () => {
  const KINDS: [string, () => unknown][] = [
    [
      'a model error that cannot be retried',
      () => new TabsynthError(ErrorCodes.MODEL_BAD_RESPONSE, 'unusable'),
    ],
    [
      'a model error retried until salvage gives up',
      () => new TabsynthError(ErrorCodes.MODEL_SERVER, 'HTTP 503'),
    ],
    ['a template error', () => new TabsynthError(ErrorCodes.TEMPLATE_RENDER, "'x' is undefined")],
    ['a plain Error', () => new Error('boom')],
    [
      'a TypeError (a bug of ours)',
      () => new TypeError("cannot read properties of undefined (reading 'x')"),
    ],
    ['a ReferenceError (a bug of ours)', () => new ReferenceError('y is not defined')],
    ['a thrown string', () => 'oops'],
  ];

  /** Generators and processors, each of which fails with `fail()` at its stage; `name` is what the error must name. */
  const STAGES: [
    string,
    (fail: () => unknown) => { gens: PlanGenerator[]; processors?: PlanProcessor[]; name: string },
  ][] = [
    [
      'a cell task, thrown',
      (fail) => ({
        gens: [
          cell('victim', [], () => {
            throw fail();
          }),
        ],
        name: 'victim',
      }),
    ],
    [
      'a cell task, rejected',
      (fail) => ({ gens: [cell('victim', [], () => Promise.reject(fail()))], name: 'victim' }),
    ],
    [
      'a from_scratch task, thrown',
      (fail) => ({
        gens: [
          column('victim', [], undefined, {
            generate: () => {
              throw fail();
            },
          }),
        ],
        name: 'victim',
      }),
    ],
    [
      'a batch task, rejected',
      (fail) => ({
        gens: [
          column('n', []),
          column('victim', ['n'], undefined, { generate: () => Promise.reject(fail()) }),
        ],
        name: 'victim',
      }),
    ],
    [
      'a pre_batch processor',
      (fail) => ({
        gens: [column('n', []), cell('m', ['n'])],
        processors: [
          {
            name: 'victim-pre',
            stage: 'pre_batch',
            process: () => {
              throw fail();
            },
          },
        ],
        name: 'victim-pre',
      }),
    ],
    [
      'a post_batch processor',
      (fail) => ({
        gens: [column('n', [])],
        processors: [
          { name: 'victim-post', stage: 'post_batch', process: () => Promise.reject(fail()) },
        ],
        name: 'victim-post',
      }),
    ],
  ];

  for (const [stage, build] of STAGES) {
    for (const [kind, fail] of KINDS) {
      it(`a generator that throws each kind of error at each stage: the process survives, the manifest ends failed or stopped, the error names the column (${kind} from ${stage})`, async () => {
        const { gens, processors, name } = build(fail);
        const o = options(plan(gens, { numRecords: 6, bufferSize: 3 }, { processors }));
        const { value, error } = await outcome(runEngine(o));
        const m = await o.store.loadManifest('run-1');
        expect(['failed', 'stopped']).toContain(m?.status);
        const named =
          error instanceof Error
            ? error.message.includes(name)
            : (value?.firstErrors ?? []).some((e) => e.column === name);
        expect(named).toBe(true);
        expect(m?.firstErrors.some((e) => e.column === name || e.message.includes(name))).toBe(
          true,
        );
        await new Promise((resolve) => setImmediate(resolve)); // the host's unhandled-rejection check runs
        expect(unhandled).toEqual([]);
      });
    }
  }
});
