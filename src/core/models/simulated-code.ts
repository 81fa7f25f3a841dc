/**
 * The simulated provider's code: a syntactically valid snippet per request, varied
 * by the request's seed (name, shape and constants), so an llm-code column holds a
 * different function or query in every row and a code validator has real work.
 * Every snippet's first line is a `simulated` comment, so it is never mistaken for
 * a model's output.
 */
import type { Rng } from '../random/seed.ts';
import { pick } from './simulated-grammar.ts';

/** What a snippet is built from: a name's two parts, a constant, a table. */
interface Parts {
  readonly verb: string;
  readonly noun: string;
  readonly k: number;
  readonly table: string;
}

const VERBS = ['compute', 'find', 'count', 'clean', 'format', 'clamp', 'sum', 'score'];
const NOUNS = ['total', 'value', 'items', 'record', 'price', 'rating', 'name', 'entry'];
const TABLES = ['orders', 'customers', 'events', 'products', 'reviews', 'sessions'];
/** SQL's column names come from this list only: a prompt's word may be a keyword there. */
const SQL_COLUMNS = ['total', 'price', 'rating', 'quantity', 'score', 'amount'];

const snake = (p: Parts): string => `${p.verb}_${p.noun}`;
const camel = (p: Parts): string => `${p.verb}${p.noun.charAt(0).toUpperCase()}${p.noun.slice(1)}`;

type Snippet = (p: Parts) => string;

/** Snippet shapes per language; each is valid code in that language. */
const SHAPES: Record<string, readonly Snippet[]> = {
  python: [
    (p) => `# simulated\ndef ${snake(p)}(value):\n    return value * ${p.k}\n`,
    (p) =>
      `# simulated\ndef ${snake(p)}(items):\n    total = 0\n    for item in items:\n        total += item\n    return total\n`,
    (p) => `# simulated\ndef ${snake(p)}(text: str) -> str:\n    return text.strip().lower()\n`,
    (p) =>
      `# simulated\ndef ${snake(p)}(value, limit=${p.k}):\n    if value > limit:\n        return limit\n    return value\n`,
  ],
  sql: [
    (p) => `-- simulated\nSELECT ${p.noun} FROM ${p.table} WHERE ${p.noun} IS NOT NULL;\n`,
    (p) =>
      `-- simulated\nSELECT ${p.noun}, COUNT(*) AS n FROM ${p.table} GROUP BY ${p.noun} ORDER BY n DESC LIMIT ${p.k};\n`,
    (p) =>
      `-- simulated\nSELECT AVG(${p.noun}) AS average_${p.noun} FROM ${p.table} WHERE ${p.noun} > ${p.k};\n`,
    (p) => `-- simulated\nUPDATE ${p.table} SET ${p.noun} = ${p.k} WHERE id = ${p.k * 7};\n`,
  ],
  javascript: [
    (p) => `// simulated\nfunction ${camel(p)}(value) {\n  return value * ${p.k};\n}\n`,
    (p) =>
      `// simulated\nfunction ${camel(p)}(items) {\n  return items.reduce((total, item) => total + item, 0);\n}\n`,
    (p) => `// simulated\nconst ${camel(p)} = (text) => text.trim().toLowerCase();\n`,
    (p) =>
      `// simulated\nfunction ${camel(p)}(value, limit = ${p.k}) {\n  return value > limit ? limit : value;\n}\n`,
  ],
  typescript: [
    (p) =>
      `// simulated\nfunction ${camel(p)}(value: number): number {\n  return value * ${p.k};\n}\n`,
    (p) =>
      `// simulated\nfunction ${camel(p)}(items: number[]): number {\n  return items.reduce((total, item) => total + item, 0);\n}\n`,
    (p) =>
      `// simulated\nconst ${camel(p)} = (text: string): string => text.trim().toLowerCase();\n`,
    (p) =>
      `// simulated\nfunction ${camel(p)}(value: number, limit = ${p.k}): number {\n  return Math.min(value, limit);\n}\n`,
  ],
  java: [
    (p) =>
      `// simulated\nclass Simulated {\n  static int ${camel(p)}(int value) {\n    return value * ${p.k};\n  }\n}\n`,
    (p) =>
      `// simulated\nclass Simulated {\n  static int ${camel(p)}(int[] items) {\n    int total = 0;\n    for (int item : items) {\n      total += item;\n    }\n    return total;\n  }\n}\n`,
    (p) =>
      `// simulated\nclass Simulated {\n  static String ${camel(p)}(String text) {\n    return text.trim().toLowerCase();\n  }\n}\n`,
  ],
  go: [
    (p) => `// simulated\nfunc ${camel(p)}(value int) int {\n\treturn value * ${p.k}\n}\n`,
    (p) =>
      `// simulated\nfunc ${camel(p)}(items []int) int {\n\ttotal := 0\n\tfor _, item := range items {\n\t\ttotal += item\n\t}\n\treturn total\n}\n`,
    (p) =>
      `// simulated\nfunc ${camel(p)}(value, limit int) int {\n\tif value > limit {\n\t\treturn limit\n\t}\n\treturn value\n}\n`,
  ],
  rust: [
    (p) => `// simulated\nfn ${snake(p)}(value: i64) -> i64 {\n    value * ${p.k}\n}\n`,
    (p) => `// simulated\nfn ${snake(p)}(items: &[i64]) -> i64 {\n    items.iter().sum()\n}\n`,
    (p) => `// simulated\nfn ${snake(p)}(value: i64) -> i64 {\n    value.min(${p.k})\n}\n`,
  ],
  bash: [
    (p) => `# simulated\n${snake(p)}() {\n  echo "$1"\n}\n`,
    (p) => `# simulated\n${snake(p)}() {\n  echo $(( $1 * ${p.k} ))\n}\n`,
    (p) => `# simulated\n${snake(p)}() {\n  for item in "$@"; do\n    echo "$item"\n  done\n}\n`,
  ],
};

/** Languages the simulated provider writes code in. */
export const SIMULATED_CODE_LANGUAGES: readonly string[] = Object.keys(SHAPES);

/**
 * A snippet in `lang` (one of SIMULATED_CODE_LANGUAGES), drawn from `rng`; the
 * name's noun is one of `nouns` (plain words of the prompt) about half the time.
 */
export function simulatedSnippet(rng: Rng, lang: string, nouns: readonly string[]): string {
  const shapes = SHAPES[lang];
  if (!shapes) throw new Error(`no simulated snippets for language '${lang}'`);
  const ownNouns = lang === 'sql' ? [] : nouns.filter((w) => /^[a-z]{3,16}$/.test(w));
  const parts: Parts = {
    verb: pick(rng, VERBS),
    noun:
      lang === 'sql'
        ? pick(rng, SQL_COLUMNS)
        : ownNouns.length > 0 && rng.next() < 0.5
          ? pick(rng, ownNouns)
          : pick(rng, NOUNS),
    k: 2 + rng.int(98),
    table: pick(rng, TABLES),
  };
  return pick(rng, shapes)(parts);
}
