import { describe, expect, it } from 'vitest';
import {
  samplerGroupGenerator,
  type SamplerColumn,
  type SamplerGroupOptions,
} from '../../../src/core/generators/sampler-group.ts';
import { samplerColumn, samplerParts } from '../../../src/core/generators/samplers/registry.ts';
import type { BatchContext, BatchValues, ModelAccess } from '../../../src/core/engine/plan.ts';
import type { SamplerColumnConfig, SamplerParams } from '../../../src/core/config/types.ts';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';

const noModels = {} as ModelAccess;

function ctx(first: number, count: number, runSeed = 3): BatchContext {
  const rowIndices = Array.from({ length: count }, (_, i) => first + i);
  return {
    columns: new Map(),
    rowIndices,
    rowGroup: 0,
    runSeed,
    signal: new AbortController().signal,
    models: noModels,
  };
}

function column(name: string, params: SamplerParams, extra: Partial<SamplerColumnConfig> = {}) {
  const config = {
    name,
    column_type: 'sampler',
    sampler_type: params.sampler_type,
    params,
    conditional_params: {},
    convert_to: null,
    drop: false,
    skip: null,
    propagate_skip: true,
    ...extra,
  } as SamplerColumnConfig;
  return samplerColumn(config, (condition) => {
    // Test conditions: "<column> == <value>".
    const [col, value] = condition.split(' == ') as [string, string];
    return (row) => String(row[col]) === value;
  });
}

async function run(
  columns: SamplerColumn[],
  ranges: [number, number][],
  options?: SamplerGroupOptions,
): Promise<Record<string, unknown[]>> {
  const generator = samplerGroupGenerator('__samplers', columns, options);
  const out: Record<string, unknown[]> = {};
  for (const [first, count] of ranges) {
    const values: BatchValues = await generator.generate(ctx(first, count));
    for (const [name, xs] of Object.entries(values.columns)) (out[name] ??= []).push(...xs);
  }
  return out;
}

const CATEGORY: SamplerParams = {
  sampler_type: 'category',
  values: ['fruit', 'tool'],
  weights: null,
};
const SUBCATEGORY: SamplerParams = {
  sampler_type: 'subcategory',
  category: 'kind',
  values: { fruit: ['apple', 'pear', 'plum'], tool: ['saw', 'drill'] },
};

function catalogue(): SamplerColumn[] {
  return [
    column('kind', CATEGORY),
    column('item', SUBCATEGORY),
    column('price', { sampler_type: 'uniform', low: 0, high: 100, decimal_places: 2 }),
    column('ordered', {
      sampler_type: 'datetime',
      start: '2024-01-01',
      end: '2025-01-01',
      unit: 'D',
    }),
    column(
      'shipped',
      {
        sampler_type: 'timedelta',
        dt_min: 1,
        dt_max: 10,
        reference_column_name: 'ordered',
        unit: 'D',
      },
      { convert_to: '%Y-%m-%d' },
    ),
    column('buyer', {
      sampler_type: 'person_from_faker',
      locale: 'de_DE',
      sex: null,
      city: null,
      age_range: [20, 60],
    }),
  ];
}

describe('SPEC 1 subcategory in the sampler group', () => {
  it('draws among the values listed for the parent value of the same row, uniformly', async () => {
    const out = await run([column('kind', CATEGORY), column('item', SUBCATEGORY)], [[0, 20_000]]);
    const lists: Record<string, string[]> = {
      fruit: ['apple', 'pear', 'plum'],
      tool: ['saw', 'drill'],
    };
    const counts = new Map<string, number>();
    out['item']!.forEach((item, i) => {
      expect(lists[out['kind']![i] as string]).toContain(item);
      counts.set(item as string, (counts.get(item as string) ?? 0) + 1);
    });
    expect(counts.get('apple')! / 20_000).toBeCloseTo(1 / 6, 1);
    expect(counts.get('saw')! / 20_000).toBeCloseTo(1 / 4, 1);
    expect(samplerParts(SUBCATEGORY).readsRow).toBe(true);
  });

  it('uses a conditional branch where its condition holds for the row', async () => {
    const price = column(
      'price',
      { sampler_type: 'uniform', low: 0, high: 1, decimal_places: null },
      {
        conditional_params: {
          'kind == tool': { sampler_type: 'uniform', low: 100, high: 101, decimal_places: null },
        },
      },
    );
    const out = await run([column('kind', CATEGORY), price], [[0, 500]]);
    out['price']!.forEach((p, i) => expect((p as number) >= 100).toBe(out['kind']![i] === 'tool'));
  });
});

