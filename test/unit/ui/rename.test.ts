/**
 * Renaming a column updates every reference to it, exactly: templates keep every
 * other character, attributes, filters, strings and loop variables stay; deleting a
 * column finds who refers to it.
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/config/validate.ts';
import { renameInTemplate } from '../../../src/ui/state/template-rename.ts';
import {
  namesList,
  ownersOf,
  planRename,
  referencesTo,
  removalQuestion,
} from '../../../src/ui/state/rename.ts';
import { setAt } from '../../../src/ui/state/paths.ts';
import type { RawObject } from '../../../src/ui/state/defaults.ts';

const ageToYears = new Map([
  ['age', 'years'],
  ['age__trace', 'years__trace'],
]);

function rename(source: string, bare = false): string {
  const r = renameInTemplate(source, ageToYears, bare);
  if (!r.ok) throw new Error(r.reason);
  return r.text;
}

describe('renaming in one template', () => {
  it('renames variable references and keeps every other character as written', () => {
    const source = '{{- age  }} is {{age|int}}\n{% if age > 3 -%}\n  old {{ age }}{% endif %}';
    expect(rename(source)).toBe(
      '{{- years  }} is {{years|int}}\n{% if years > 3 -%}\n  old {{ years }}{% endif %}',
    );
  });

  it('leaves attributes, keyword arguments, strings, text and comments alone', () => {
    const source = 'age: {{ person.age }} {{ "age" }} {{ dict(age=1) if age else "" }} {# age #}';
    expect(rename(source)).toBe(
      'age: {{ person.age }} {{ "age" }} {{ dict(age=1) if years else "" }} {# age #}',
    );
  });

  it('leaves a filter or a test of the same name alone', () => {
    const r = renameInTemplate(
      '{{ length }} {{ items | length }} {{ length is number }}',
      new Map([['length', 'size']]),
    );
    expect(r).toEqual({
      ok: true,
      text: '{{ size }} {{ items | length }} {{ size is number }}',
      count: 2,
    });
  });

  it('leaves a loop variable or a set local of the same name alone, renames the column outside', () => {
    const source = '{{ age }}{% for age in ages %}{{ age }}{% endfor %}{% set age = 3 %}{{ age }}';
    expect(rename(source)).toBe(
      '{{ years }}{% for age in ages %}{{ age }}{% endfor %}{% set age = 3 %}{{ age }}',
    );
  });

  it('renames a side column reference and no longer word', () => {
    expect(rename('{{ age__trace }} {{ age_group }} {{ page }}')).toBe(
      '{{ years__trace }} {{ age_group }} {{ page }}',
    );
  });

  it('renames a bare condition without adding braces', () => {
    expect(rename('age > 21 and "age" != name', true)).toBe('years > 21 and "age" != name');
    expect(rename('{{ age > 21 }}', true)).toBe('{{ years > 21 }}');
  });

  it('reports zero changes for a template that does not read the column', () => {
    expect(renameInTemplate('{{ person.age }}', ageToYears)).toEqual({
      ok: true,
      text: '{{ person.age }}',
      count: 0,
    });
  });

  it('refuses, with the reason, a template that does not parse', () => {
    expect(renameInTemplate('{{ age ', ageToYears)).toEqual({
      ok: false,
      reason: 'the template does not parse',
    });
  });

  it('refuses a new name a loop variable would capture', () => {
    const r = renameInTemplate('{% for years in ranges %}{{ age }}{% endfor %}', ageToYears);
    expect(r.ok).toBe(false);
  });

  it('refuses a new name a template cannot read', () => {
    const r = renameInTemplate('{{ age }}', new Map([['age', 'age in years']]));
    expect(r).toEqual({
      ok: false,
      reason: "a template cannot read 'age in years' (not a Jinja name)",
    });
  });
});

function doc(): RawObject {
  return {
    columns: [
      {
        name: 'age',
        column_type: 'sampler',
        sampler_type: 'uniform',
        params: { low: 1, high: 90 },
      },
      {
        name: 'band',
        column_type: 'sampler',
        sampler_type: 'category',
        params: { values: ['a', 'b'] },
        conditional_params: { 'age > 60': { values: ['c'] } },
      },
      {
        name: 'sub',
        column_type: 'sampler',
        sampler_type: 'subcategory',
        params: { category: 'band', values: { a: ['x'], b: ['y'] } },
      },
      { name: 'greeting', column_type: 'expression', expr: 'Hi {{ person.age }}, aged {{ age }}' },
      {
        name: 'bio',
        column_type: 'llm-text',
        model_alias: 'm',
        prompt: 'Write about someone aged {{ age }}.',
        system_prompt: 'Be brief.',
        skip: { when: '{{ age < 18 }}' },
      },
      {
        name: 'check',
        column_type: 'validation',
        target_columns: ['bio', 'age'],
        validator_type: 'regex',
        validator_params: { validator_type: 'regex', pattern: '.' },
      },
      { name: 'vec', column_type: 'embedding', target_column: 'bio__trace', model_alias: 'e' },
    ],
    constraints: [
      { target_column: 'age', operator: 'gt', rhs: 18 },
      { target_column: 'age', operator: 'lt', rhs: 'band' },
    ],
    processors: [
      { processor_type: 'drop_columns', column_names: ['age', 'bio__trace'] },
      {
        name: 'shape',
        processor_type: 'schema_transform',
        template: { out: { who: '{{ bio }}', how_old: ['{{ age }}', 'age'] } },
      },
    ],
  };
}

/** `d` with `plan`'s edits applied, as the designer applies them. */
function applied(d: RawObject, from: string, to: string): RawObject {
  const plan = planRename(d, from, to);
  for (const e of plan.edits) setAt(d, e.path, e.value);
  return d;
}

