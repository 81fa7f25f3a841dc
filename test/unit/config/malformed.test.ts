/**
 * Malformed config documents (found by mutating the examples and fixtures): each is
 * refused with a ConfigError naming the field, never a TypeError, a stack overflow,
 * a message built from an inherited property, or a config accepted only to fail the run.
 */
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { ConfigError, ErrorCodes, type ConfigIssue } from '../../../src/core/errors.ts';

/** The issues `loadConfig` refuses `text` with; fails the test for anything but a ConfigError. */
function refused(text: string): readonly ConfigIssue[] {
  try {
    loadConfig(text);
  } catch (err) {
    if (err instanceof ConfigError) {
      expect(err.code).toBe(ErrorCodes.CONFIG_INVALID);
      return err.issues;
    }
    throw err;
  }
  throw new Error('expected the config to be refused');
}

function messageAt(issues: readonly ConfigIssue[], path: string): string {
  const found = issues.filter((i) => i.path === path).map((i) => i.message);
  expect(found, JSON.stringify(issues, null, 1)).not.toHaveLength(0);
  return found.join('\n');
}

describe('a sampler column whose type or params cannot be read', () => {
  const subcategoryOf = (parent: string) => `
columns:
${parent}
  - name: segment
    column_type: sampler
    sampler_type: subcategory
    params: { category: region, values: { north: [a] } }
`;

  it('a subcategory parent with an unknown sampler_type is reported, not a TypeError', () => {
    const issues = refused(
      subcategoryOf('  - { name: region, column_type: sampler, sampler_type: categroy }'),
    );
    expect(messageAt(issues, 'columns[0].sampler_type')).toMatch(
      /expected one of 'category', .* found the string 'categroy'/,
    );
  });

  it('a subcategory parent whose params are not an object is reported, not a TypeError', () => {
    const issues = refused(
      subcategoryOf(
        '  - { name: region, column_type: sampler, sampler_type: category, params: [north] }',
      ),
    );
    expect(messageAt(issues, 'columns[0].params')).toMatch(/expected an object, found a list of 1/);
  });

  it('a subcategory whose params are not an object is reported, not a TypeError', () => {
    const issues = refused(`
columns:
  - { name: region, column_type: sampler, sampler_type: category, params: { values: [north] } }
  - { name: segment, column_type: sampler, sampler_type: subcategory, params: region }
`);
    expect(messageAt(issues, 'columns[1].params')).toMatch(
      /expected an object, found the string 'region'/,
    );
  });
});

describe('names that are also properties of every JavaScript object', () => {
  it("column_type 'constructor' is an unknown column type with a readable message", () => {
    const issues = refused('columns:\n  - { name: a, column_type: constructor }\n');
    const message = messageAt(issues, 'columns[0].column_type');
    expect(typeof message).toBe('string');
    expect(message).toMatch(/expected one of 'sampler', .* found the string 'constructor'/);
  });

  it("seed_type 'toString' is refused as not 'local', with a readable message", () => {
    const issues = refused(`
seed_config: { source: { seed_type: toString, path: rows.csv } }
columns:
  - { name: a, column_type: seed-dataset }
`);
    expect(messageAt(issues, 'seed_config.source.seed_type')).toMatch(
      /expected 'local', found the string 'toString'/,
    );
  });

  it("a subcategory without a list for the parent's value 'toString' is refused before the run", () => {
    const issues = refused(`
columns:
  - { name: a, column_type: sampler, sampler_type: category, params: { values: [toString, x] } }
  - { name: b, column_type: sampler, sampler_type: subcategory, params: { category: a, values: { x: [1] } } }
`);
    expect(messageAt(issues, 'columns[1].params.values')).toMatch(/missing 'toString'/);
  });
});