describe('SPEC 2 determinism of the sampler group', () => {
  it('gives every cell the same value whatever the row-group split', async () => {
    const whole = await run(catalogue(), [[0, 600]]);
    const split = await run(catalogue(), [
      [0, 1],
      [1, 250],
      [251, 349],
    ]);
    expect(split).toEqual(whole);
  });

  it('formats strftime convert_to on the output while timedelta reads the Date', async () => {
    const out = await run(catalogue(), [[0, 300]]);
    out['shipped']!.forEach((s, i) => {
      const ordered = out['ordered']![i] as Date;
      const days = (Date.parse(`${s as string}T00:00:00Z`) - ordered.getTime()) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(1);
      expect(days).toBeLessThan(10);
    });
    expect((out['buyer']![0] as { locale: string }).locale).toBe('de_DE');
  });
});

describe('SPEC 1 constraints by rejection sampling', () => {
  const uniform = (low: number, high: number): SamplerParams => ({
    sampler_type: 'uniform',
    low,
    high,
    decimal_places: null,
  });

  it('meets scalar_inequality and column_inequality constraints on every row, split or not', async () => {
    const columns = () => [column('low', uniform(0, 10)), column('high', uniform(0, 10))];
    const options: SamplerGroupOptions = {
      constraints: [
        { constraint_type: 'scalar_inequality', target_column: 'low', operator: 'lt', rhs: 5 },
        { constraint_type: 'column_inequality', target_column: 'high', operator: 'gt', rhs: 'low' },
      ],
    };
    const whole = await run(columns(), [[0, 2000]], options);
    whole['low']!.forEach((low, i) => {
      expect(low as number).toBeLessThan(5);
      expect(whole['high']![i] as number).toBeGreaterThan(low as number);
    });
    // Values above 5 were drawn and rejected, not clipped: the accepted ones stay uniform on [0, 5).
    const below = whole['low']!.filter((x) => (x as number) < 2.5).length / 2000;
    expect(below).toBeCloseTo(0.5, 1);
    expect(
      await run(
        columns(),
        [
          [0, 700],
          [700, 1300],
        ],
        options,
      ),
    ).toEqual(whole);
  });

  it('fails with CONSTRAINT_UNSATISFIABLE after 5 x rows rejected draws, naming constraint and column', async () => {
    const generator = samplerGroupGenerator('__samplers', [column('score', uniform(0, 1))], {
      constraints: [
        { constraint_type: 'scalar_inequality', target_column: 'score', operator: 'ge', rhs: 2 },
      ],
    });
    let error: unknown;
    try {
      await generator.generate(ctx(0, 40));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TabsynthError);
    expect((error as TabsynthError).code).toBe(ErrorCodes.CONSTRAINT_UNSATISFIABLE);
    expect((error as TabsynthError).message).toBe(
      "constraint scalar_inequality score >= 2 on column 'score': 200 draws rejected for 40 rows " +
        "(the budget is 5 x rows); the column's sampler rarely or never draws a value that meets it",
    );
  });

  it('accepts a rare but possible constraint within the budget', async () => {
    const out = await run([column('x', uniform(0, 1))], [[0, 1000]], {
      constraints: [
        { constraint_type: 'scalar_inequality', target_column: 'x', operator: 'gt', rhs: 0.5 },
      ],
    });
    expect(out['x']!.every((x) => (x as number) > 0.5)).toBe(true);
  });

  it('refuses a constraint on a column that is not a sampler of the group, or an rhs generated later', () => {
    const columns = [column('a', uniform(0, 1)), column('b', uniform(0, 1))];
    expect(() =>
      samplerGroupGenerator('g', columns, {
        constraints: [
          { constraint_type: 'scalar_inequality', target_column: 'zzz', operator: 'lt', rhs: 1 },
          { constraint_type: 'column_inequality', target_column: 'a', operator: 'lt', rhs: 'b' },
        ],
      }),
    ).toThrow(
      /constraints\[0\].target_column: expected a sampler column \(a, b\), found 'zzz'[\s\S]*constraints\[1\].rhs: expected a sampler column generated before 'a', found 'b'/,
    );
  });
});
