/**
 * The simulated provider's text (SPEC 1 models): deterministic, plausible
 * sentences shaped by the prompt. The same (model, messages, seed) always gives
 * the same text; another seed gives another text.
 *
 * How a user tells it is simulated: every completion starts with `[simulated] `,
 * and a code snippet's first line is a `simulated` comment. Sentences come from a
 * small grammar (simulated-grammar.ts) whose nouns and adjectives are often words
 * of the prompt, so a column's values visibly follow its prompt; their length
 * follows max_tokens (about 4 characters a token) and never exceeds it. Code comes
 * from simulated-code.ts, varied per request.
 */
import { Rng, hashString, mix32 } from '../random/seed.ts';
import { SIMULATED_CODE_LANGUAGES, simulatedSnippet } from './simulated-code.ts';
import { grammarSentence, vocabularyOf } from './simulated-grammar.ts';
import type { ChatMessage } from './types.ts';

/** The label every simulated completion starts with. */
export const SIMULATED_LABEL = '[simulated] ';

/** Characters per token, for budgets and usage estimates. */
const CHARS_PER_TOKEN = 4;

/** Tokens of text produced at most, whatever max_tokens allows, to keep demos fast. */
const MAX_TEXT_TOKENS = 200;

const STOPWORDS = new Set(
  (
    'the and for with that this from into your you are was were have has had not but ' +
    "its it's about what which when where who whom why how all any each one two " +
    'write generate create give return produce make describe list output answer respond ' +
    'please short brief sentence sentences word words only using use based should must ' +
    'will would could can may might than then them they their there these those also ' +
    'very just like some such our out over under more most other'
  ).split(' '),
);

const CODE_WORDS = /\b(code|function|script|query|program|snippet|implement|class)\b/i;

/** The output generator for one request: seeded by (model, messages, seed) only. */
export function outputRng(model: string, messages: readonly ChatMessage[], seed: number): Rng {
  let h = mix32(hashString(model) ^ 0x5eed5eed);
  for (const m of messages) h = mix32(h ^ hashString(`${m.role}\u0000${m.content}`));
  return new Rng(mix32(h ^ (seed >>> 0)));
}

/** Distinct content words of the prompt (the user's words first), lower-cased. */
export function promptWords(messages: readonly ChatMessage[]): string[] {
  const ordered = [...messages].sort((a, b) => rank(a) - rank(b));
  const words = new Set<string>();
  for (const m of ordered) {
    for (const w of m.content.toLowerCase().match(/[a-z][a-z-]{2,}/g) ?? []) {
      if (!STOPWORDS.has(w) && w.length <= 24) words.add(w);
    }
  }
  return [...words];
}

function rank(m: ChatMessage): number {
  return m.role === 'user' ? 0 : m.role === 'system' ? 1 : 2;
}

/** One sentence of the grammar, its nouns and adjectives often words of the prompt. */
export function sentence(rng: Rng, words: readonly string[]): string {
  return grammarSentence(rng, vocabularyOf(words));
}

/** Cuts `text` to at most `maxChars`: at a sentence end when one fits, else at a word. */
function fit(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const stop = cut.lastIndexOf('. ');
  if (stop > SIMULATED_LABEL.length) return cut.slice(0, stop + 1);
  const space = cut.lastIndexOf(' ');
  return space > SIMULATED_LABEL.length ? cut.slice(0, space) : cut;
}

/** The language a prompt asks code in, when it asks for code. */
function codeLanguage(messages: readonly ChatMessage[]): string | undefined {
  const prompt = messages.map((m) => m.content).join('\n');
  if (!CODE_WORDS.test(prompt) && !prompt.includes('```')) return undefined;
  const lower = prompt.toLowerCase();
  return SIMULATED_CODE_LANGUAGES.find((lang) => new RegExp(`\\b${lang}\\b`).test(lower));
}

/**
 * A completion for `messages`: `[simulated] ` then sentences, plus a fenced snippet
 * when the prompt asks for code in a known language. With `maxTokens` the text fills
 * 40-90% of min(maxTokens, 200) tokens and never exceeds maxTokens; without it, 1-3
 * sentences.
 */
export function simulatedText(
  model: string,
  messages: readonly ChatMessage[],
  seed: number,
  maxTokens?: number,
): string {
  const rng = outputRng(model, messages, seed);
  const vocab = vocabularyOf(promptWords(messages));
  const lang = codeLanguage(messages);
  let text = SIMULATED_LABEL;
  if (maxTokens === undefined) {
    const n = 1 + rng.int(3);
    for (let i = 0; i < n; i++) text += (i ? ' ' : '') + grammarSentence(rng, vocab);
  } else {
    const budget = Math.min(maxTokens, MAX_TEXT_TOKENS) * rng.uniform(0.4, 0.9) * CHARS_PER_TOKEN;
    for (let first = true; first || text.length < budget; first = false) {
      text += (first ? '' : ' ') + grammarSentence(rng, vocab);
    }
    text = fit(text, Math.max(1, Math.floor(budget)));
  }
  if (lang) {
    text += `\n\n\`\`\`${lang}\n${simulatedSnippet(rng, lang, vocab.nouns)}\`\`\``;
    if (maxTokens !== undefined && text.length > maxTokens * CHARS_PER_TOKEN) {
      text = fit(text, maxTokens * CHARS_PER_TOKEN);
    }
  }
  return text;
}

/** About 4 characters a token, at least 1 for non-empty text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
