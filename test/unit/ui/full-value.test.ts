/** The row detail view writes every value out in full (issue 14). */
import { describe, expect, it } from 'vitest';
import { fullValue } from '../../../src/ui/lib/full-value.ts';

describe('a value in the row detail view', () => {
  it('keeps long text whole, line breaks included', () => {
    const text = `${'A long review. '.repeat(200)}\nSecond paragraph.`;
    expect(fullValue(text)).toEqual({ text, kind: 'text' });
  });

  it('shows numbers with every digit and datetimes as the tables do', () => {
    expect(fullValue(0.123456789012345).text).toBe('0.123456789012345');
    expect(fullValue(2n ** 63n - 1n).text).toBe('9223372036854775807');
    const noon = new Date(Date.UTC(2024, 1, 29, 12));
    const midnight = new Date(Date.UTC(2024, 1, 29));
    expect(fullValue(noon).text).toBe('2024-02-29 12:00:00');
    expect(fullValue(midnight).text).toBe('2024-02-29');
    // In a column with times, a value at midnight shows its time too.
    expect(fullValue(midnight, 'datetime').text).toBe('2024-02-29 00:00:00');
    expect(fullValue(null)).toEqual({ text: 'null', kind: 'empty' });
  });

  it('writes nested values (structured output, a judge, an embedding) as indented JSON', () => {
    const judge = { helpfulness: { score: 4, reasoning: 'Clear.' }, tags: ['a', 'b'], big: 5n };
    const shown = fullValue(judge);
    expect(shown.kind).toBe('json');
    expect(JSON.parse(shown.text)).toEqual({ ...judge, big: '5' });
    expect(shown.text).toContain('\n  "helpfulness": {\n    "score": 4');
    expect(JSON.parse(fullValue(Float32Array.from([0.5, -1])).text)).toEqual([0.5, -1]);
  });
});
