/**
 * The simulated provider's English: a small phrase grammar that writes varied,
 * grammatical sentences, shaped by the words of the prompt.
 *
 * Agreement is what makes generated text read as text: every noun phrase knows
 * whether it is plural, its verb is conjugated to match, and an indefinite article
 * follows the sound of the next word ("an engine", "a useful report"). The prompt's
 * words are sorted into nouns and adjectives by their endings, so "Write a positive
 * review of headphones" yields "positive" as an adjective and "review" and
 * "headphones" (plural) as nouns; words that are neither (verbs in -ed or -ing,
 * adverbs in -ly) are left out.
 */
import type { Rng } from '../random/seed.ts';

/** The prompt's words, sorted into the slots they can fill. */
interface PromptVocabulary {
  readonly nouns: readonly string[];
  readonly adjectives: readonly string[];
}

const NOUNS = [
  'report',
  'customer',
  'system',
  'garden',
  'market',
  'signal',
  'journey',
  'recipe',
  'harbor',
  'project',
  'library',
  'river',
  'engine',
  'pattern',
  'village',
  'design',
  'idea',
  'team',
  'story',
  'answer',
  'window',
  'evening',
  'update',
  'order',
  'detail',
  'choice',
];
const ADJECTIVES = [
  'quiet',
  'bright',
  'careful',
  'steady',
  'curious',
  'modern',
  'gentle',
  'practical',
  'vivid',
  'reliable',
  'simple',
  'balanced',
  'honest',
  'useful',
  'early',
  'unusual',
  'familiar',
  'open',
  'old',
  'warm',
];
/** Verbs in their base form; conjugate() makes the third person singular. */
const VERBS = [
  'shape',
  'support',
  'reveal',
  'connect',
  'improve',
  'follow',
  'explain',
  'balance',
  'guide',
  'reflect',
  'capture',
  'invite',
  'change',
  'reach',
  'carry',
  'match',
  'surprise',
  'outlast',
];
const ADVERBS = [
  'quickly',
  'clearly',
  'often',
  'gradually',
  'rarely',
  'quietly',
  'again',
  'at last',
  'every day',
  'without fuss',
];
const OPENERS = [
  'In the end,',
  'Most of the time,',
  'To be fair,',
  'After a week,',
  'Honestly,',
  'At first glance,',
  'Even so,',
  'On balance,',
];
const PREPOSITIONS = ['near', 'beside', 'after', 'behind', 'around', 'for', 'with', 'without'];

const ADJECTIVE_ENDINGS =
  /(?:ive|ful|ous|able|ible|less|ical|ish)$|^(?:good|bad|great|new|old|neutral|short|long|big|small|high|low|fast|slow|calm|cheap|warm|cold|dark|light|clean|free|rich|poor|happy|sad|mixed|fair|strong|weak|formal|casual|friendly|angry|funny|polite|rude)$/;
const OTHER_ENDINGS = /(?:ed|ing|ly)$/;
/** Words a prompt uses that are neither a noun nor an adjective in a simple sentence. */
const NOT_A_NOUN = new Set(
  (
    'bought sold made found took gave got went came said told wrote read ran paid left kept ' +
    'sent built brought thought known seen given taken written chosen driven ' +
    'parses returns takes gives makes uses asks needs wants includes contains describes ' +
    'code function script query program snippet class python sql javascript typescript ' +
    'java go rust bash json yaml'
  ).split(' '),
);

/** Sorts prompt words (lower case, content words only) into nouns and adjectives. */
export function vocabularyOf(words: readonly string[]): PromptVocabulary {
  const nouns: string[] = [];
  const adjectives: string[] = [];
  for (const w of words) {
    if (w.includes('-') || OTHER_ENDINGS.test(w) || NOT_A_NOUN.has(w)) continue;
    if (ADJECTIVE_ENDINGS.test(w)) adjectives.push(w);
    else nouns.push(w);
  }
  return { nouns, adjectives };
}

/** One of `items`, drawn by `rng`. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

/** "a" or "an" by the sound of `word`'s start (a spelling rule with its usual exceptions). */
export function article(word: string): 'a' | 'an' {
  const w = word.toLowerCase();
  if (/^(?:hour|honest|honor|heir)/.test(w)) return 'an';
  if (/^(?:uni|use|usu|ure|eu|one|once)/.test(w)) return 'a';
  return /^[aeiou]/.test(w) ? 'an' : 'a';
}

/** Plural by its spelling: "headphones", "stories"; not "glass", "status", "analysis". */
export function isPlural(noun: string): boolean {
  return /[^su]s$/.test(noun) && !/(?:is|ss|us|ics)$/.test(noun);
}

/** The third person singular of a base-form verb: shapes, reaches, carries, matches. */
export function conjugate(verb: string, plural: boolean): string {
  if (plural) return verb;
  if (/(?:s|sh|ch|x|z|o)$/.test(verb)) return `${verb}es`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

interface NounPhrase {
  readonly text: string;
  readonly plural: boolean;
}

/** How often a slot takes a prompt word: up to half the time, less when it has few. */
function promptShare(count: number): number {
  return Math.min(0.5, 0.2 * count);
}

function noun(rng: Rng, vocab: PromptVocabulary): string {
  return rng.next() < promptShare(vocab.nouns.length) ? pick(rng, vocab.nouns) : pick(rng, NOUNS);
}

function adjective(rng: Rng, vocab: PromptVocabulary): string {
  return rng.next() < promptShare(vocab.adjectives.length)
    ? pick(rng, vocab.adjectives)
    : pick(rng, ADJECTIVES);
}

/** A noun phrase: "the old harbor", "an engine", "every reliable review", "headphones". */
function nounPhrase(rng: Rng, vocab: PromptVocabulary, subject: boolean): NounPhrase {
  const n = noun(rng, vocab);
  const plural = isPlural(n);
  const adj = rng.next() < 0.55 ? adjective(rng, vocab) : undefined;
  const body = adj ? `${adj} ${n}` : n;
  const roll = rng.int(4);
  if (plural) {
    const det = ['the', 'these', 'our', ''][roll]!;
    return { text: det ? `${det} ${body}` : body, plural };
  }
  if (roll === 0) return { text: `${article(body)} ${body}`, plural };
  if (roll === 1 && subject) return { text: `every ${body}`, plural };
  return { text: `${['the', 'this', 'our', 'the'][roll]!} ${body}`, plural };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One clause: subject, verb agreeing with it, object, and sometimes a place or manner. */
function clause(rng: Rng, vocab: PromptVocabulary): string {
  const subject = nounPhrase(rng, vocab, true);
  const object = nounPhrase(rng, vocab, false);
  let text = `${subject.text} ${conjugate(pick(rng, VERBS), subject.plural)} ${object.text}`;
  const tail = rng.int(4);
  if (tail === 0) text += ` ${pick(rng, ADVERBS)}`;
  else if (tail === 1) text += ` ${pick(rng, PREPOSITIONS)} ${nounPhrase(rng, vocab, false).text}`;
  return text;
}

/** One sentence: a clause, sometimes opened by a phrase or joined to a second clause. */
export function grammarSentence(rng: Rng, vocab: PromptVocabulary): string {
  const form = rng.int(6);
  let text: string;
  if (form === 0) text = `${pick(rng, OPENERS)} ${clause(rng, vocab)}`;
  else if (form === 1) text = `${clause(rng, vocab)}, and ${clause(rng, vocab)}`;
  else if (form === 2) text = `${clause(rng, vocab)} because ${clause(rng, vocab)}`;
  else text = clause(rng, vocab);
  return `${capitalize(text)}.`;
}
