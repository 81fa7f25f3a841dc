import { describe, expect, it } from 'vitest';
import { ErrorCodes, TemplateError } from '../../../src/core/errors.ts';
import {
  MAX_RANGE_ITEMS,
  parseTemplate,
  parseTemplateSyntax,
  renderTemplate,
} from '../../../src/core/template/template.ts';
import { templateReferences } from '../../../src/core/template/references.ts';

function syntaxErrorOf(source: string): TemplateError {
  try {
    parseTemplate(source, 'columns[0].prompt');
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

const refs = (source: string) => templateReferences(parseTemplate(source, 't'));

describe('templates parse with positions (SPEC 1)', () => {
  it('a parser error names the path, line and column of the bad token', () => {
    const err = syntaxErrorOf('Hello {{ name }}\nand {{ 1 +* 2 }}');
    expect(err.code).toBe(ErrorCodes.TEMPLATE_SYNTAX);
    expect(err.details).toMatchObject({ where: 'columns[0].prompt', line: 2, column: 11 });
    expect(err.message).toMatch(/^columns\[0\]\.prompt: .*line 2, column 11/);
  });

  it('a lexer error points at the offending character', () => {
    const err = syntaxErrorOf('ab\n  {{ x $ y }}');
    expect(err.details).toMatchObject({ line: 2, column: 8 });
    expect(err.message).toContain('the character "$" is not allowed here');
  });

  it('an unclosed block is reported as an unexpected end', () => {
    const err = syntaxErrorOf('{% if x %}yes');
    expect(err.message).toContain('unexpected end of template');
    expect(err.details).toMatchObject({ line: 1, column: 14 });
  });

  it('an unclosed string or tag is reported at the tag it opened', () => {
    const err = syntaxErrorOf('ok {{ "abc }}');
    expect(err.message).toContain('left open');
    expect(err.details).toMatchObject({ line: 1, column: 4 });
  });

  it.each(['include', 'import', 'extends'])('{%% %s %%} is refused', (stmt) => {
    const err = syntaxErrorOf(`a {% ${stmt} "other.j2" %}`);
    expect(err.code).toBe(ErrorCodes.TEMPLATE_SYNTAX);
    expect(err.message).toContain(`{% ${stmt} %} is not allowed`);
  });
});

describe('template references (SPEC 3.1: every referenced column is a dependency)', () => {
  it('attribute access reads the top-level name', () => {
    expect(refs('{{ person.first_name }} {{ person["last_name"] }} {{ city }}')).toEqual([
      'person',
      'city',
    ]);
  });

  it('loop variables, loop and set locals are not columns; the iterable is', () => {
    expect(refs('{% for t in tags %}{{ loop.index }}{{ t }}{% endfor %}')).toEqual(['tags']);
    expect(refs('{% set n = count * 2 %}{{ n }} {{ other }}')).toEqual(['count', 'other']);
    expect(refs('{% for k, v in pairs %}{{ k }}{{ v }}{{ outer }}{% endfor %}')).toEqual([
      'pairs',
      'outer',
    ]);
  });

  it('a variable read before a set of the same name is a reference', () => {
    expect(refs('{{ x }}{% set x = 1 %}{{ x }}')).toEqual(['x']);
  });

  it('a name set in one branch of an if is still a reference after it; set in every branch, a local', () => {
    expect(refs('{% if false %}{% set price = 0 %}{% endif %}{{ price }}')).toEqual(['price']);
    expect(
      refs(
        '{% if a %}{% set x = 1 %}{% elif b %}{% set x = 2 %}{% else %}{% set x = 3 %}{% endif %}{{ x }}',
      ),
    ).toEqual(['a', 'b']);
    expect(refs('{% if a %}{% set x = 1 %}{% elif b %}{% set x = 2 %}{% endif %}{{ x }}')).toEqual([
      'a',
      'b',
      'x',
    ]);
    expect(refs('{% if a %}{% set y = 1 %}{{ y }}{% endif %}')).toEqual(['a']);
  });

  it('filters and tests are not columns; their arguments are', () => {
    expect(refs('{{ name | upper }} {{ a | default(b) }} {{ c is defined }}')).toEqual([
      'name',
      'a',
      'b',
      'c',
    ]);
  });

  it('literals, globals and inline if read only their variables', () => {
    expect(refs('{{ "x" if flag else none }} {{ true }} {{ range(3) | length }}')).toEqual([
      'flag',
    ]);
  });

  it('macros read only what their bodies read beyond their arguments', () => {
    expect(refs('{% macro f(a, b=1) %}{{ a }}{{ c }}{% endmacro %}{{ f(d) }}')).toEqual(['c', 'd']);
  });

  it('names standing for another name scope as it does and are reported as written', () => {
    const alias = (n: string) => (n.startsWith('m') ? 'x' : n);
    const parsed = parseTemplate('{{ m1 }}{% for m2 in xs %}{{ m3 }}{% endfor %}{{ m4 }}', 't');
    expect(templateReferences(parsed, alias)).toEqual(['m1', 'xs', 'm4']);
  });

  it('a template parsed for its syntax only does not check filter names', () => {
    expect(() => parseTemplate('{{ a | nosuchfilter }}', 't')).toThrow(TemplateError);
    expect(templateReferences(parseTemplateSyntax('{{ a | nosuchfilter }}', 't'))).toEqual(['a']);
  });
});

describe('rendering', () => {
  it('renders columns, attributes, loops and conditionals', () => {
    const t = parseTemplate(
      '{{ person.first_name }} ({{ age }}){% for t in tags %} #{{ t }}{% endfor %}{% if age > 30 %} senior{% endif %}',
      'expr',
    );
    expect(renderTemplate(t, { person: { first_name: 'Ada' }, age: 36, tags: ['a', 'b'] })).toBe(
      'Ada (36) #a #b senior',
    );
  });

  it('a failure while rendering is TEMPLATE_RENDER naming the field', () => {
    const t = parseTemplate('{{ x | abs }}', 'columns[2].expr');
    expect(() => renderTemplate(t, { x: 'a' })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.TEMPLATE_RENDER,
        message: expect.stringContaining('columns[2].expr'),
      }),
    );
  });

  it('no path from a template to JavaScript: constructors and prototypes are not reachable', () => {
    const escapes = [
      '{{ x.constructor }}',
      '{{ x.__proto__ }}',
      '{{ "".constructor.constructor("return 1")() }}',
    ];
    for (const source of escapes) {
      const t = parseTemplate(source, 'expr');
      let out: string;
      try {
        out = renderTemplate(t, { x: {} });
      } catch (err) {
        expect(err).toBeInstanceOf(TemplateError);
        continue;
      }
      expect(out).not.toMatch(/function|native code|Object/);
    }
  });

  it('range() is bounded (TEMPLATE_LIMIT)', () => {
    const t = parseTemplate(`{% for i in range(${MAX_RANGE_ITEMS + 1}) %}.{% endfor %}`, 'expr');
    expect(() => renderTemplate(t, {})).toThrow(
      expect.objectContaining({ code: ErrorCodes.TEMPLATE_LIMIT }),
    );
    expect(renderTemplate(parseTemplate('{{ range(1, 7, 2) | join(",") }}', 'e'), {})).toBe(
      '1,3,5',
    );
  });

  it('the clock is not a template global (output depends only on the row)', () => {
    expect(() => parseTemplate('{{ strftime_now("%Y") }}', 'expr')).toThrow(
      /unknown function "strftime_now"/,
    );
  });
});
