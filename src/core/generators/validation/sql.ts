/**
 * SQL syntax through sqlparser-rs (compiled to wasm by @guanmingchiu/sqlparser-ts),
 * which parses each of Data Designer's dialects by its own rules: backquoted names
 * pass in MySQL and BigQuery and fail in PostgreSQL, `TOP` passes in T-SQL. Data
 * Designer lints with sqlfluff and keeps only its parse errors (PRS); this is the
 * same question asked of another parser, so borderline statements may differ.
 */
import { endPosition, type TextPosition } from './position.ts';
import type { GrammarLoader, SqlParserModule, ValidationIssue } from './types.ts';

/** Data Designer's SQL code_lang to sqlparser-rs' dialect name. */
export const SQL_DIALECTS = {
  'sql:sqlite': 'sqlite',
  'sql:tsql': 'mssql',
  'sql:bigquery': 'bigquery',
  'sql:mysql': 'mysql',
  'sql:postgres': 'postgresql',
  'sql:ansi': 'ansi',
} as const;
export type SqlCodeLang = keyof typeof SQL_DIALECTS;

const modules = new WeakMap<GrammarLoader, Promise<SqlParserModule>>();

/** The loader's SQL parser, loaded once per loader. */
export function sqlParserFor(loader: GrammarLoader): Promise<SqlParserModule> {
  let module = modules.get(loader);
  if (!module) {
    module = loader.sql();
    module.catch(() => modules.delete(loader));
    modules.set(loader, module);
  }
  return module;
}

/** The syntax error of `text` in `lang` (sqlparser-rs stops at the first): none or one. */
export function sqlIssues(
  parser: SqlParserModule,
  lang: SqlCodeLang,
  text: string,
): ValidationIssue[] {
  try {
    parser.validate_sql(SQL_DIALECTS[lang], text);
    return [];
  } catch (err) {
    const raw = messageOf(err);
    const place = placeOf(err, raw) ?? endPosition(text);
    const message = raw
      .replace(/^sql parser error: /, '')
      .replace(/ at Line: \d+, Column: \d+$/, '');
    return [{ ...place, message: `syntax error (${lang}): ${message}` }];
  }
}

function messageOf(err: unknown): string {
  if (typeof err === 'string') return err;
  if (
    err &&
    typeof err === 'object' &&
    typeof (err as { message?: unknown }).message === 'string'
  ) {
    return (err as { message: string }).message;
  }
  return String(err);
}

/** sqlparser-rs puts `at Line: L, Column: C` (1-based, in characters) at the end; EOF has none. */
function placeOf(err: unknown, message: string): TextPosition | undefined {
  if (err && typeof err === 'object') {
    const { line, column } = err as { line?: unknown; column?: unknown };
    if (typeof line === 'number' && typeof column === 'number') return { line, column };
  }
  const m = /at Line: (\d+), Column: (\d+)/.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}
