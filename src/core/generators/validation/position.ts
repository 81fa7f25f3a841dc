/** Text offsets to the 1-based line and column a person reads in an editor. */

export interface TextPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in code points (an emoji is one column). */
  column: number;
}

/** The position of UTF-16 index `index` in `text` (clamped to the text). */
export function positionAt(text: string, index: number): TextPosition {
  const at = Math.max(0, Math.min(index, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: codePoints(text.slice(lineStart, at)) + 1 };
}

/** The position just after the last non-blank character: where "unexpected end" is shown. */
export function endPosition(text: string): TextPosition {
  return positionAt(text, text.trimEnd().length);
}

/** A short quotation of `text` for a message: its first line, at most `max` characters. */
export function excerpt(text: string, max = 40): string {
  const first = text.split('\n', 1)[0] ?? '';
  const cut = first.length > max ? `${first.slice(0, max - 1)}…` : first;
  return JSON.stringify(cut + (first.length < text.length && cut === first ? ' …' : ''));
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}
