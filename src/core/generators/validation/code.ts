/**
 * `code` validator: a syntax check of each value in `code_lang`. Data Designer
 * lints Python with ruff and SQL with sqlfluff; a browser has neither, so tabsynth
 * asks only whether the code parses, and reports every syntax error it can find
 * with its line and column: tree-sitter for programming languages, sqlparser-rs for
 * the SQL dialects, JSON.parse for JSON. COBOL has no grammar here.
 */
import { ErrorCodes, TabsynthError } from '../../errors.ts';
import type { CodeLang } from '../../config/types.ts';
import { jsonSyntaxIssues } from './json-syntax.ts';
import { SQL_DIALECTS, sqlIssues, sqlParserFor, type SqlCodeLang } from './sql.ts';
import { parserFor, treeSitterIssues } from './tree-sitter.ts';
import type { GrammarLoader, TreeSitterGrammar } from './types.ts';
import {
  describeValue,
  once,
  outputOf,
  unplaced,
  type ValueCheck,
  type ValueValidator,
} from './value.ts';

/** CodeLang to the tree-sitter-wasms grammar that parses it. */
const GRAMMARS: Partial<Record<CodeLang, TreeSitterGrammar>> = {
  python: 'python',
  javascript: 'javascript',
  typescript: 'typescript',
  cpp: 'cpp',
  csharp: 'c_sharp',
  go: 'go',
  java: 'java',
  kotlin: 'kotlin',
  ruby: 'ruby',
  rust: 'rust',
  scala: 'scala',
  swift: 'swift',
};

/** Whether `lang` can be checked, and whether that needs the host's GrammarLoader. */
export function codeLangSupport(lang: string): 'builtin' | 'loader' | 'unsupported' {
  if (lang === 'json') return 'builtin';
  if (lang in SQL_DIALECTS || lang in GRAMMARS) return 'loader';
  return 'unsupported';
}

/**
 * The syntax checker of `lang`. Throws INVALID_ARGUMENT for a language it cannot
 * check, or one that needs a loader when none is given.
 */
export function codeValidator(lang: string, loader?: GrammarLoader): ValueValidator {
  const support = codeLangSupport(lang);
  if (support === 'unsupported') {
    throw new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `code validator: no syntax checker for code_lang '${lang}'; expected one of ${[...Object.keys(GRAMMARS), ...Object.keys(SQL_DIALECTS), 'json'].join(', ')}`,
    );
  }
  if (support === 'loader' && !loader) {
    throw new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `code validator: checking '${lang}' loads a grammar, and the host gave no GrammarLoader`,
    );
  }
  return { ready: once(() => makeCheck(lang, loader!)) };
}

async function makeCheck(lang: string, loader: GrammarLoader): Promise<ValueCheck> {
  let issues: (text: string) => ReturnType<typeof jsonSyntaxIssues>;
  if (lang === 'json') {
    issues = jsonSyntaxIssues;
  } else if (lang in SQL_DIALECTS) {
    const parser = await sqlParserFor(loader);
    issues = (text) => sqlIssues(parser, lang as SqlCodeLang, text);
  } else {
    const parser = await parserFor(loader, GRAMMARS[lang as CodeLang]!);
    issues = (text) => treeSitterIssues(parser, text);
  }
  return (value) =>
    typeof value === 'string'
      ? outputOf(issues(value))
      : unplaced(`expected ${lang} code as text, found ${describeValue(value)}`);
}
