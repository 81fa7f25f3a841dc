/**
 * What the template editor needs from a template's text: the names in its Jinja
 * tags (to colour known columns and flag unknown ones) and the completion
 * context at the caret.
 */

/** A stretch of template text; `ref` set when it is a name inside a tag. */
export interface Segment {
  text: string;
  kind: 'text' | 'tag' | 'known' | 'unknown';
}

const TAG = /\{\{[\s\S]*?(\}\}|$)|\{%[\s\S]*?(%\}|$)|\{#[\s\S]*?(#\}|$)/g;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Splits `source` for highlighting: tag text, and names in tags that are known columns or unknown references. */
export function segments(
  source: string,
  known: ReadonlySet<string>,
  unknown: ReadonlySet<string>,
): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const start = m.index;
    if (start > last) out.push({ text: source.slice(last, start), kind: 'text' });
    const tag = m[0];
    let pos = 0;
    for (const n of tag.matchAll(NAME)) {
      const before = tag.charAt(n.index - 1);
      const kind =
        before === '.' || before === '|'
          ? undefined
          : unknown.has(n[0])
            ? 'unknown'
            : known.has(n[0])
              ? 'known'
              : undefined;
      if (!kind) continue;
      if (n.index > pos) out.push({ text: tag.slice(pos, n.index), kind: 'tag' });
      out.push({ text: n[0], kind });
      pos = n.index + n[0].length;
    }
    if (pos < tag.length) out.push({ text: tag.slice(pos), kind: 'tag' });
    last = start + tag.length;
  }
  if (last < source.length) out.push({ text: source.slice(last), kind: 'text' });
  return out;
}

/** The name being typed at `caret` inside a `{{ }}` or `{% %}` tag, or undefined outside one. */
export function completionContext(
  source: string,
  caret: number,
): { prefix: string; start: number; inExpression: boolean } | undefined {
  const before = source.slice(0, caret);
  const openExpr = before.lastIndexOf('{{');
  const openStmt = before.lastIndexOf('{%');
  const open = Math.max(openExpr, openStmt);
  if (open < 0) return undefined;
  const close = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  if (close > open) return undefined;
  const m = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before);
  const prefix = m ? m[0] : '';
  const start = caret - prefix.length;
  const charBefore = source.charAt(start - 1);
  if (charBefore === '.' || charBefore === '|') return undefined;
  return { prefix, start, inExpression: openExpr === open };
}

/** Column names offered for `prefix`: those starting with it first, then those containing it. */
export function completions(names: readonly string[], prefix: string, limit = 8): string[] {
  const p = prefix.toLowerCase();
  const starts = names.filter((n) => n.toLowerCase().startsWith(p));
  const contains = names.filter(
    (n) => !n.toLowerCase().startsWith(p) && n.toLowerCase().includes(p),
  );
  return [...starts, ...contains].slice(0, limit);
}
