/**
 * `llm-code` (SPEC 1): an llm-text completion whose value is the fenced code block
 * in `code_lang`. As Data Designer, the user prompt gets instructions asking for a
 * single fenced block in the language (the SQL dialects ask for `sql`).
 */
import type { CellGenerator } from '../engine/plan.ts';
import type { CodeLang } from '../config/types.ts';
import { fencedBlocks } from './fences.ts';
import { askOnce, llmCellGenerator, traceValue, type LlmTextOptions } from './llm-text.ts';

interface LlmCodeOptions extends LlmTextOptions {
  /** The language whose block is extracted. Required. */
  codeLang: CodeLang;
}

/** Info-string names a model may use for each language (the base name included). */
const ALIASES: Record<string, readonly string[]> = {
  bash: ['bash', 'sh', 'shell', 'zsh', 'console'],
  c: ['c', 'h'],
  cobol: ['cobol', 'cob', 'cbl'],
  cpp: ['cpp', 'c++', 'cc', 'cxx', 'hpp'],
  csharp: ['csharp', 'c#', 'cs'],
  go: ['go', 'golang'],
  java: ['java'],
  javascript: ['javascript', 'js', 'jsx', 'mjs', 'node'],
  kotlin: ['kotlin', 'kt', 'kts'],
  python: ['python', 'py', 'python3', 'py3'],
  ruby: ['ruby', 'rb'],
  rust: ['rust', 'rs'],
  scala: ['scala', 'sc'],
  swift: ['swift'],
  typescript: ['typescript', 'ts', 'tsx'],
  sql: [
    'sql',
    'sqlite',
    'tsql',
    't-sql',
    'mssql',
    'bigquery',
    'mysql',
    'postgres',
    'postgresql',
    'psql',
    'pgsql',
  ],
};

/** Data Designer's language name of a CodeLang: `sql:postgres` is `sql`. */
function baseLanguage(codeLang: CodeLang): string {
  return codeLang.split(':')[0]!;
}

/** The instructions appended to the user prompt (the wording follows Data Designer's intent). */
function codeInstructions(codeLang: CodeLang): string {
  const lang = baseLanguage(codeLang);
  return [
    `* Your response must be code written in ${lang}.`,
    '* Follow the accepted, common syntax and best practices of the language.',
    `* Give the code in a Markdown code fence that names the language (\`\`\`${lang}).`,
    '* Respond with a SINGLE code block.',
  ].join('\n');
}

/**
 * The code of an answer: the first fenced block in `codeLang` (or one of its aliases),
 * else the first fenced block of any language, else the whole answer; trimmed.
 */
export function extractCode(answer: string, codeLang: CodeLang): string {
  const blocks = fencedBlocks(answer);
  const names = ALIASES[baseLanguage(codeLang)] ?? [baseLanguage(codeLang)];
  const wanted = (lang: string) => names.includes(lang) || lang === codeLang;
  const block = blocks.find((b) => wanted(b.lang)) ?? blocks[0];
  return (block ? block.body : answer).trim();
}

/** `llm-code`: one completion per cell; the value is the extracted code. */
export function llmCodeGenerator(options: LlmCodeOptions): CellGenerator {
  const { binding, withTrace, codeLang } = options;
  return llmCellGenerator(options, codeInstructions(codeLang), async (ctx, messages) => {
    const response = await askOnce(binding, ctx, messages);
    return {
      value: extractCode(response.text, codeLang),
      trace: () => traceValue(withTrace, messages, response.text),
      reasoning: response.reasoning,
    };
  });
}
