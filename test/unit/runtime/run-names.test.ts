/** Run names (issue 14): checked when given, and what an export's file is called. */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { checkRunName, exportBaseName } from '../../../src/runtime/run-names.ts';

describe('run names', () => {
  it('an export is named after its run, made safe for a file system', () => {
    expect(exportBaseName('3f2a9c1b-0000', 'Product reviews')).toBe('Product-reviews');
    expect(exportBaseName('3f2a9c1b-0000', 'Q3 churn / v2: final?')).toBe('Q3-churn-v2-final');
    expect(exportBaseName('3f2a9c1b-0000', 'Bewertungen für Köln')).toBe('Bewertungen-für-Köln');
    expect(exportBaseName('3f2a9c1b-0000', '../../etc/passwd')).toBe('etc-passwd');
    expect(exportBaseName('3f2a9c1b-0000', 'reviews', 'qa pairs')).toBe('reviews-qa-pairs');
  });

  it('an unnamed run (or one whose name has nothing a file name can keep) exports by its id', () => {
    expect(exportBaseName('3f2a9c1b-0000')).toBe('tabsynth-3f2a9c1b');
    expect(exportBaseName('3f2a9c1b-0000', '///')).toBe('tabsynth-3f2a9c1b');
    expect(exportBaseName('run', undefined, 'pairs')).toBe('tabsynth-run-pairs');
  });

  it('a name is trimmed; an empty or too long one is refused, saying what was expected', () => {
    expect(checkRunName('  Product reviews ')).toBe('Product reviews');
    for (const bad of ['', '   ', 'x'.repeat(201), 42]) {
      expect(() => checkRunName(bad)).toThrow(
        expect.objectContaining({
          code: ErrorCodes.INVALID_ARGUMENT,
          message: expect.stringMatching(/^run name: expected text of 1 to 200 characters, got/),
        }),
      );
    }
  });
});