describe("keys named '__proto__' are read as keys", () => {
  it("a subcategory list for the parent's value '__proto__' is kept", () => {
    const config = loadConfig(`
columns:
  - { name: a, column_type: sampler, sampler_type: category, params: { values: [__proto__, x] } }
  - { name: b, column_type: sampler, sampler_type: subcategory, params: { category: a, values: { __proto__: [p], x: [q] } } }
`);
    expect(config.columns[1]).toMatchObject({ params: { values: { x: ['q'] } } });
    const params = config.columns[1]?.column_type === 'sampler' ? config.columns[1].params : null;
    expect(Object.entries(params && 'values' in params ? params.values : {})).toContainEqual([
      '__proto__',
      ['p'],
    ]);
  });

  it("a judge option named '__proto__' is kept", () => {
    const config = loadConfig(`{
  "model_providers": [{ "name": "sim", "provider_type": "simulated" }],
  "model_configs": [{ "alias": "judge", "model": "demo", "provider": "sim" }],
  "columns": [{
    "name": "score", "column_type": "llm-judge", "prompt": "rate", "model_alias": "judge",
    "scores": [{ "name": "q", "description": "d", "options": { "__proto__": "odd", "1": "one" } }]
  }]
}`);
    const column = config.columns[0];
    const options = column?.column_type === 'llm-judge' ? column.scores[0]?.options : undefined;
    expect(Object.keys(options ?? {})).toEqual(['1', '__proto__']);
  });
});

describe('a list or an object where a name or a value belongs', () => {
  /** A list nested `depth` times around `inner`, as JSON. */
  const nested = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);

  it('a category value that is an object is reported once, not as [object Object]', () => {
    const issues = refused(`
columns:
  - { name: a, column_type: sampler, sampler_type: category, params: { values: [x, { y: 1 }] } }
  - { name: b, column_type: sampler, sampler_type: subcategory, params: { category: a, values: { x: [1] } } }
`);
    expect(messageAt(issues, 'columns[0].params.values[1]')).toMatch(
      /expected a string or a finite number, found an object/,
    );
    expect(JSON.stringify(issues)).not.toContain('[object Object]');
  });

  it('a deeply nested list as a category value is reported, not a stack overflow', () => {
    const issues = refused(`{"columns": [
  {"name": "a", "column_type": "sampler", "sampler_type": "category", "params": {"values": ["x", ${nested(20000, '1')}]}},
  {"name": "b", "column_type": "sampler", "sampler_type": "subcategory", "params": {"category": "a", "values": {"x": [1]}}}
]}`);
    expect(messageAt(issues, 'columns[0].params.values[1]')).toMatch(/found a list of 1/);
  });

  it("a constraint's rhs that is an object or a nested list is reported as not a column name", () => {
    for (const rhs of ['{"b": 1}', nested(20000, '"b"')]) {
      const issues = refused(`{"columns": [
  {"name": "a", "column_type": "sampler", "sampler_type": "uniform", "params": {"low": 0, "high": 1}},
  {"name": "b", "column_type": "sampler", "sampler_type": "uniform", "params": {"low": 0, "high": 1}}
], "constraints": [{"target_column": "a", "operator": "lt", "rhs": ${rhs}}]}`);
      expect(issues).toHaveLength(1);
      expect(messageAt(issues, 'constraints[0].rhs')).toMatch(/expected a column name, found an? /);
    }
  });

  it('a scalar_inequality rhs that is a nested list is reported, not a stack overflow', () => {
    const issues = refused(`{"columns": [
  {"name": "a", "column_type": "sampler", "sampler_type": "uniform", "params": {"low": 0, "high": 1}}
], "constraints": [{"target_column": "a", "operator": "lt", "constraint_type": "scalar_inequality", "rhs": ${nested(20000, '1')}}]}`);
    expect(messageAt(issues, 'constraints[0].rhs')).toMatch(/expected a number, found a list of 1/);
  });

  it('a category value .nan is reported at the value, not as a missing subcategory list', () => {
    const issues = refused(`
columns:
  - { name: a, column_type: sampler, sampler_type: category, params: { values: [x, .nan] } }
  - { name: b, column_type: sampler, sampler_type: subcategory, params: { category: a, values: { x: [1] } } }
`);
    expect(issues).toEqual([
      {
        path: 'columns[0].params.values[1]',
        message: 'expected a string or a finite number, found the number NaN',
      },
    ]);
  });

  it('a validator_type that is a nested list is reported, not a stack overflow', () => {
    const issues = refused(`{"columns": [
  {"name": "a", "column_type": "sampler", "sampler_type": "uuid"},
  {"name": "v", "column_type": "validation", "target_columns": ["a"],
   "validator_type": ${nested(20000, '"code"')}, "validator_params": {"validator_type": "code", "code_lang": "python"}}
]}`);
    expect(messageAt(issues, 'columns[1].validator_type')).toMatch(/found a list of 1/);
  });
});

