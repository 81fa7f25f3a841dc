/**
 * "Config valid" means the preview can run: a filter, test or function that does
 * not exist fails config validation at the field's path, with a did-you-mean and
 * the names that do exist, and a template that does not parse says so in the
 * user's words (what was expected, what was found), never in the parser's tokens.
 */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { parseTemplate } from '../../../src/core/template/template.ts';

const issuesOf = (expr: string) => {
  const r = validateConfig(
    parseConfigText(`
columns:
  - { name: x, column_type: sampler, sampler_type: category, params: { values: [a, b] } }
  - { name: n, column_type: sampler, sampler_type: uniform, params: { low: 1, high: 9 } }
  - name: label
    column_type: expression
    expr: ${JSON.stringify(expr)}
`),
  );
  return r.ok ? [] : r.issues;
};

const syntaxMessage = (source: string): string => {
  try {
    parseTemplate(source, 'columns[2].expr');
  } catch (err) {
    expect(err).toMatchObject({ code: ErrorCodes.TEMPLATE_SYNTAX });
    return (err as Error).message;
  }
  throw new Error(`expected ${source} not to parse`);
};

describe('unknown filters, tests and functions fail config validation', () => {
  it('an unknown filter is an issue at the expression, listing the known filters', () => {
    const issues = issuesOf('{{ x | nosuchfilter }}');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('columns[2].expr');
    expect(issues[0]?.message).toMatch(
      /^unknown filter "nosuchfilter" at line 1, column 8; known filters: abs, batch, .*upper, urlencode, wordcount$/,
    );
  });

  it('a misspelt filter, test or function gets a did-you-mean', () => {
    expect(issuesOf('{{ x | uper }}')[0]?.message).toMatch(
      /^unknown filter "uper" at line 1, column 8 \(did you mean "upper"\?\); known filters: /,
    );
    expect(issuesOf('{{ n is evn }}')[0]?.message).toMatch(
      /^unknown test "evn" at line 1, column 9 \(did you mean "even"\?\); known tests: /,
    );
    expect(issuesOf('{{ n is not divisbleby(3) }}')[0]?.message).toMatch(
      /^unknown test "divisbleby" .*\(did you mean "divisibleby"\?\)/,
    );
    expect(issuesOf('{{ rnage(n) | join }}')[0]?.message).toMatch(
      /^unknown function "rnage" at line 1, column 4 \(did you mean "range"\?\); known functions: dict, namespace, range/,
    );
    expect(issuesOf('{% filter uppr %}{{ x }}{% endfilter %}')[0]?.message).toMatch(
      /^unknown filter "uppr" at line 1, column 11 \(did you mean "upper"\?\)/,
    );
  });

  it('a filter or test named by a constant argument (map, select, selectattr) must exist too', () => {
    expect(issuesOf("{{ [x] | map('uper') | join }}")[0]?.message).toMatch(
      /^unknown filter "uper" at line 1, column 15 \(did you mean "upper"\?\)/,
    );
    expect(issuesOf("{{ [n] | select('od') | list }}")[0]?.message).toMatch(
      /^unknown test "od" .*\(did you mean "odd"\?\)/,
    );
    expect(issuesOf("{{ [{'a': n}] | selectattr('a', 'evn') | list }}")[0]?.message).toMatch(
      /^unknown test "evn" .*\(did you mean "even"\?\)/,
    );
    expect(issuesOf("{{ [x] | map('upper') | join }} {{ [n] | reject('none') | list }}")).toEqual(
      [],
    );
  });

  it('even in a branch that would not run, since it can never run', () => {
    expect(issuesOf('{% if false %}{{ x | nosuch }}{% endif %}')[0]?.path).toBe('columns[2].expr');
  });

  it('known filters, tests, globals, macros and methods pass', () => {
    expect(
      issuesOf(
        '{% macro m(v) %}{{ v | upper }}{% endmacro %}{{ m(x) }} {{ n is even }} {{ range(2) | list }} {{ x.upper() }}',
      ),
    ).toEqual([]);
  });
});

describe('template syntax errors in plain words', () => {
  it.each([
    ['{{ }}', 'line 1, column 4: expected a value before "}}"'],
    ['{{ x }', 'line 1, column 6: expected "}}" to close the "{{" tag, found "}"'],
    ['{{ x y }}', 'expected "}}" to close the "{{" tag, found a name'],
    ['{{ (x }}', 'expected ")" to close the "(", found "}}"'],
    ['{{ {1 2} }}', 'expected ":" between a key and its value, found a number'],
    ['{% if x %}a{% endfor %}', '{% endfor %} has no open {% for %} to close'],
    ['{% fro x in y %}{% endfor %}', 'unknown tag {% fro %} (did you mean {% for %}?)'],
    ['{% else %}', '{% else %} outside an {% if %} (or {% for %}) block'],
    ['{% for x y %}{% endfor %}', 'expected "in" after the loop variable'],
    ['{{ x ? y }}', 'the character "?" is not allowed here'],
  ])('%s', (source, words) => {
    const message = syntaxMessage(source);
    expect(message).toContain(words);
    expect(message).not.toMatch(/Close|Open|Identifier|!==|Parser Error/);
  });
});
