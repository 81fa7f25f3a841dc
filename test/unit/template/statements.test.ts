/**
 * Statements as Jinja2 runs them: if/elif/else, for (loop.*, else, a filter on the
 * loop, unpacking, break/continue), set (scoped to its loop), namespace, macros,
 * filter blocks, and whitespace control.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { parseTemplate, renderTemplate } from '../../../src/core/template/template.ts';

const render = (source: string, context: Record<string, unknown> = {}) =>
  renderTemplate(parseTemplate(source, 'expr'), context);

describe('if', () => {
  it('if / elif / else pick the first truthy branch', () => {
    const t = '{% if n > 10 %}big{% elif n > 5 %}mid{% elif n %}small{% else %}zero{% endif %}';
    expect([20, 7, 1, 0].map((n) => render(t, { n }))).toEqual(['big', 'mid', 'small', 'zero']);
  });
});

describe('for', () => {
  it('loop.index, index0, first, last, length, revindex and cycle', () => {
    const t =
      '{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}{{ loop.cycle("a", "b") }};{% endfor %}';
    expect(render(t, { xs: ['p', 'q'] })).toBe('10TrueFalse22a;21FalseTrue21b;');
  });

  it('else runs when nothing was iterated (an empty list, Undefined)', () => {
    const t = '{% for x in xs %}{{ x }}{% else %}none{% endfor %}';
    expect(render(t, { xs: [] })).toBe('none');
    expect(render(t, {})).toBe('none');
  });

  it('a loop filter keeps matching items; loop.length counts only those', () => {
    expect(
      render('{% for x in xs if x > 1 %}{{ x }}/{{ loop.length }} {% endfor %}', { xs: [1, 2, 3] }),
    ).toBe('2/2 3/2 ');
  });

  it('unpacks pairs; iterating a dict gives its keys', () => {
    const d = { a: 1, b: 2 };
    expect(render('{% for k, v in d|items %}{{ k }}={{ v }};{% endfor %}', { d })).toBe('a=1;b=2;');
    expect(render('{% for k in d %}{{ k }}{% endfor %}', { d })).toBe('ab');
  });

  it('break and continue', () => {
    expect(
      render('{% for i in range(9) %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}'),
    ).toBe('012');
    expect(
      render(
        '{% for i in range(6) %}{% if i is odd %}{% continue %}{% endif %}{{ i }}{% endfor %}',
      ),
    ).toBe('024');
  });

  it('nested loops see the outer loop variable; loop is the innermost', () => {
    const t =
      '{% for a in [1, 2] %}{% for b in "xy" %}{{ a }}{{ b }}{{ loop.index }} {% endfor %}{% endfor %}';
    expect(render(t)).toBe('1x1 1y2 2x1 2y2 ');
  });

  it('iterating a number fails the render', () => {
    expect(() => render('{% for x in n %}{% endfor %}', { n: 3 })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.TEMPLATE_RENDER,
        message: expect.stringContaining("'int' object is not iterable"),
      }),
    );
  });
});

describe('set', () => {
  it('a set shadows the column of the same name from that point on', () => {
    expect(render('{{ x }} {% set x = x * 2 %}{{ x }}', { x: 5 })).toBe('5 10');
  });

  it('a set inside a loop does not leak out of it (Jinja scoping); namespace carries values out', () => {
    const t =
      '{% set total = 0 %}{% set ns = namespace(total=0) %}{% for i in [1, 2, 3] %}{% set total = total + i %}{% set ns.total = ns.total + i %}{% endfor %}{{ total }} {{ ns.total }}';
    expect(render(t)).toBe('0 6');
  });

  it('tuple unpacking and block set', () => {
    expect(render('{% set a, b = [1, 2] %}{{ b }}{{ a }}')).toBe('21');
    expect(render('{% set s %}hi {{ name }}{% endset %}[{{ s|upper }}]', { name: 'bo' })).toBe(
      '[HI BO]',
    );
  });

  it('only a namespace takes attribute assignment', () => {
    expect(() => render('{% set d.k = 1 %}', { d: {} })).toThrow(
      /cannot assign attribute on non-namespace object/,
    );
  });
});

describe('macros and filter blocks', () => {
  it('a macro takes positional and keyword arguments with defaults, and may call itself', () => {
    const t =
      '{% macro greet(name, greeting="Hello") %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet("Ada") }} {{ greet("Bo", greeting="Hi") }}';
    expect(render(t)).toBe('Hello, Ada! Hi, Bo!');
    const countdown =
      '{% macro down(n) %}{{ n }}{% if n > 0 %}{{ down(n - 1) }}{% endif %}{% endmacro %}{{ down(3) }}';
    expect(render(countdown)).toBe('3210');
  });

  it('a filter block applies the filter to its body', () => {
    expect(render('{% filter upper %}a{{ x }}b{% endfilter %}', { x: 'c' })).toBe('ACB');
  });
});

describe('whitespace', () => {
  it('blocks trim the newline after a tag and the indentation before it (trim_blocks, lstrip_blocks)', () => {
    const t = 'items:\n  {% for x in xs %}\n- {{ x }}\n  {% endfor %}\ndone';
    expect(render(t, { xs: [1, 2] })).toBe('items:\n- 1\n- 2\ndone');
  });

  it('{%- and -%} strip whitespace on their side', () => {
    expect(render('a  {%- if true -%}  b  {%- endif -%}  c')).toBe('abc');
  });
});

describe('unsupported constructs are syntax errors at parse time', () => {
  it.each(['{% call f() %}x{% endcall %}', '{% break %}', '{{ f(*xs) }}'])('%s', (source) => {
    expect(() => parseTemplate(source, 'expr')).toThrow(
      expect.objectContaining({
        code: ErrorCodes.TEMPLATE_SYNTAX,
        details: expect.objectContaining({ where: 'expr' }),
      }),
    );
  });
});
