import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';
import type { DataDesignerConfig } from '../../../src/core/config/types.ts';
import { ConfigError, type ConfigIssue } from '../../../src/core/errors.ts';
import { analyzeGraph, buildGraph, columnOrder } from '../../../src/core/graph/graph.ts';

const HEAD = `
model_providers: [{ name: sim, provider_type: simulated }]
model_configs: [{ alias: m, model: demo, provider: sim }]
columns:
`;

function valid(columns: string): { config: DataDesignerConfig; order: string[] } {
  const r = validateConfig(parseConfigText(HEAD + columns));
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 1));
  return r;
}

function issues(columns: string, extra = ''): ConfigIssue[] {
  const r = validateConfig(parseConfigText(HEAD + columns + extra));
  if (r.ok) throw new Error('expected issues');
  return r.issues;
}

describe('SPEC 3.1 compiling: topological order', () => {
  it('samplers and seed columns come first, then config order among ready columns', () => {
    const { config, order } = valid(`
  - { name: summary, column_type: llm-text, model_alias: m, prompt: "{{ bio }} {{ age }}" }
  - { name: bio, column_type: llm-text, model_alias: m, prompt: "{{ person.first_name }}" }
  - { name: person, column_type: sampler, sampler_type: person_from_faker, params: {} }
  - { name: tagline, column_type: expression, expr: "{{ person.city }}" }
  - { name: age, column_type: sampler, sampler_type: uniform, params: { low: 18, high: 90 } }
`);
    // summary (config index 0) is ready once bio is done, before tagline (index 3)
    expect(order).toEqual(['person', 'age', 'bio', 'summary', 'tagline']);
    expect(columnOrder(config)).toEqual(order);
    expect(buildGraph(config).dependencies.get('summary')).toEqual(['bio', 'age']);
  });

  it('on 400 columns read in a random order, the order is the smallest ready column each time', () => {
    // Reference: Kahn's algorithm picking, at every step, the ready column of least
    // rank (samplers first, then config order), found by a full scan.
    let state = 7;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const n = 400;
    const reads = Array.from({ length: n }, (_, i) =>
      i < 20 ? [] : [...new Set(Array.from({ length: 3 }, () => random(i)))],
    );
    const shuffled = Array.from({ length: n }, (_, i) => i).sort(() => random(3) - 1);
    const lines = shuffled.map((i) =>
      i < 20
        ? `  - { name: c${i}, column_type: sampler, sampler_type: uuid }`
        : `  - { name: c${i}, column_type: expression, expr: "${reads[i]!.map((d) => `{{ c${d} }}`).join('')}" }`,
    );
    const { order } = valid(lines.join('\n') + '\n');
    const rank = (i: number) => (i < 20 ? 0 : n) + shuffled.indexOf(i);
    const expected: string[] = [];
    const done = new Set<number>();
    while (done.size < n) {
      const ready = shuffled.filter((i) => !done.has(i) && reads[i]!.every((d) => done.has(d)));
      const next = ready.reduce((a, b) => (rank(b) < rank(a) ? b : a));
      done.add(next);
      expected.push(`c${next}`);
    }
    expect(order).toEqual(expected);
  });

  it('skip.when, conditional_params keys, system_prompt and naming fields are dependencies', () => {
    const { config } = valid(`
  - { name: kind, column_type: sampler, sampler_type: category, params: { values: [a, b] } }
  - { name: sub, column_type: sampler, sampler_type: subcategory, params: { category: kind, values: { a: [x], b: [y] } } }
  - name: amount
    column_type: sampler
    sampler_type: uniform
    params: { low: 0, high: 1 }
    conditional_params: { "kind == 'b'": { low: 1, high: 2 } }
  - { name: start, column_type: sampler, sampler_type: datetime, params: { start: "2024-01-01", end: "2024-02-01" } }
  - { name: end, column_type: sampler, sampler_type: timedelta, params: { dt_min: 1, dt_max: 5, reference_column_name: start } }
  - { name: note, column_type: llm-text, model_alias: m, prompt: "x", system_prompt: "{{ sub }}", skip: { when: "{{ amount > 1 }}" } }
  - { name: check, column_type: validation, target_columns: [note], validator_type: regex, validator_params: { pattern: "^x" } }
`);
    const deps = buildGraph(config).dependencies;
    expect(deps.get('sub')).toEqual(['kind']);
    expect(deps.get('amount')).toEqual(['kind']);
    expect(deps.get('end')).toEqual(['start']);
    expect(deps.get('note')).toEqual(['sub', 'amount']);
    expect(deps.get('check')).toEqual(['note']);
  });

  it('a reference to a side column resolves to the column that produces it', () => {
    const { config, order } = valid(`
  - { name: review, column_type: llm-judge, model_alias: m, prompt: "{{ answer__trace }} {{ answer__reasoning_content }}", scores: [{ name: q, description: d, options: { 1: bad, 2: good } }] }
  - { name: answer, column_type: llm-text, model_alias: m, prompt: "hi", with_trace: all_messages, extract_reasoning_content: true }
`);
    const graph = buildGraph(config);
    expect(graph.dependencies.get('review')).toEqual(['answer']);
    expect(graph.sideColumns.get('answer__trace')).toBe('answer');
    expect(order).toEqual(['answer', 'review']);
  });

  it('a side column that is not produced is an unknown reference', () => {
    const found = issues(`
  - { name: answer, column_type: llm-text, model_alias: m, prompt: "hi" }
  - { name: b, column_type: expression, expr: "{{ answer__trace }}" }
`);
    expect(found).toContainEqual({
      path: 'columns[1].expr',
      message: expect.stringMatching(
        /column 'b' references 'answer__trace', which is not a column/,
      ),
    });
  });

  it('a column_inequality constraint orders its target after its rhs', () => {
    const { config } = valid(`
  - { name: hi, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 1 } }
  - { name: lo, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 1 } }
constraints:
  - { target_column: hi, operator: gt, rhs: lo }
  - { target_column: lo, operator: ge, rhs: 0.1 }
`);
    expect(config.constraints.map((c) => c.constraint_type)).toEqual([
      'column_inequality',
      'scalar_inequality',
    ]);
    expect(columnOrder(config)).toEqual(['lo', 'hi']);
  });
});

