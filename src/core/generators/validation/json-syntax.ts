/**
 * JSON syntax. JSON.parse decides whether the text is JSON and gives its value;
 * when it refuses, jsonc-parser (VS Code's scanner, strict options) says where and
 * why, because JSON.parse's messages carry no position on some engines (V8:
 * `Unexpected token 'x', "..." is not valid JSON`) and differ across browsers.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { positionAt } from './position.ts';
import type { ValidationIssue } from './types.ts';

/** Parses `text` as JSON: the value, or the first syntax error. */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; issue: ValidationIssue } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, issue: locate(text, err instanceof Error ? err.message : String(err)) };
  }
}

/** The syntax errors of `text` as JSON: none or one (parsing stops at the first). */
export function jsonSyntaxIssues(text: string): ValidationIssue[] {
  const parsed = parseJson(text);
  return parsed.ok ? [] : [parsed.issue];
}

function locate(text: string, engineMessage: string): ValidationIssue {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (!first) return { line: null, column: null, message: `invalid JSON: ${engineMessage}` };
  const { line, column } = positionAt(text, first.offset);
  const found =
    first.offset >= text.length
      ? 'the end of the text'
      : JSON.stringify(
          text.slice(first.offset, first.offset + Math.max(1, Math.min(first.length, 20))),
        );
  return { line, column, message: `invalid JSON: ${describe(first)}, found ${found}` };
}

/** `PropertyNameExpected` -> `property name expected`. */
function describe(error: ParseError): string {
  return printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}
