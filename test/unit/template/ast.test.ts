/**
 * The typed syntax tree (src/core/template/ast.ts) names every node kind as
 * @huggingface/jinja tags it: the field shapes are checked by tsc; the tags, which
 * the library types only as `string`, are checked here on a template using every
 * construct.
 */
import { describe, expect, it } from 'vitest';
import { childNodes, parseTokens, tokenize, type Node } from '../../../src/core/template/ast.ts';

const EVERY_CONSTRUCT = `{# a comment #}
{% macro m(a, b=1) %}{{ a ~ b }}{% endmacro %}
{% set x = [1, 2.5, 'three'] %}{% set t = (1, 2) %}{% set d = {'k': -x[0]} %}
{% for i in x if i is number %}{% if loop.first %}{% continue %}{% else %}{% break %}{% endif %}{% endfor %}
{% filter upper %}{{ m(*x) }}{{ m(**d) }}{% endfilter %}
{% call m(1) %}body{% endcall %}
{{ x[1:2] | join(d=',') }} {{ 'a' if d.k else 'b' }} {{ x | first }}`;

const KINDS = [
  'Program',
  'Comment',
  'Macro',
  'Identifier',
  'KeywordArgumentExpression',
  'IntegerLiteral',
  'BinaryExpression',
  'Set',
  'ArrayLiteral',
  'FloatLiteral',
  'StringLiteral',
  'TupleLiteral',
  'ObjectLiteral',
  'UnaryExpression',
  'MemberExpression',
  'For',
  'SelectExpression',
  'TestExpression',
  'If',
  'Continue',
  'Break',
  'FilterStatement',
  'CallExpression',
  'SpreadExpression',
  'KeywordSpreadExpression',
  'CallStatement',
  'SliceExpression',
  'FilterExpression',
  'Ternary',
];

describe('typed syntax tree', () => {
  it('every node kind the parser builds is one the tree names, and every child is reached', () => {
    const seen = new Set<string>();
    const stack: Node[] = [parseTokens(tokenize(EVERY_CONSTRUCT, { lstrip_blocks: true }))];
    while (stack.length > 0) {
      const n = stack.pop() as Node;
      seen.add(n.type);
      stack.push(...childNodes(n));
    }
    expect([...seen].sort()).toEqual([...KINDS].sort());
  });
});
