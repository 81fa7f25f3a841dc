/**
 * Where a template syntax error is. @huggingface/jinja reports neither lines nor
 * columns, so the position is recovered: for a lexer error, from the offending
 * character; for a parser error, from the last token the parser looked at, mapped
 * back to the source through the tag (`{{` or `{%`) that holds it.
 */
import { tokenize, type Token } from './ast.ts';

interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** 0-based offset into the source. */
  offset: number;
}

export const LEX_OPTIONS = { lstrip_blocks: true, trim_blocks: true } as const;

/** The line and column of a 0-based offset (clamped to the source). */
export function positionAt(source: string, offset: number): SourcePosition {
  const at = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1, offset: at };
}

/** Where a lexer error is: the first offending character, or the last open tag. */
export function lexErrorOffset(source: string, message: string): number {
  const bad = /^Unexpected (?:escaped )?character: (.)/su.exec(message);
  if (bad?.[1] !== undefined) {
    const ch = bad[1];
    let tries = 0;
    for (
      let i = source.indexOf(ch);
      i >= 0 && tries < 200;
      i = source.indexOf(ch, i + 1), tries++
    ) {
      try {
        tokenize(source.slice(0, i + 1), LEX_OPTIONS);
      } catch (err) {
        if (err instanceof Error && err.message === message) return i;
      }
    }
  }
  return lastOpenTag(source);
}

/** Offset of the last `{{` or `{%` in the source (the one left open), or its end. */
function lastOpenTag(source: string): number {
  const at = Math.max(source.lastIndexOf('{{'), source.lastIndexOf('{%'));
  return at >= 0 ? at : source.length;
}

/** Offsets of every tag opener (`{{`, `{%`) outside comments, in order. */
function tagOpenings(source: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < source.length - 1) {
    const two = source.slice(i, i + 2);
    if (two === '{#') {
      const end = source.indexOf('#}', i + 2);
      if (end < 0) break;
      i = end + 2;
    } else if (two === '{{' || two === '{%') {
      out.push(i);
      i += 2;
    } else {
      i++;
    }
  }
  return out;
}

/** Where token `index` of `tokens` is in the source (the end when it is past the last). */
export function tokenOffset(source: string, tokens: readonly Token[], index: number): number {
  if (index >= tokens.length || index < 0) return source.length;
  let opens = -1;
  let openIndex = -1;
  for (let i = 0; i <= index; i++) {
    const t = tokens[i];
    if (t && (t.type === 'OpenExpression' || t.type === 'OpenStatement')) {
      opens++;
      openIndex = i;
    }
  }
  if (opens < 0) return 0;
  let at = tagOpenings(source)[opens] ?? lastOpenTag(source);
  let next = at + 2;
  for (let i = openIndex + 1; i <= index; i++) {
    const value = tokens[i]?.value ?? '';
    const found = value === '' ? -1 : source.indexOf(value, next);
    if (found < 0) break;
    at = found;
    next = found + value.length;
  }
  return at;
}
