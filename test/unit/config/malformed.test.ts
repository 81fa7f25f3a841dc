/**
 * Malformed config documents (found by mutating the examples and fixtures): each is
 * refused with a ConfigError naming the field, never a TypeError, a stack overflow,
 * a message built from an inherited property, or a config accepted only to fail the run.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/load.ts';
import { ConfigError, ErrorCodes, type ConfigIssue } from '../../../src/core/errors.ts';

/** The issues `loadConfig` refuses `text` with; fails the test for anything but a ConfigError. */
function refused(text: string): readonly ConfigIssue[] {
  try {
    loadConfig(text);
  } catch (err) {
    if (err instanceof ConfigError) {
      expect(err.code).toBe(ErrorCodes.CONFIG_INVALID);
      return err.issues;
    }
    throw err;
  }
  throw new Error('expected the config to be refused');
}

function messageAt(issues: readonly ConfigIssue[], path: string): string {
  const found = issues.filter((i) => i.path === path).map((i) => i.message);
  expect(found, JSON.stringify(issues, null, 1)).not.toHaveLength(0);
  return found.join('\n');
}

describe('a sampler column whose type or params cannot be read', () => {
  const subcategoryOf = (parent: string) => `
columns:
${parent}
  - name: segment
    column_type: sampler
    sampler_type: subcategory
    params: { category: region, values: { north: [a] } }
`;

  it('a subcategory parent with an unknown sampler_type is reported, not a TypeError', () => {
    const issues = refused(
      subcategoryOf('  - { name: region, column_type: sampler, sampler_type: categroy }'),
    );
    expect(messageAt(issues, 'columns[0].sampler_type')).toMatch(
      /expected one of 'category', .* found the string 'categroy'/,
    );
  });

  it('a subcategory parent whose params are not an object is reported, not a TypeError', () => {
    const issues = refused(
      subcategoryOf(
        '  - { name: region, column_type: sampler, sampler_type: category, params: [north] }',
      ),
    );
    expect(messageAt(issues, 'columns[0].params')).toMatch(/expected an object, found a list of 1/);
  });

  it('a subcategory whose params are not an object is reported, not a TypeError', () => {
    const issues = refused(`
columns:
  - { name: region, column_type: sampler, sampler_type: category, params: { values: [north] } }
  - { name: segment, column_type: sampler, sampler_type: subcategory, params: region }
`);
    expect(messageAt(issues, 'columns[1].params')).toMatch(
      /expected an object, found the string 'region'/,
    );
  });
});