describe('objects given as is (schemas, templates, extra_body) nested too deep', () => {
  const deep = (depth: number, inner: string) => '{"x":'.repeat(depth) + inner + '}'.repeat(depth);
  const document = (provider: string, more: string) => `{
  "model_providers": [{"name": "sim", "provider_type": "simulated"${provider}}],
  "model_configs": [{"alias": "m", "model": "demo", "provider": "sim"}],
  "columns": [{"name": "a", "column_type": "sampler", "sampler_type": "uuid"}${more}]
}`;

  it('a schema_transform template 5000 objects deep is one issue at the template, not a stack overflow', () => {
    const issues = refused(
      document('', '').replace(
        /\]\s*\}$/,
        `], "processors": [{"processor_type": "schema_transform", "name": "t", "template": ${deep(5000, '"{{ a }}"')}}]}`,
      ),
    );
    expect(issues).toEqual([
      {
        path: 'processors[0].template',
        message: 'expected an object nested at most 64 levels deep, found one nested deeper',
      },
    ]);
  });

  it("a provider's extra_body 5000 objects deep is refused at its path", () => {
    const issues = refused(document(`, "extra_body": ${deep(5000, '1')}`, ''));
    expect(messageAt(issues, 'model_providers[0].extra_body')).toMatch(/at most 64 levels deep/);
  });

  it('an output_format schema 500 objects deep is refused as too deep, not as a stack overflow', () => {
    const schema = deep(500, '{"type": "string"}');
    const issues = refused(
      document(
        '',
        `, {"name": "b", "column_type": "llm-structured", "prompt": "{{ a }}", "model_alias": "m", "output_format": ${schema}}`,
      ),
    );
    expect(messageAt(issues, 'columns[1].output_format')).toMatch(/at most 64 levels deep/);
  });

  it('a YAML alias that makes a schema, a template or extra_body contain itself is refused, not a stack overflow', () => {
    const issues = refused(`
model_providers:
  - { name: sim, provider_type: simulated, extra_body: &b { x: *b } }
model_configs:
  - { alias: m, model: demo, provider: sim }
columns:
  - { name: a, column_type: sampler, sampler_type: uuid }
  - { name: s, column_type: llm-structured, prompt: "{{ a }}", model_alias: m, output_format: &s { type: object, properties: { x: *s } } }
processors:
  - { processor_type: schema_transform, name: t, template: &t { x: "{{ a }}", y: *t } }
`);
    expect(issues.map((i) => i.path).sort()).toEqual([
      'columns[1].output_format',
      'model_providers[0].extra_body',
      'processors[0].template',
    ]);
  });

  it('a schema 30 properties deep is still accepted', () => {
    const schema =
      '{"type": "object", "properties": {"x": '.repeat(30) + '{"type": "string"}' + '}}'.repeat(30);
    expect(() =>
      loadConfig(
        document(
          '',
          `, {"name": "b", "column_type": "llm-structured", "prompt": "{{ a }}", "model_alias": "m", "output_format": ${schema}}`,
        ),
      ),
    ).not.toThrow();
  });
});

describe('enormous names', () => {
  it('a duplicate 50 000-character column name is quoted by its start and length', () => {
    const long = 'n'.repeat(50_000);
    const issues = refused(`
columns:
  - { name: ${long}, column_type: sampler, sampler_type: uuid }
  - { name: ${long}, column_type: sampler, sampler_type: uuid }
`);
    expect(issues).toEqual([
      {
        path: 'columns[1].name',
        message: `duplicate column name '${'n'.repeat(60)}…' (50000 characters); it is also at columns[0].name`,
      },
    ]);
  });

  it("a reference to a missing 300-character name gets no 'did you mean' (the search costs both lengths multiplied)", () => {
    const long = 'n'.repeat(300);
    const issues = refused(`
columns:
  - { name: ${long}x, column_type: sampler, sampler_type: uuid }
  - { name: e, column_type: expression, expr: "{{ ${long} }}" }
`);
    const message = messageAt(issues, 'columns[1].expr');
    expect(message).toMatch(
      /column 'e' references 'n+…' \(300 characters\), which is not a column$/,
    );
  });
});

