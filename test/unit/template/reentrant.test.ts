/**
 * Rendering is re-entrant: a render started while another is running (from a
 * filter, or nested deeper) has budgets, `random` draws and loop state of its
 * own, and leaves the caller's exactly as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { FILTERS, type Filter } from '../../../src/core/template/filters.ts';
import {
  MAX_LOOP_ITERATIONS,
  parseTemplate,
  renderTemplate,
  type ParsedTemplate,
} from '../../../src/core/template/template.ts';

/** 300 × 300 + 300 loop iterations: most of one render's budget. */
const BIG_LOOP = '{% for i in range(300) %}{% for j in range(300) %}{% endfor %}{% endfor %}';
const inner = parseTemplate(`${BIG_LOOP}inner done`, 'inner.expr');
const light = parseTemplate('{% for k in range(3) %}{% endfor %}light', 'light.expr');
const innerRandom = parseTemplate('{{ [1, 2, 3, 4, 5, 6, 7, 8, 9] | random }}', 'inner.random');

/** Filters that render another template while the outer render is running. */
const TEST_FILTERS: Record<string, Filter> = {
  render_inner: () => renderTemplate(inner, {}),
  render_light: () => renderTemplate(light, {}),
  render_random: () => renderTemplate(innerRandom, {}, { seed: 99 }),
  render_nested: (v) => renderTemplate(parseTemplate('{{ v | render_inner }}!', 'mid.expr'), { v }),
  plain: () => '4',
};
const filters = FILTERS as Record<string, Filter>;

beforeAll(() => Object.assign(filters, TEST_FILTERS));
afterAll(() => {
  for (const name of Object.keys(TEST_FILTERS)) delete filters[name];
});

const render = (t: string, seed?: number) =>
  renderTemplate(parseTemplate(t, 'outer.expr'), {}, seed === undefined ? {} : { seed });

describe('re-entrant rendering', () => {
  it('a render called from a filter gets a full loop budget of its own', () => {
    expect(300 * 300 * 2).toBeGreaterThan(MAX_LOOP_ITERATIONS);
    const outer = `{{ 'x' | render_inner }}${BIG_LOOP} outer done`;
    expect(render(outer)).toBe('inner done outer done');
  });

  it("an inner render does not refill the caller's budget", () => {
    const over = MAX_LOOP_ITERATIONS + 1;
    const outer = `{% for i in range(20) %}{% for j in range(${Math.ceil(over / 20)}) %}{% if i == 10 and j == 0 %}{{ 'x' | render_light }}{% endif %}{% endfor %}{% endfor %}`;
    expect(() => render(outer)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.TEMPLATE_LIMIT,
        details: { where: 'outer.expr' },
      }),
    );
  });

  it('renders nested two deep each keep their own budget', () => {
    expect(render(`{{ 'x' | render_nested }}${BIG_LOOP}`)).toBe('inner done!');
  });

  it("the caller's random draws are the same whether or not a filter rendered in between", () => {
    const xs = '[1, 2, 3, 4, 5, 6, 7, 8, 9]';
    const draws = `{{ ${xs} | random }}{{ ${xs} | random }}{{ ${xs} | random }}`;
    const withInner = render(`{{ ${xs} | random }}{{ 'x' | render_random }}${draws}`, 7);
    const without = render(`{{ ${xs} | random }}{{ 'x' | plain }}${draws}`, 7);
    const alone = renderTemplate(innerRandom, {}, { seed: 99 });
    expect(withInner.slice(0, 1) + withInner.slice(2)).toBe(without.slice(0, 1) + without.slice(2));
    expect(withInner[1]).toBe(alone);
  });

  it('a loop that breaks after a filter rendered a loop that breaks stops where it means to', () => {
    const innerBreak: ParsedTemplate = parseTemplate(
      '{% for k in range(5) %}{{ k }}{% if k == 1 %}{% break %}{% endif %}{% endfor %}',
      'inner.break',
    );
    filters['render_break'] = () => renderTemplate(innerBreak, {});
    try {
      const outer =
        "{% for i in range(4) %}[{% if i == 2 %}{% break %}{% endif %}{{ 'x' | render_break }}]{% endfor %}";
      expect(render(outer)).toBe('[01][01][');
    } finally {
      delete filters['render_break'];
    }
  });
});
