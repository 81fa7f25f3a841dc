/**
 * The sandbox (SPEC 1): a corpus of escape attempts, each of which must execute
 * nothing (a global canary stays unset, Object.prototype stays clean), and either
 * throw a TemplateError or render harmlessly, and finish: the bounds guarantee it,
 * so no case needs a timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, TemplateError } from '../../../src/core/errors.ts';
import { parseTemplate, renderTemplate } from '../../../src/core/template/template.ts';

const canary = globalThis as { __tabsynthCanary?: unknown };

/** A row with the kinds of values a real row holds, plus a self-referencing one. */
function row(): Record<string, unknown> {
  const loop: Record<string, unknown> = { name: 'self' };
  loop['self'] = loop;
  const list: unknown[] = [1];
  list.push(list);
  return {
    x: {},
    s: 'text',
    n: 3,
    xs: [{ name: 'a' }, { name: 'b' }],
    loop_obj: loop,
    loop_list: list,
  };
}

const ESCAPES: readonly string[] = [
  "{{ ''.constructor.constructor('globalThis.__tabsynthCanary = 1')() }}",
  "{{ s.constructor.constructor('globalThis.__tabsynthCanary = 1')() }}",
  '{{ x.constructor.constructor("globalThis.__tabsynthCanary = 1")() }}',
  '{{ range.constructor("globalThis.__tabsynthCanary = 1")() }}',
  '{{ namespace.constructor("globalThis.__tabsynthCanary = 1")() }}',
  '{{ cycler.__init__.__globals__.os.system("id") }}',
  '{{ joiner.__init__.__globals__ }}',
  '{{ lipsum.__globals__["os"] }}',
  '{{ [].__class__.__mro__[1].__subclasses__() }}',
  "{{ ''.__class__.__base__.__subclasses__() }}",
  '{{ x.__proto__ }}',
  '{{ x["__proto__"]["polluted"] }}',
  '{% set x.__proto__.polluted = 1 %}{{ x.polluted }}',
  '{% set ns = namespace() %}{% set ns.__proto__ = 1 %}{{ ns }}',
  '{% set ns = namespace() %}{% set ns.constructor = 1 %}',
  "{{ ''|attr('constructor') }}",
  "{{ xs|map(attribute='constructor')|list }}",
  "{{ xs|map(attribute='__proto__')|list }}",
  "{{ xs|sort(attribute='__proto__') }}",
  "{{ xs|selectattr('constructor')|list }}",
  "{{ xs|join(',', attribute='constructor.constructor') }}",
  "{{ xs|sum(attribute='constructor') }}",
  "{{ {'__proto__': {'polluted': 1}} }}{{ {}.polluted }}",
  '{{ dict(__proto__=1) }}{{ x.polluted }}',
  '{{ x.toString() }}',
  '{{ s.valueOf }}',
  '{{ xs.push(1) }}',
  '{{ xs.constructor.prototype.polluted }}',
  '{{ self }}{{ this }}{{ globalThis }}{{ process }}{{ window }}',
  '{{ loop_obj }}{{ loop_list }}{{ loop_obj|tojson }}',
  "{{ loop_obj|jsonpath('$..name') }}",
  '{% include "/etc/passwd" %}',
  '{% import "os" as os %}',
  '{% extends "base.html" %}',
  '{% call f() %}x{% endcall %}',
  '{{ strftime_now("%Y") }}',
];

/** Attempts to exhaust the CPU or the heap: each must stop at a bound, with TEMPLATE_LIMIT. */
const EXHAUSTION: readonly string[] = [
  '{% for i in range(10**9) %}.{% endfor %}',
  '{% for i in range(10000) %}{% for j in range(10000) %}.{% endfor %}{% endfor %}',
  "{{ 'a' * 10**9 }}",
  "{{ ['a'] * 10**9 }}",
  "{% set s = 'a' * 900000 %}{% for i in range(100) %}{{ s }}{% endfor %}",
  "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
  '{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}',
  '{{ ' + '('.repeat(10_000) + '1' + ')'.repeat(10_000) + ' }}',
  '{%if 1%}'.repeat(5_000) + 'x' + '{%endif%}'.repeat(5_000),
  '{{ ' + 'not '.repeat(20_000) + 'x }}',
  '{{ ' + Array.from({ length: 2000 }, (_, i) => `a${i}`).join(' ~ ') + ' }}',
  'x'.repeat(100_001),
];

afterEach(() => {
  delete canary.__tabsynthCanary;
});

function attempt(source: string): { out?: string; err?: unknown } {
  try {
    return { out: renderTemplate(parseTemplate(source, 'escape'), row()) };
  } catch (err) {
    return { err };
  }
}

describe('sandbox: escape attempts (SPEC 1)', () => {
  it('the corpus holds at least 30 attempts', () => {
    expect(ESCAPES.length + EXHAUSTION.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ESCAPES.map((s) => [s.length > 80 ? `${s.slice(0, 77)}...` : s, s]))(
    'nothing executes and the result is a TemplateError or harmless text: %s',
    (_label, source) => {
      const { out, err } = attempt(source);
      expect(canary.__tabsynthCanary).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
      expect(Array.prototype).not.toHaveProperty('polluted');
      if (err !== undefined) {
        expect(err).toBeInstanceOf(TemplateError);
        expect((err as TemplateError).message).toMatch(/^escape: /);
        return;
      }
      expect(out).toBeTypeOf('string');
      expect(out).not.toMatch(/function|native code|\[object|prototype|process|globalThis/);
      expect((out ?? '').length).toBeLessThanOrEqual(1_000_000);
    },
  );

  it.each(EXHAUSTION.map((s) => [s.length > 80 ? `${s.slice(0, 77)}...` : s, s]))(
    'a runaway template stops at a bound (TEMPLATE_LIMIT): %s',
    (_label, source) => {
      const { err } = attempt(source);
      expect(err).toBeInstanceOf(TemplateError);
      expect(err).toMatchObject({ code: ErrorCodes.TEMPLATE_LIMIT, details: { where: 'escape' } });
    },
  );

  it('a dict literal with a __proto__ key is data, not a prototype', () => {
    const out = renderTemplate(
      parseTemplate("{{ {'__proto__': 1}['__proto__'] }}|{{ {}.polluted }}", 'e'),
      {},
    );
    expect(out).toBe('|');
  });

  it('a row value that is a function is not a value, and is never called', () => {
    let called = false;
    const fn = () => {
      called = true;
      return 'ran';
    };
    const out = renderTemplate(parseTemplate('[{{ f }}][{{ o.g }}][{{ f is defined }}]', 'e'), {
      f: fn,
      o: { g: fn },
    });
    expect(out).toBe('[][][False]');
    expect(called).toBe(false);
  });

  it('a getter on a row object is never run', () => {
    let ran = false;
    const o = {};
    Object.defineProperty(o, 'secret', {
      enumerable: true,
      get: () => {
        ran = true;
        return 'leak';
      },
    });
    const out = renderTemplate(parseTemplate('[{{ o.secret }}][{{ o["secret"] }}][{{ o }}]', 'e'), {
      o,
    });
    expect(out).not.toContain('leak');
    expect(ran).toBe(false);
  });

  it('objects that are not plain data (class instances, maps) expose nothing', () => {
    class Secret {
      key = 'sk-123';
    }
    const out = renderTemplate(parseTemplate('[{{ a.key }}][{{ b.size }}][{{ a }}]', 'e'), {
      a: new Secret(),
      b: new Map([['k', 1]]),
    });
    expect(out).toBe('[][][<object>]');
  });
});