describe('SPEC 3.1 compiling: cycles and bad references', () => {
  it('a cycle is an error naming the columns in it', () => {
    const found = issues(`
  - { name: a, column_type: expression, expr: "{{ c }}" }
  - { name: b, column_type: expression, expr: "{{ a }}" }
  - { name: c, column_type: expression, expr: "{{ b }}" }
  - { name: d, column_type: expression, expr: "{{ a }}" }
`);
    expect(found).toEqual([
      {
        path: 'columns[0]',
        message: 'columns form a cycle: a -> c -> b -> a; expected no column to depend on itself',
      },
    ]);
  });

  it('a column that reads itself is named', () => {
    const found = issues(`
  - { name: a, column_type: llm-text, model_alias: m, prompt: "again {{ a }}" }
`);
    expect(found).toEqual([
      {
        path: 'columns[0]',
        message: "column 'a' references itself; expected references to other columns only",
      },
    ]);
  });

  it('two separate cycles are both reported', () => {
    const found = issues(`
  - { name: a, column_type: expression, expr: "{{ b }}" }
  - { name: b, column_type: expression, expr: "{{ a }}" }
  - { name: x, column_type: expression, expr: "{{ y }}" }
  - { name: y, column_type: expression, expr: "{{ x }}" }
`);
    expect(found.map((i) => i.message)).toEqual([
      expect.stringContaining('a -> b -> a'),
      expect.stringContaining('x -> y -> x'),
    ]);
  });

  it('samplers may only read samplers and seed columns', () => {
    const found = issues(`
  - { name: t, column_type: llm-text, model_alias: m, prompt: "hi" }
  - name: n
    column_type: sampler
    sampler_type: uniform
    params: { low: 0, high: 1 }
    conditional_params: { "t == 'x'": { low: 1, high: 2 } }
`);
    expect(found[0]?.message).toMatch(
      /sampler column 'n' reads 't', an llm-text column; expected a sampler or seed-dataset column/,
    );
  });

  it('constraints and processors must name existing columns of the right kind', () => {
    const found = issues(
      `
  - { name: a, column_type: sampler, sampler_type: uuid, params: {} }
  - { name: e, column_type: expression, expr: "{{ a }}" }
`,
      `constraints: [{ target_column: e, operator: lt, rhs: 3 }, { target_column: zz, operator: lt, rhs: a }]
processors:
  - { processor_type: drop_columns, column_names: [nope] }
  - { processor_type: schema_transform, template: { out: "{{ a }} {{ gone }}" } }
`,
    );
    expect(found).toEqual(
      expect.arrayContaining([
        {
          path: 'constraints[0].target_column',
          message: "expected a sampler column, found 'e', an expression column",
        },
        {
          path: 'constraints[1].target_column',
          message: "a constraint references 'zz', which is not a column",
        },
        {
          path: 'processors[0].column_names[0]',
          message: "processor 'drop_columns_0' references 'nope', which is not a column",
        },
        {
          path: 'processors[1].template.out',
          message: "processor 'schema_transform_1' references 'gone', which is not a column",
        },
      ]),
    );
  });

  it('buildGraph throws ConfigError with every issue for an invalid config', () => {
    const { config } = valid(`
  - { name: a, column_type: expression, expr: "x" }
`);
    const broken: DataDesignerConfig = {
      ...config,
      columns: [
        {
          ...config.columns[0]!,
          column_type: 'expression',
          expr: '{{ b }}',
          dtype: 'str',
        } as never,
      ],
    };
    expect(analyzeGraph(broken).issues).toHaveLength(1);
    expect(() => buildGraph(broken)).toThrow(ConfigError);
  });
});
