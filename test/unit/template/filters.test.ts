/**
 * Filters and tests as Jinja2 defines them (Data Designer's allowed set: abs,
 * capitalize, first, float, int, items, last, length, list, lower, max, min,
 * random, replace, reverse, round, sort, string, title, trim, truncate, unique,
 * upper, urlencode, jsonpath; plus default, join, tojson and the list helpers).
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from '../../../src/core/template/template.ts';

const render = (source: string, context: Record<string, unknown> = {}, seed?: number) =>
  renderTemplate(parseTemplate(source, 'expr'), context, seed === undefined ? undefined : { seed });

const people = [
  { name: 'bo', age: 40, ok: true },
  { name: 'Al', age: 30, ok: false },
  { name: 'cy', age: 35, ok: true },
];

describe('string filters', () => {
  it.each([
    ["{{ 'mary-ann o(neil) joNES'|title }}", 'Mary-Ann O(Neil) Jones'],
    ["{{ 'hELLO world'|capitalize }} {{ 'Ab'|upper }} {{ 'Ab'|lower }}", 'Hello world AB ab'],
    ["[{{ '  x y  '|trim }}] [{{ 'xxhixx'|trim('x') }}]", '[x y] [hi]'],
    ["{{ 'aXbXc'|replace('X', '-') }} {{ 'aXbXc'|replace('X', '-', 1) }}", 'a-b-c a-bXc'],
    [
      "{{ 'abc'|reverse }} {{ 42|string ~ '!' }} {{ 'abc'|length }} {{ 'abc'|count }}",
      'cba 42! 3 3',
    ],
    ["{{ 'a b&c/d'|urlencode }} {{ {'q': 'x y', 'n': 1}|urlencode }}", 'a%20b%26c/d q=x+y&n=1'],
    ['{{ \'<a href="x">\'|e }}', '&lt;a href=&#34;x&#34;&gt;'],
  ])('%s', (source, expected) => {
    expect(render(source)).toBe(expected);
  });

  it("truncate keeps Jinja's leeway of 5, cuts at a word unless killwords, and appends end", () => {
    expect(render("{{ 'hello world foo bar'|truncate(9) }}")).toBe('hello...');
    expect(render("{{ 'short text!'|truncate(9) }}")).toBe('short text!');
    expect(render('{{ s|truncate(10, true) }}', { s: 'abcdefghijklmnopqrstuvwxyz' })).toBe(
      'abcdefg...',
    );
    expect(render("{{ s|truncate(10, false, '>', 0) }}", { s: 'one two three four' })).toBe(
      'one two>',
    );
  });
});

describe('number filters', () => {
  it("round uses Python's round (ties to even on exact halves) and returns a float for floats", () => {
    expect(render('{{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 42|round }}')).toBe(
      '2.0 4.0 2.67 42',
    );
    expect(
      render(
        "{{ 3.14159|round(2, 'floor') }} {{ 3.14159|round(1, 'ceil') }} {{ 7|round(0, 'ceil') }}",
      ),
    ).toBe('3.14 3.2 7.0');
  });

  it('int and float parse strings, with a default when they cannot', () => {
    expect(
      render("{{ '42'|int }} {{ '3.7'|int }} {{ 'x'|int }} {{ 'x'|int(-1) }} {{ 3.9|int }}"),
    ).toBe('42 3 0 -1 3');
    expect(render("{{ '3'|float }} {{ '2.5'|float }} {{ 'x'|float }} {{ 4|float }}")).toBe(
      '3.0 2.5 0.0 4.0',
    );
    expect(render('{{ -3|abs }} {{ (0 - 2.5)|abs }}')).toBe('3 2.5');
  });
});

describe('list filters', () => {
  it('first, last, length, list, reverse, unique, join', () => {
    const ctx = { xs: [3, 1, 2, 2], d: { a: 1, b: 2 } };
    expect(
      render(
        '{{ xs|first }} {{ xs|last }} {{ xs|length }} {{ d|list }} {{ xs|reverse|list }}',
        ctx,
      ),
    ).toBe("3 2 4 ['a', 'b'] [2, 2, 1, 3]");
    expect(
      render("{{ ['a', 'A', 'b', 'a']|unique|list }} {{ xs|join('-') }} {{ 'ab'|list }}", ctx),
    ).toBe("['a', 'b'] 3-1-2-2 ['a', 'b']");
    expect(render("[{{ []|first }}] {{ people|join(', ', attribute='name') }}", { people })).toBe(
      '[] bo, Al, cy',
    );
  });

  it('sort, min and max: case-insensitive by default, by attribute, reversed', () => {
    expect(
      render("{{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }}"),
    ).toBe("['A', 'b', 'c'] ['A', 'b', 'c']");
    expect(
      render("{{ people|sort(attribute='age')|map(attribute='name')|join(',') }}", { people }),
    ).toBe('Al,cy,bo');
    expect(
      render("{{ people|sort(attribute='name', reverse=true)|map(attribute='name')|list }}", {
        people,
      }),
    ).toBe("['cy', 'bo', 'Al']");
    expect(
      render("{{ [3, 9, 1]|max }} {{ [3, 9, 1]|min }} {{ (people|max(attribute='age')).name }}", {
        people,
      }),
    ).toBe('9 1 bo');
  });

  it('select, reject, selectattr, rejectattr and map', () => {
    const ctx = { xs: [1, 2, 3, 4], people };
    expect(
      render(
        "{{ xs|select('odd')|list }} {{ xs|reject('odd')|list }} {{ xs|select('gt', 2)|list }}",
        ctx,
      ),
    ).toBe('[1, 3] [2, 4] [3, 4]');
    expect(render("{{ people|selectattr('ok')|map(attribute='name')|list }}", ctx)).toBe(
      "['bo', 'cy']",
    );
    expect(render("{{ people|rejectattr('age', 'lt', 35)|map(attribute='age')|list }}", ctx)).toBe(
      '[40, 35]',
    );
    expect(render("{{ xs|map('string')|join }} {{ ['a', 'b']|map('upper')|list }}", ctx)).toBe(
      "1234 ['A', 'B']",
    );
  });

  it('batch and slice group items; items lists a dict as (key, value) pairs; sum adds', () => {
    expect(render('{{ [1, 2, 3]|batch(2)|list }} {{ [1, 2, 3]|batch(2, 0)|list }}')).toBe(
      '[[1, 2], [3]] [[1, 2], [3, 0]]',
    );
    expect(render('{{ [1, 2, 3, 4, 5]|slice(2)|list }} {{ d|items|list }}', { d: { a: 1 } })).toBe(
      "[[1, 2, 3], [4, 5]] [('a', 1)]",
    );
    expect(render("{{ [1, 2.5]|sum }} {{ people|sum(attribute='age') }}", { people })).toBe(
      '3.5 105',
    );
  });

  it('random picks from the render seed: the same seed, the same pick; seeds differ across cells', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const picks = Array.from({ length: 20 }, (_, seed) => render('{{ xs|random }}', { xs }, seed));
    expect(
      Array.from({ length: 20 }, (_, seed) => render('{{ xs|random }}', { xs }, seed)),
    ).toEqual(picks);
    expect(new Set(picks).size).toBeGreaterThan(5);
    expect(render('[{{ []|random }}]')).toBe('[]');
  });
});

describe('default, tojson, jsonpath', () => {
  it('default replaces Undefined, and with boolean=true any falsy value', () => {
    expect(
      render(
        "{{ nope|default('n/a') }} {{ x|d('n/a') }} [{{ e|default('n/a') }}] {{ e|default('n/a', true) }}",
        {
          x: 0,
          e: '',
        },
      ),
    ).toBe('n/a 0 [] n/a');
  });

  it('tojson: sorted keys, Python separators, HTML-safe escapes, floats as floats', () => {
    expect(render('{{ d|tojson }}', { d: { b: [1, 2.5, null, true], a: "<'&>" } })).toBe(
      '{"a": "\\u003c\\u0027\\u0026\\u003e", "b": [1, 2.5, null, true]}',
    );
    expect(render('{{ {"x": 1.0}|tojson }} {{ [1, [2]]|tojson(2) }}')).toBe(
      '{"x": 1.0} [\n  1,\n  [\n    2\n  ]\n]',
    );
  });

  it('jsonpath: $.a.b[0], [*], recursive .., quoted keys and negative indexes', () => {
    const d = { a: { b: [1, 2], 'odd key': 'k' }, c: [{ b: 3 }] };
    expect(
      render(
        "{{ d|jsonpath('$.a.b[0]') }} {{ d|jsonpath('$.a.b[*]') }} {{ d|jsonpath('$.a.b[-1]') }}",
        { d },
      ),
    ).toBe('[1] [1, 2] [2]');
    expect(
      render(
        "{{ d|jsonpath('$..b') }} {{ d|jsonpath(\"$.a['odd key']\") }} {{ d|jsonpath('$.c[*].b') }}",
        {
          d,
        },
      ),
    ).toBe("[[1, 2], 3] ['k'] [3]");
    expect(() => render("{{ 'text'|jsonpath('$.a') }}")).toThrow(/non-structured data/);
  });
});

describe('tests (x is name, x is name(arg))', () => {
  it.each([
    [
      '{{ x is defined }} {{ nope is undefined }} {{ n is none }} {{ x is number }} {{ s is string }}',
      'True True True True True',
    ],
    [
      '{{ x is even }} {{ x is odd }} {{ 9 is divisibleby(3) }} {{ 9 is not divisibleby(2) }}',
      'True False True True',
    ],
    [
      '{{ 2 is in([1, 2]) }} {{ s is lower }} {{ d is mapping }} {{ x is not string }}',
      'True True True True',
    ],
  ])('%s', (source, expected) => {
    expect(render(source, { x: 4, n: null, s: 'abc', d: {} })).toBe(expected);
  });

  it('an unknown filter or test fails when the template is read, naming it', () => {
    expect(() => parseTemplate('{{ 1|nosuch }}', 'e')).toThrow(/unknown filter "nosuch"/);
    expect(() => parseTemplate('{{ 1 is nosuch }}', 'e')).toThrow(/unknown test "nosuch"/);
  });
});
