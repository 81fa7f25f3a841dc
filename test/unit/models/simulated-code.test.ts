/**
 * The simulated provider's code and prose (SPEC 1 models): an llm-code column gets
 * a valid snippet that differs from row to row, so a code validator's pass rate
 * means something, and text reads as English: articles and verbs agree.
 */
import { describe, expect, it } from 'vitest';
import { codeValidator } from '../../../src/core/generators/validation/code.ts';
import { Rng } from '../../../src/core/random/seed.ts';
import {
  SIMULATED_CODE_LANGUAGES,
  simulatedSnippet,
} from '../../../src/core/models/simulated-code.ts';
import {
  article,
  conjugate,
  grammarSentence,
  isPlural,
  vocabularyOf,
} from '../../../src/core/models/simulated-grammar.ts';
import { promptWords, simulatedText } from '../../../src/core/models/simulated-text.ts';
import { nodeGrammars } from '../../../src/node/grammars.ts';

/** The code validator's name for each language the simulated provider writes (bash has none). */
const VALIDATOR_LANG: Record<string, string | null> = { sql: 'sql:ansi', bash: null };

describe('simulated llm-code: valid, and different from row to row', () => {
  for (const lang of SIMULATED_CODE_LANGUAGES) {
    const validatorLang = VALIDATOR_LANG[lang] === undefined ? lang : VALIDATOR_LANG[lang];
    it(`${lang}: 40 seeds give at least 10 distinct snippets, each valid ${validatorLang ?? 'shell (not checked)'}`, async () => {
      const validate = validatorLang
        ? await codeValidator(validatorLang, nodeGrammars).ready()
        : () => ({ is_valid: true, errors: [] });
      const snippets = new Set<string>();
      for (let seed = 0; seed < 40; seed++) {
        const code = simulatedSnippet(new Rng(seed), lang, ['invoice', 'order']);
        expect(code.split('\n')[0]).toMatch(/simulated$/);
        expect(await validate(code), code).toEqual({ is_valid: true, errors: [] });
        snippets.add(code);
      }
      expect(snippets.size).toBeGreaterThanOrEqual(10);
    });
  }

  it('a prompt asking for code in a language gets a fenced block that varies with the seed', () => {
    const messages = [{ role: 'user' as const, content: 'Write a rust function for invoices.' }];
    const blocks = new Set(
      [1, 2, 3, 4, 5, 6].map((seed) => simulatedText('m', messages, seed, 200).split('```')[1]),
    );
    expect(blocks.size).toBeGreaterThan(3);
    for (const b of blocks) expect(b).toMatch(/^rust\n\/\/ simulated\nfn \w+\(/);
  });
});

describe('simulated text: grammatical English shaped by the prompt', () => {
  it('an indefinite article follows the sound of the next word', () => {
    expect(['engine', 'idea', 'hour', 'useful', 'report', 'honest', 'one'].map(article)).toEqual([
      'an',
      'an',
      'an',
      'a',
      'a',
      'an',
      'a',
    ]);
  });

  it('verbs agree with singular and plural subjects', () => {
    expect(['headphones', 'stories', 'status', 'glass', 'analysis', 'lamp'].map(isPlural)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(conjugate('reach', false)).toBe('reaches');
    expect(conjugate('carry', false)).toBe('carries');
    expect(conjugate('shape', false)).toBe('shapes');
    expect(conjugate('shape', true)).toBe('shape');
  });

  it('prompt words fill the slots they fit: adjectives as adjectives, nouns as nouns', () => {
    const vocab = vocabularyOf(
      promptWords([{ role: 'user', content: 'Write a positive review of headphones, rated 5/5.' }]),
    );
    expect(vocab).toEqual({ nouns: ['review', 'headphones'], adjectives: ['positive'] });
  });

  it('no sentence has "a" before a vowel sound or a plural subject with a singular verb', () => {
    const vocab = vocabularyOf(['headphones', 'engine', 'review', 'positive']);
    const rng = new Rng(7);
    const sentences = Array.from({ length: 500 }, () => grammarSentence(rng, vocab));
    expect(new Set(sentences).size).toBeGreaterThan(450);
    for (const s of sentences) {
      expect(s).toMatch(/^[A-Z].*\.$/);
      expect(s).not.toMatch(/\ba (?:engine|idea|early|unusual|old|open|honest|evening|order)\b/i);
      expect(s).not.toMatch(/\ban (?:review|headphones|useful|report|positive)\b/i);
      expect(s).not.toMatch(/\bheadphones (?:shapes|supports|reveals|connects|reaches|carries)\b/);
    }
  });
});
