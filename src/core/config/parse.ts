/**
 * Config text to an untyped document: YAML (Data Designer's usual form) or JSON.
 * JSON is YAML too, but a JSON document gets JSON's own error, with line and column.
 * Errors are ConfigError with code CONFIG_SYNTAX.
 */
import { parseDocument } from 'yaml';
import { ConfigError, ErrorCodes, type ConfigIssue } from '../errors.ts';

/** Aliases a YAML document may expand, against alias bombs. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses config text. Without a hint, text whose first non-blank character is `{`
 * is read as JSON, anything else as YAML. The result may be wrapped as
 * `{ data_designer: {...} }`; validateConfig unwraps it.
 */
export function parseConfigText(text: string, hint?: 'yaml' | 'json'): unknown {
  const json = hint === 'json' || (hint === undefined && /^\s*\{/.test(text));
  return json ? parseJson(text) : parseYaml(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const { line, column } = jsonErrorPosition(text, message);
    const what = message
      .replace(/\s*(in JSON )?at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    throw syntax([
      { path: '', message: `JSON syntax error at line ${line}, column ${column}: ${what}` },
    ]);
  }
}

/** Line and column of a JSON.parse error, from whichever form the engine's message takes. */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseYaml(text: string): unknown {
  // logLevel 'error': yaml's warnings (a key that is a list or a map, stringified) go
  // to process.emitWarning or console.warn, past the issue list; validation reports
  // such a key as unknown at its path instead.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    throw syntax(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const where = at ? ` at line ${at.line}, column ${at.col}` : '';
        return { path: '', message: `YAML syntax error${where}: ${firstLine(e.message)}` };
      }),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (err) {
    throw syntax([
      {
        path: '',
        message: `YAML document could not be read: ${err instanceof Error ? err.message : String(err)}`,
      },
    ]);
  }
}

/** The message without yaml's code frame and its own ' at line L, column C:' suffix. */
function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).replace(/ at line \d+, column \d+:?$/, '');
}

function syntax(issues: ConfigIssue[]): ConfigError {
  return new ConfigError(issues, ErrorCodes.CONFIG_SYNTAX);
}
