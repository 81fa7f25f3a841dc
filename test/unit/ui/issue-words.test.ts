/**
 * Issue 14, "each error in words a user understands": an empty required field in
 * the designer says what to do, not what the reader expected.
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/config/validate.ts';
import { issueWords } from '../../../src/ui/lib/issue-words.ts';

function wordsFor(doc: unknown): Record<string, string> {
  const result = validateConfig(doc);
  if (result.ok) return {};
  return Object.fromEntries(result.issues.map((i) => [i.path, issueWords(i)]));
}

describe('config issues in the designer’s words', () => {
  it('an unnamed column says "Give the column a name"', () => {
    const words = wordsFor({
      columns: [{ name: '', column_type: 'expression', expr: '{{ 1 }}' }],
    });
    expect(words['columns[0].name']).toBe('Give the column a name');
  });

  it('a model with no alias, no model id and an endpoint-less provider say what to fill in', () => {
    const words = wordsFor({
      model_providers: [{ name: 'p', endpoint: '', provider_type: 'openai' }],
      model_configs: [{ alias: '', model: '', provider: 'p' }],
      columns: [{ name: 'a', column_type: 'expression', expr: '{{ 1 }}' }],
    });
    expect(words['model_configs[0].alias']).toBe('Give the model an alias');
    expect(words['model_configs[0].model']).toBe('Enter the model id the endpoint knows');
    expect(words['model_providers[0].endpoint']).toBe('Enter the provider’s endpoint URL');
  });

  it('a design with no columns says "Add a column to start"', () => {
    expect(wordsFor({ columns: [] })['columns']).toBe('Add a column to start');
  });

  it('a message that is not about an empty field is shown as the core wrote it', () => {
    const result = validateConfig({
      columns: [
        { name: 'a', column_type: 'sampler', sampler_type: 'uniform', params: { low: 2, high: 1 } },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const issue of result.issues) expect(issueWords(issue)).toBe(issue.message);
  });
});
