/**
 * The sandbox's bounds (SPEC 1: bounded size and output), each a TEMPLATE_LIMIT
 * naming the template, and each exact: a template just inside a bound renders.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import {
  MAX_LOOP_ITERATIONS,
  MAX_NESTING_DEPTH,
  MAX_RANGE_ITEMS,
  MAX_TEMPLATE_LENGTH,
  MAX_TEMPLATE_OUTPUT,
  parseTemplate,
  renderTemplate,
} from '../../../src/core/template/template.ts';
import { templateReferences } from '../../../src/core/template/references.ts';

const LIMIT = expect.objectContaining({
  code: ErrorCodes.TEMPLATE_LIMIT,
  details: { where: 'cols[1].expr' },
});
const render = (source: string, context: Record<string, unknown> = {}) =>
  renderTemplate(parseTemplate(source, 'cols[1].expr'), context);

describe('bounds (TEMPLATE_LIMIT)', () => {
  it('template size', () => {
    expect(() => parseTemplate('x'.repeat(MAX_TEMPLATE_LENGTH), 'e')).not.toThrow();
    expect(() => render('x'.repeat(MAX_TEMPLATE_LENGTH + 1))).toThrow(LIMIT);
  });

  it('output size: the rendered text may not exceed the bound', () => {
    const half = MAX_TEMPLATE_OUTPUT / 2;
    expect(render('{{ s }}{{ s }}', { s: 'a'.repeat(half) })).toHaveLength(MAX_TEMPLATE_OUTPUT);
    expect(() => render('{{ s }}{{ s }}x', { s: 'a'.repeat(half) })).toThrow(LIMIT);
  });

  it('loop iterations are counted over all loops of a render, nested ones multiplying', () => {
    const side = Math.floor(Math.sqrt(MAX_LOOP_ITERATIONS)) - 16; // side + side² iterations, inside
    const nested = `{% for i in range(${side}) %}{% for j in range(${side}) %}{% endfor %}{% endfor %}`;
    expect(side + side * side).toBeLessThan(MAX_LOOP_ITERATIONS);
    expect(render(nested)).toBe('');
    expect((side + 20) * (side + 20)).toBeGreaterThan(MAX_LOOP_ITERATIONS);
    const over = `{% for i in range(${side + 20}) %}{% for j in range(${side + 20}) %}{% endfor %}{% endfor %}`;
    expect(() => render(over)).toThrow(LIMIT);
  });

  it('the loop budget is per render, not per template', () => {
    const t = parseTemplate(`{% for i in range(${MAX_RANGE_ITEMS}) %}{% endfor %}`, 'e');
    for (let i = 0; i < 20; i++) expect(renderTemplate(t, {})).toBe('');
  });

  it('range() size', () => {
    expect(render(`{{ range(${MAX_RANGE_ITEMS})|length }}`)).toBe(String(MAX_RANGE_ITEMS));
    expect(() => render(`{{ range(${MAX_RANGE_ITEMS + 1}) }}`)).toThrow(LIMIT);
  });

  it('nesting depth, checked when parsing', () => {
    const deep = (n: number) => `{{ ${'('.repeat(n)}1${')'.repeat(n)} }}`;
    expect(render(deep(50))).toBe('1');
    expect(() => parseTemplate(deep(MAX_NESTING_DEPTH + 1), 'cols[1].expr')).toThrow(LIMIT);
  });

  it('string and list building: repetition and doubling are charged as they grow', () => {
    expect(() => render("{{ 'ab' * 10**8 }}")).toThrow(LIMIT);
    expect(() =>
      render(
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
      ),
    ).toThrow(LIMIT);
  });
});

describe('test calls (x is name(arg)) keep references and error positions', () => {
  it('the arguments of a test are references; the test name is not', () => {
    expect(
      templateReferences(parseTemplate('{{ x is divisibleby(y) }} {{ z is not in(zs) }}', 't')),
    ).toEqual(['x', 'y', 'z', 'zs']);
  });

  it('a syntax error after a test call is still reported at its own column', () => {
    expect(() => parseTemplate('{{ x is divisibleby(3) }} {{ 1 +* 2 }}', 't')).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ line: 1, column: 33 }) }),
    );
  });
});
