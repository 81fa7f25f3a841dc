/**
 * docs/compatibility.md stays true: every refused Data Designer feature fails
 * validation with exactly the table's message at the expected path, every config
 * in refused-configs.ts has its row, and every supported row names fixtures that
 * exist (fixtures.test.ts generates them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';
import { REFUSED_CASES } from './refused-configs.ts';
import { fixturePath } from './run-fixture.ts';

interface Row {
  feature: string;
  status: string;
  detail: string;
}

const DOC = resolve(__dirname, '../../../docs/compatibility.md');

/** The feature table's rows (the lines after its header and separator). */
function tableRows(markdown: string): Row[] {
  const lines = markdown.split('\n').filter((l) => l.startsWith('| '));
  return lines.slice(2).map((line) => {
    const cells = line
      .slice(2, -2)
      .split(' | ')
      .map((c) => c.trim());
    expect(cells, line).toHaveLength(3);
    const [feature, status, detail] = cells as [string, string, string];
    return { feature, status, detail };
  });
}

const rows = tableRows(readFileSync(DOC, 'utf8'));
const refused = rows.filter((r) => r.status === 'refused');
const supported = rows.filter((r) => r.status === 'supported');

describe('docs/compatibility.md: refused Data Designer features', () => {
  it('lists each row as supported or refused, and each refused config once', () => {
    expect(rows.length).toBe(refused.length + supported.length);
    expect(refused.map((r) => r.feature).sort()).toEqual(Object.keys(REFUSED_CASES).sort());
  });

  for (const row of refused) {
    it(`refuses ${row.feature} with the documented message`, () => {
      const message = /^`(.*)`$/.exec(row.detail)?.[1];
      expect(message, 'the message cell is one `code` span').toBeDefined();
      const c = REFUSED_CASES[row.feature];
      expect(c, `a config for ${row.feature} in refused-configs.ts`).toBeDefined();
      const result = validateConfig(parseConfigText(c!.config, 'yaml'));
      expect(result.ok).toBe(false);
      const issues = result.ok ? [] : result.issues;
      expect(issues).toContainEqual({ path: c!.path, message });
    });
  }
});

describe('docs/compatibility.md: supported Data Designer features', () => {
  it('has at least one supported row per column type', () => {
    const text = supported.map((r) => r.feature).join(' ');
    for (const type of [
      'sampler',
      'expression',
      'llm-text',
      'llm-code',
      'llm-structured',
      'llm-judge',
      'embedding',
      'validation',
      'seed-dataset',
    ]) {
      expect(text).toContain(`\`${type}\``);
    }
  });

  for (const row of supported) {
    it(`names existing fixtures for ${row.feature}`, () => {
      const names = row.detail.split(', ');
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(existsSync(fixturePath(name)), name).toBe(true);
    });
  }
});
