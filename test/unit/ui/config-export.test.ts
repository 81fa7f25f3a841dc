/**
 * Exported config text reads back as the same config in Data Designer (issue 14):
 * Data Designer loads YAML with PyYAML, a YAML 1.1 reader, which turns an unquoted
 * `2024-01-01` into a date and `yes`/`on` into booleans. Every example, exported,
 * must read back under YAML 1.1 exactly as tabsynth (YAML 1.2) reads it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportConfigText, importConfigText } from '../../../src/ui/state/config-io.ts';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');

/** A strict YAML 1.1 reader: timestamps, yes/no/on/off, sexagesimals and all. */
const readYaml11 = (text: string): unknown => parse(text, { version: '1.1', uniqueKeys: true });

describe('exported YAML reads back as the same config under YAML 1.1 (Data Designer)', () => {
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) {
    it(`examples/${file}`, () => {
      const doc = importConfigText(readFileSync(resolve(EXAMPLES, file), 'utf8'), 'yaml');
      const text = exportConfigText(doc, 'yaml');
      expect(readYaml11(text)).toEqual(importConfigText(text, 'yaml'));
      expect(importConfigText(text, 'yaml')).toEqual(JSON.parse(JSON.stringify(doc)) as typeof doc);
    });
  }

  it('strings that YAML 1.1 would read as dates, booleans or numbers keep their quotes', () => {
    const doc = {
      columns: [
        {
          name: 'when',
          column_type: 'sampler',
          sampler_type: 'datetime',
          params: { start: '2024-01-01', end: '2024-12-31 10:00:00', unit: 'D' },
        },
        {
          name: 'answer',
          column_type: 'sampler',
          sampler_type: 'category',
          params: { values: ['yes', 'no', 'on', 'off', '0755', '12:30', '1_000'] },
        },
      ],
    };
    const text = exportConfigText(doc, 'yaml');
    expect(readYaml11(text)).toEqual(doc);
  });
});