describe('renaming references across a document', () => {
  it('finds every field that refers to a column, with its owner', () => {
    const sites = referencesTo(doc(), 'age');
    expect(sites.map((s) => s.path)).toEqual([
      'columns[1].conditional_params',
      'columns[3].expr',
      'columns[4].prompt',
      'columns[4].skip.when',
      'columns[5].target_columns',
      'constraints[0].target_column',
      'constraints[1].target_column',
      'processors[0].column_names',
      'processors[1].template',
    ]);
    expect(ownersOf(sites)).toEqual([
      'band',
      'greeting',
      'bio',
      'check',
      'constraint 1',
      'constraint 2',
      'processor 1',
      'processor shape',
    ]);
  });

  it('a side column reference counts as a reference to its column', () => {
    expect(ownersOf(referencesTo(doc(), 'bio'))).toEqual([
      'check',
      'vec',
      'processor 1',
      'processor shape',
    ]);
  });

  it('renaming rewrites every reference and the document validates again', () => {
    const d = doc();
    (d['columns'] as RawObject[])[0]!['name'] = 'years';
    const plan = planRename(d, 'age', 'years');
    expect(plan.count).toBe(9);
    expect(plan.left).toEqual([]);
    for (const e of plan.edits) setAt(d, e.path, e.value);
    expect(referencesTo(d, 'age')).toEqual([]);
    expect(d).toMatchObject({
      columns: [
        {},
        { conditional_params: { 'years > 60': { values: ['c'] } } },
        {},
        { expr: 'Hi {{ person.age }}, aged {{ years }}' },
        { prompt: 'Write about someone aged {{ years }}.', skip: { when: '{{ years < 18 }}' } },
        { target_columns: ['bio', 'years'] },
        {},
      ],
      constraints: [{ target_column: 'years' }, { target_column: 'years', rhs: 'band' }],
      processors: [
        { column_names: ['years', 'bio__trace'] },
        { template: { out: { who: '{{ bio }}', how_old: ['{{ years }}', 'age'] } } },
      ],
    });
  });

  it('renames side columns, subcategory parents and column constraints', () => {
    const d = doc();
    (d['columns'] as RawObject[])[4]!['name'] = 'story';
    applied(d, 'bio', 'story');
    expect(d).toMatchObject({
      columns: [
        {},
        {},
        {},
        {},
        {},
        { target_columns: ['story', 'age'] },
        { target_column: 'story__trace' },
      ],
      processors: [
        { column_names: ['age', 'story__trace'] },
        { template: { out: { who: '{{ story }}' } } },
      ],
    });
    const e = doc();
    (e['columns'] as RawObject[])[1]!['name'] = 'group';
    applied(e, 'band', 'group');
    expect(e).toMatchObject({
      columns: [{}, {}, { params: { category: 'group' } }, {}, {}, {}, {}],
      constraints: [{}, { rhs: 'group' }],
    });
  });

  it('a renamed design is valid where the original was (the core agrees)', () => {
    const d: RawObject = {
      columns: [
        { name: 'n', column_type: 'sampler', sampler_type: 'uniform', params: { low: 0, high: 9 } },
        {
          name: 'twice',
          column_type: 'expression',
          expr: '{{ n * 2 }}',
          skip: { when: '{{ n > 8 }}' },
        },
      ],
      processors: [{ processor_type: 'drop_columns', column_names: ['n'] }],
    };
    expect(validateConfig(d).ok).toBe(true);
    (d['columns'] as RawObject[])[0]!['name'] = 'count';
    expect(validateConfig(d).ok).toBe(false);
    applied(d, 'n', 'count');
    expect(validateConfig(d).ok).toBe(true);
  });

  it('lists a template it cannot rewrite and changes nothing there', () => {
    const d: RawObject = {
      columns: [
        { name: 'age', column_type: 'sampler' },
        { name: 'a', column_type: 'expression', expr: '{{ age }}' },
        { name: 'b', column_type: 'expression', expr: '{% for years in x %}{{ age }}{% endfor %}' },
      ],
    };
    const plan = planRename(d, 'age', 'years');
    expect(plan.edits.map((e) => [e.path, e.value])).toEqual([['columns[1].expr', '{{ years }}']]);
    expect(plan.left).toEqual([
      {
        path: 'columns[2].expr',
        owner: 'b',
        reason: 'the new name is already used inside the template',
      },
    ]);
  });

  it('plans nothing for an empty or unchanged name', () => {
    expect(planRename(doc(), 'age', 'age').edits).toEqual([]);
    expect(planRename(doc(), 'age', '').edits).toEqual([]);
    expect(referencesTo(doc(), '')).toEqual([]);
  });
});

describe('deleting a referenced column', () => {
  it('asks, naming the column and everything that refers to it', () => {
    expect(removalQuestion(doc(), 4)).toBe(
      "'bio' is used by check, vec, processor 1 and processor shape. Delete it anyway? They will then refer to a column that does not exist.",
    );
  });

  it('does not ask when nothing else refers to the column', () => {
    expect(removalQuestion(doc(), 6)).toBeNull();
    const selfish: RawObject = {
      columns: [{ name: 'x', column_type: 'expression', expr: '{{ x }}' }],
    };
    expect(removalQuestion(selfish, 0)).toBeNull();
  });

  it('lists at most five names', () => {
    expect(namesList(['a'])).toBe('a');
    expect(namesList(['a', 'b'])).toBe('a and b');
    expect(namesList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
  });
});