describe('sampler params that only the sampler can refuse', () => {
  function compileRefused(text: string): readonly ConfigIssue[] {
    try {
      compilePlan(loadConfig(text), { simulate: true });
    } catch (err) {
      if (err instanceof ConfigError) return err.issues;
      throw err;
    }
    throw new Error('expected compilePlan to refuse the config');
  }

  it('are reported at the column and param, naming the column, for every column at once', () => {
    const issues = compileRefused(`
columns:
  - { name: id, column_type: sampler, sampler_type: uuid }
  - { name: income, column_type: sampler, sampler_type: scipy, params: { dist_name: lognorm, dist_params: { scale: 2 } } }
  - { name: wait, column_type: sampler, sampler_type: scipy, params: { dist_name: gamma, dist_params: { b: 1 } } }
`);
    expect(messageAt(issues, 'columns[1].params.dist_params.s')).toMatch(
      /^column 'income': scipy sampler: params.dist_params.s expected a value \(lognorm needs it\)/,
    );
    expect(messageAt(issues, 'columns[2].params.dist_params.b')).toMatch(/^column 'wait': /);
  });

  it('an unknown strftime directive is reported at convert_to, naming the column once', () => {
    const issues = compileRefused(`
columns:
  - { name: when, column_type: sampler, sampler_type: datetime, params: { start: "2020-01-01", end: "2021-01-01" }, convert_to: "%Q" }
`);
    expect(messageAt(issues, 'columns[0].convert_to')).toMatch(
      /^column 'when': convert_to: strftime format "%Q" expected directives among .*, found %Q$/,
    );
  });

  it('a 50 000-character dist_name is quoted by its start and length', () => {
    const issues = compileRefused(`
columns:
  - { name: x, column_type: sampler, sampler_type: scipy, params: { dist_name: ${'d'.repeat(50_000)}, dist_params: {} } }
`);
    expect(messageAt(issues, 'columns[0].params.dist_name')).toMatch(
      /found "d{60}…" \(50000 characters\)$/,
    );
  });
});

describe('a wrapped document (data_designer: {...})', () => {
  it('names every issue under data_designer, checks across columns as well as fields', () => {
    const issues = refused(`
data_designer:
  columns:
    - { name: a, column_type: sampler, sampler_type: uuid, params: { short_form: 5 } }
    - { name: a, column_type: expression, expr: "{{ b }}" }
`);
    expect(issues.map((i) => i.path)).toEqual([
      'data_designer.columns[0].params.short_form',
      'data_designer.columns[1].name',
      'data_designer.columns[1].expr',
    ]);
  });
});

describe('column names that templates cannot read', () => {
  it.each(['__proto__', 'constructor', 'prototype', '__id__'])(
    "a column named '%s' is refused at its name, not rendered empty by every template reading it",
    (name) => {
      const issues = refused(`
columns:
  - { name: a, column_type: sampler, sampler_type: uuid }
  - { name: "${name}", column_type: expression, expr: "{{ a }}" }
  - { name: b, column_type: expression, expr: "{{ ${name} }}" }
`);
      expect(messageAt(issues, 'columns[1].name')).toMatch(
        /^expected a column name templates can read, found '.+'; '__proto__', 'constructor', 'prototype' and names that start and end with '__' are reserved$/,
      );
    },
  );
});

describe("column names of tabsynth's own generators", () => {
  it.each(['__samplers', '__seed_dataset', '__row_id'])(
    "a column named '%s' is refused at its name, not failed at run start as a duplicate generator",
    (name) => {
      const issues = refused(`
columns:
  - { name: a, column_type: sampler, sampler_type: uuid }
  - { name: ${name}, column_type: expression, expr: "{{ a }}" }
`);
      expect(messageAt(issues, 'columns[1].name')).toBe(
        `expected a column name other than '__samplers', '__seed_dataset', '__row_id' (tabsynth's own generators), found '${name}'`,
      );
    },
  );
});

describe('processor names, which name a side table folder', () => {
  const withProcessor = (name: string) => `
columns:
  - { name: a, column_type: sampler, sampler_type: uuid }
processors:
  - { processor_type: schema_transform, name: ${JSON.stringify(name)}, template: { x: "{{ a }}" } }
`;

  it.each(['../../escaped', 'a/b', 'a\\b', '..', '.', ' '])(
    "a processor named '%s' is refused: its table would be written outside the run's folder or nowhere",
    (name) => {
      expect(messageAt(refused(withProcessor(name)), 'processors[0].name')).toMatch(
        /^expected a processor name usable as a folder name \(not empty, '\.' or '\.\.', without '\/' or '\\'\), found the string/,
      );
    },
  );

  it("a processor named 'dropped-columns' is refused: its table would replace the preserved dropped columns", () => {
    expect(messageAt(refused(withProcessor('dropped-columns')), 'processors[0].name')).toBe(
      "expected a processor name other than 'dropped-columns', the table of preserved dropped columns",
    );
  });
});

