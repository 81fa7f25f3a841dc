/**
 * Renaming the columns one Jinja template reads, exactly: only the names the
 * core's reference analysis counts as columns change (not `x.name`, a filter, a
 * keyword argument, a string, text or a comment, nor a loop variable or a `set`
 * local that hides the column), and every other character stays as written.
 *
 * How: each whole-word occurrence of an old name is swapped for a marker of its
 * own, the marked text is parsed, and the core's `templateReferences` (told that
 * every marker stands for its old name, so scoping is unchanged) says which
 * markers are read as variables. Those occurrences, and only those, are replaced
 * in the original text.
 */
import {
  parseTemplate,
  parseTemplateSyntax,
  type ParsedTemplate,
} from '../../core/template/template.ts';
import { templateReferences } from '../../core/template/references.ts';

/** A name a template can read as a variable: Jinja's word characters, not starting with a digit. */
const TEMPLATE_NAME = /^[A-Za-z_]\w*$/;

/** What became of one template. */
export type TemplateRename =
  /** Rewritten (or left as it was when `count` is 0). */
  | { ok: true; text: string; count: number }
  /** Reads an old name but cannot be rewritten: `reason` says why, in the user's words. */
  | { ok: false; reason: string };

/** True when a template can refer to `name` as a variable. */
export function isTemplateName(name: string): boolean {
  return TEMPLATE_NAME.test(name);
}

/** `source` parsed, or null; `check`: filter and test names must exist too. */
function parsed(source: string, check = true): ParsedTemplate | null {
  try {
    return (check ? parseTemplate : parseTemplateSyntax)(source, 'template');
  } catch {
    return null;
  }
}

/** Offsets of whole-word occurrences of `name` (not inside a longer word). */
function occurrences(source: string, name: string): number[] {
  const out: number[] = [];
  const word = /\w/;
  for (let at = source.indexOf(name); at >= 0; at = source.indexOf(name, at + 1)) {
    const before = source.charAt(at - 1);
    const after = source.charAt(at + name.length);
    if ((before === '' || !word.test(before)) && (after === '' || !word.test(after))) out.push(at);
  }
  return out;
}

/** A marker prefix that occurs nowhere in `source`. */
function markerPrefix(source: string): string {
  let prefix = '__tabsynth_rename_';
  while (source.includes(prefix)) prefix += 'x';
  return prefix;
}

/**
 * Renames, in `source`, every variable reference to a key of `renames` into its
 * value. `bare`: the source is a condition that may be written without `{{ }}`
 * (`age > 21`), read as `{{ age > 21 }}`.
 */
export function renameInTemplate(
  source: string,
  renames: ReadonlyMap<string, string>,
  bare = false,
): TemplateRename {
  const wrapped = bare && !source.includes('{{') && !source.includes('{%');
  const text = wrapped ? `{{ ${source} }}` : source;
  const original = parsed(text);
  if (original === null) {
    const mentions = [...renames.keys()].some((n) => occurrences(text, n).length > 0);
    return mentions
      ? { ok: false, reason: 'the template does not parse' }
      : { ok: true, text: source, count: 0 };
  }
  const before = templateReferences(original);
  if (!before.some((n) => renames.has(n))) return { ok: true, text: source, count: 0 };
  const badName = before
    .map((n) => renames.get(n))
    .find((n) => n !== undefined && !isTemplateName(n));
  if (badName !== undefined) {
    return { ok: false, reason: `a template cannot read '${badName}' (not a Jinja name)` };
  }

  const found: { at: number; name: string }[] = [];
  for (const name of renames.keys()) {
    for (const at of occurrences(text, name)) found.push({ at, name });
  }
  found.sort((a, b) => a.at - b.at);
  const prefix = markerPrefix(text);
  const aliases = new Map<string, string>();
  let marked = '';
  let from = 0;
  found.forEach(({ at, name }, k) => {
    aliases.set(`${prefix}${k}`, name);
    marked += `${text.slice(from, at)}${prefix}${k}`;
    from = at + name.length;
  });
  marked += text.slice(from);
  const markedParsed = parsed(marked, false);
  if (markedParsed === null) return { ok: false, reason: 'the template could not be read safely' };
  const read = new Set(templateReferences(markedParsed, (n) => aliases.get(n) ?? n));

  let out = '';
  let count = 0;
  from = 0;
  found.forEach(({ at, name }, k) => {
    const to = renames.get(name);
    if (to === undefined || !read.has(`${prefix}${k}`)) return;
    out += `${text.slice(from, at)}${to}`;
    from = at + name.length;
    count++;
  });
  out += text.slice(from);

  // The new name must not be captured by a local of the same name (a loop variable).
  const after = parsed(out);
  const expected = new Set(before.map((n) => renames.get(n) ?? n));
  const got = after === null ? null : new Set(templateReferences(after));
  if (got === null || got.size !== expected.size || [...expected].some((n) => !got.has(n))) {
    return { ok: false, reason: 'the new name is already used inside the template' };
  }
  return { ok: true, text: wrapped ? out.slice(3, -3) : out, count };
}
