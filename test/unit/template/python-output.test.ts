/**
 * Output as Data Designer's Python Jinja2 prints it: True/False/None, ints without
 * decimals and floats as Python's repr, lists/dicts/tuples Python-style, Undefined
 * as empty text, and Python's arithmetic (int vs float, floor division, modulo).
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from '../../../src/core/template/template.ts';

const render = (source: string, context: Record<string, unknown> = {}) =>
  renderTemplate(parseTemplate(source, 'expr'), context);

describe('printing values like Python (SPEC 1: Jinja as Data Designer renders it)', () => {
  it.each([
    ['{{ true }} {{ False }} {{ none }} {{ None }}', 'True False None None'],
    ['{{ flag }} {{ nothing }}', 'True None'],
    ['[{{ missing }}]', '[]'],
    ['{{ 1.0 }} {{ 2.50 }} {{ 0.1 + 0.2 }} {{ 0.00001 }}', '1.0 2.5 0.30000000000000004 1e-05'],
    ['{{ 2.0 ** 60 }} {{ 10 ** 20 }}', '1.152921504606847e+18 100000000000000000000'],
    ['{{ 3 }} {{ -4 }} {{ n }} {{ f }}', '3 -4 7 2.25'],
  ])('%s', (source, expected) => {
    expect(render(source, { flag: true, nothing: null, n: 7, f: 2.25 })).toBe(expected);
  });

  it('lists, dicts and tuples print as Python reprs, strings quoted as Python quotes them', () => {
    expect(render("{{ ['a', 1, none, true, 1.0] }}")).toBe("['a', 1, None, True, 1.0]");
    expect(render("{{ {'k': 1, 'j': [1.5]} }}")).toBe("{'k': 1, 'j': [1.5]}");
    expect(render('{{ (1, 2) }} {{ d|items|list }}', { d: { a: 1 } })).toBe("(1, 2) [('a', 1)]");
    expect(render('{{ xs }}', { xs: ["it's", 'say "hi"', 'a\nb', 'back\\slash'] })).toBe(
      `["it's", 'say "hi"', 'a\\nb', 'back\\\\slash']`,
    );
  });

  it('a row value that refers to itself prints as [...] / {...} instead of looping', () => {
    const d: Record<string, unknown> = { a: 1 };
    d['me'] = d;
    const xs: unknown[] = [1];
    xs.push(xs);
    expect(render('{{ d }} {{ xs }}', { d, xs })).toBe("{'a': 1, 'me': {...}} [1, [...]]");
  });
});

describe("Python's arithmetic", () => {
  it.each([
    ['{{ 7 / 2 }} {{ 4 / 2 }}', '3.5 2.0'],
    ['{{ 7 // 2 }} {{ -7 // 2 }} {{ 7.0 // 2 }}', '3 -4 3.0'],
    ['{{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }}', '1 2 -2'],
    ['{{ 2 ** 10 }} {{ 2 ** -1 }} {{ 2 ** 0.5 }}', '1024 0.5 1.4142135623730951'],
    ['{{ 1 + 1.0 }} {{ 0.5 + 0.5 }} {{ 3 - 1 }} {{ 2 * 1.5 }}', '2.0 1.0 2 3.0'],
    ["{{ 'ab' * 3 }} {{ [1] * 2 }} {{ 'a' + 'b' }} {{ [1] + [2] }}", 'ababab [1, 1] ab [1, 2]'],
    ["{{ 'n=' ~ 1 ~ ', ' ~ none ~ ', ' ~ true ~ ', ' ~ 1.0 }}", 'n=1, None, True, 1.0'],
    ['{{ -x }} {{ not x }} {{ not 0 }}', '-3 False True'],
  ])('%s', (source, expected) => {
    expect(render(source, { x: 3 })).toBe(expected);
  });

  it('a mismatched operation or a division by zero fails the render (TEMPLATE_RENDER)', () => {
    expect(() => render("{{ 'a' + 1 }}")).toThrow(
      /unsupported operand type\(s\) for \+: 'str' and 'int'/,
    );
    expect(() => render('{{ 1 / 0 }}')).toThrow(/division by zero/);
    expect(() => render("{{ 1 < 'a' }}")).toThrow(
      /'<' not supported between instances of 'int' and 'str'/,
    );
  });
});

describe('comparison, membership and logic', () => {
  it.each([
    [
      "{{ 1 == 1.0 }} {{ [1, 'a'] == [1, 'a'] }} {{ {'a': 1} == {'a': 1} }} {{ 1 != 2 }}",
      'True True True True',
    ],
    ["{{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 2 >= 2 }} {{ 3 > 4 }}", 'True True True False'],
    [
      "{{ 'at' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in d }} {{ 'z' not in d }}",
      'True True True True',
    ],
    ["{{ 0 or 'x' }} {{ 1 and 'y' }} {{ none or [] }} {{ '' and 1 }}", 'x y [] '],
    ["{{ 'yes' if 0 else 'no' }} {{ 'a' if [] }}|{{ 'b' if {} else 'c' }}", 'no |c'],
  ])('%s', (source, expected) => {
    expect(render(source, { d: { k: 1 } })).toBe(expected);
  });
});

describe('reading variables', () => {
  it('attributes and items of dicts and lists, negative indexes and slices as in Python', () => {
    const ctx = { p: { name: 'Ada', tags: ['a', 'b', 'c'] }, s: 'hello' };
    expect(
      render('{{ p.name }} {{ p["name"] }} {{ p.tags[0] }} {{ p.tags[-1] }} {{ p.tags.1 }}', ctx),
    ).toBe('Ada Ada a c b');
    expect(
      render('{{ p.tags[1:] }} {{ p.tags[::-1] }} {{ s[1:3] }} {{ s[::-1] }} {{ s[0] }}', ctx),
    ).toBe("['b', 'c'] ['c', 'b', 'a'] el olleh h");
  });

  it('a missing name or attribute is Undefined (empty); an attribute of Undefined fails the render', () => {
    expect(render('[{{ p.nope }}][{{ p.tags[9] }}][{{ nope }}]', { p: { tags: [] } })).toBe(
      '[][][]',
    );
    expect(() => render('{{ nope.deeper }}')).toThrow(/'nope' is undefined/);
  });

  it('allowed str and dict methods run; any other method fails', () => {
    expect(
      render("{{ s.upper() }} {{ s.split(' ') }} {{ s.startswith('he') }} {{ d.get('z', 0) }}", {
        s: 'hello you',
        d: { a: 1 },
      }),
    ).toBe("HELLO YOU ['hello', 'you'] True 0");
    expect(
      render('{{ d.items()|list }} {{ d.keys()|list }} {{ d.values()|list }}', { d: { a: 1 } }),
    ).toBe("[('a', 1)] ['a'] [1]");
    expect(() => render('{{ s.format(1) }}', { s: '{}' })).toThrow(
      /'str' object has no attribute 'format'/,
    );
  });
});