describe('a model provider fetch cannot send to', () => {
  const withProvider = (provider: string) => `
model_providers:
  - ${provider}
model_configs:
  - { alias: m, model: x, provider: p }
columns:
  - { name: a, column_type: sampler, sampler_type: uuid }
  - { name: b, column_type: llm-text, prompt: "{{ a }}", model_alias: m }
`;

  it('an endpoint with a space in its host is refused, not retried as a network error on every request', () => {
    const issues = refused(
      withProvider('{ name: p, endpoint: "http://exa mple.com/v1", provider_type: openai }'),
    );
    expect(messageAt(issues, 'model_providers[0].endpoint')).toBe(
      "expected an http(s) URL, found the string 'http://exa mple.com/v1'",
    );
  });

  it('an extra header whose name has a space, or whose value a line break, is refused at the header', () => {
    const issues = refused(
      withProvider(
        '{ name: p, endpoint: "https://api.example.com/v1", provider_type: openai, extra_headers: { "bad header": "1", X-Ok: "a\\nb" } }',
      ),
    );
    expect(messageAt(issues, 'model_providers[0].extra_headers.bad header')).toMatch(
      /^expected an HTTP header name .*, found the string 'bad header'$/,
    );
    expect(messageAt(issues, 'model_providers[0].extra_headers.X-Ok')).toBe(
      'expected a header value on one line, found a line break',
    );
  });

  it('a usual endpoint and headers are accepted', () => {
    expect(() =>
      loadConfig(
        withProvider(
          '{ name: p, endpoint: "https://api.example.com:8443/v1?x=1", provider_type: openai, extra_headers: { X-Api-Version: "2024-01-01", Authorization: "Bearer abc" } }',
        ),
      ),
    ).not.toThrow();
  });
});

describe("a wrapped document's library_version", () => {
  it('that is a list holding itself (a YAML alias) is refused, not passed on to overflow the stack later', () => {
    const issues = refused(`
library_version: &v [*v]
data_designer:
  columns:
    - { name: a, column_type: sampler, sampler_type: uuid }
`);
    expect(issues).toEqual([
      { path: 'library_version', message: "expected a version such as '0.5.0', found a list of 1" },
    ]);
  });

  it('as Data Designer writes it, a string, is accepted', () => {
    expect(() =>
      loadConfig(
        'library_version: 0.5.0\ndata_designer:\n  columns:\n    - { name: a, column_type: sampler, sampler_type: uuid }\n',
      ),
    ).not.toThrow();
  });
});

describe('conditions with text outside their {{ }}', () => {
  it.each(['b == 1 }}', '{{ b == 1 }} x', '{{ b == 1 }} and {{ b == 2 }}'])(
    "a conditional_params key '%s' is refused, not applied to every row",
    (key) => {
      const issues = refused(`
columns:
  - { name: b, column_type: sampler, sampler_type: category, params: { values: [1, 2] } }
  - name: a
    column_type: sampler
    sampler_type: uniform
    params: { low: 0, high: 1 }
    conditional_params: { ${JSON.stringify(key)}: { low: 5, high: 6 } }
`);
      expect(messageAt(issues, `columns[1].conditional_params[${JSON.stringify(key)}]`)).toMatch(
        /^expected one condition in \{\{ \}\} with nothing around it, .*which would hold for every row$/,
      );
    },
  );

  it('a skip.when with text after its {{ }} is refused', () => {
    const issues = refused(`
columns:
  - { name: b, column_type: sampler, sampler_type: category, params: { values: [1, 2] } }
  - { name: e, column_type: expression, expr: "{{ b }}", skip: { when: "{{ b == 1 }}." } }
`);
    expect(messageAt(issues, 'columns[1].skip.when')).toMatch(
      /^expected one condition in \{\{ \}\}/,
    );
  });

  it('bare, braced and {% %} conditions are accepted', () => {
    expect(() =>
      loadConfig(`
columns:
  - { name: b, column_type: sampler, sampler_type: category, params: { values: [1, 2] } }
  - name: a
    column_type: sampler
    sampler_type: uniform
    params: { low: 0, high: 1 }
    conditional_params: { "b == 1": { low: 5, high: 6 }, " {{ b == 2 }} ": { low: 7, high: 8 } }
  - { name: e, column_type: expression, expr: "{{ b }}", skip: { when: "{% if b == 1 %}true{% endif %}" } }
`),
    ).not.toThrow();
  });
});
