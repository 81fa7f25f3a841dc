/**
 * Markdown fenced blocks in a model's answer (```lang ... ``` or ~~~lang ... ~~~),
 * read line by line the way CommonMark opens and closes them. llm-code takes its
 * code from them, llm-structured and llm-judge their JSON.
 */

/** One fenced block of an answer. */
interface FencedBlock {
  /** The info string's first word, lower-cased ('' when the fence has none). */
  lang: string;
  /** The lines between the fences, without the fences. */
  body: string;
  /** False when the answer ended before the closing fence (a cut-off answer). */
  closed: boolean;
}

const OPENING = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

/** Every fenced block of `text`, in order. A block left open runs to the end of the text. */
export function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = text.split(/\r?\n/);
  let open: { fence: string; lang: string; lines: string[] } | undefined;
  for (const line of lines) {
    if (open) {
      if (isClosing(line, open.fence)) {
        blocks.push({ lang: open.lang, body: open.lines.join('\n'), closed: true });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const m = OPENING.exec(line);
    if (m) open = { fence: m[1]!, lang: (m[2] ?? '').toLowerCase(), lines: [] };
  }
  if (open) blocks.push({ lang: open.lang, body: open.lines.join('\n'), closed: false });
  return blocks;
}

/** A closing fence: the opening's character, at least as many, nothing else on the line. */
function isClosing(line: string, fence: string): boolean {
  const t = line.trim();
  const char = fence[0]!;
  return t.length >= fence.length && [...t].every((c) => c === char);
}
