/**
 * JSON answers of llm-structured and llm-judge (SPEC 1): the instructions that ask
 * for them, reading the JSON out of an answer (fenced or bare, with text around it),
 * and the follow-up message that asks for a correction.
 */
import { fencedBlocks } from './fences.ts';

/** What reading an answer gave: its value, or why there is none. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Bare-JSON candidates tried before giving up, so a long answer stays cheap to read. */
const MAX_CANDIDATES = 32;

/**
 * The instructions appended to the user prompt: answer in JSON, in a ```json fence,
 * matching the schema given between <response_schema> tags (as Data Designer asks).
 */
export function jsonInstructions(schema: Record<string, unknown>): string {
  return [
    '* Your response must be in JSON format.',
    '* Return your JSON response inside a Markdown ```json code fence.',
    '* The JSON format is described by the JSON Schema between the <response_schema> tags.',
    '',
    `<response_schema>\n${JSON.stringify(schema)}\n</response_schema>`,
  ].join('\n');
}

/** The user turn that feeds a rejected answer's problem back to the model. */
export function correctionMessage(error: string): string {
  return [
    `Your previous response does not match the requested <response_schema>: ${error}`,
    'Respond again with the corrected JSON only, inside a ```json code fence.',
  ].join('\n');
}

/**
 * The JSON value of an answer. Tried in order: the ```json fenced blocks (the last
 * one that parses, as a model that corrects itself ends with its final answer), the
 * whole answer, any other fenced block, then the first balanced `{...}` or `[...]` in
 * the text that parses.
 */
export function parseJsonAnswer(answer: string): Parsed<unknown> {
  const blocks = fencedBlocks(answer);
  const json = blocks.filter((b) => b.lang === 'json' || b.lang === 'jsonc' || b.lang === 'json5');
  let firstError: string | undefined;
  for (const block of json.reverse()) {
    const r = tryParse(block.body);
    if (r.ok) return r;
    firstError ??= `the \`\`\`json block does not parse (${r.error})`;
  }
  const whole = tryParse(answer);
  if (whole.ok) return whole;
  for (const block of blocks) {
    const r = tryParse(block.body);
    if (r.ok) return r;
  }
  let tried = 0;
  for (let i = 0; i < answer.length && tried < MAX_CANDIDATES; i++) {
    const c = answer[i];
    if (c !== '{' && c !== '[') continue;
    const end = matchingEnd(answer, i);
    if (end < 0) continue;
    tried++;
    const r = tryParse(answer.slice(i, end + 1));
    if (r.ok) return r;
  }
  return { ok: false, error: firstError ?? 'expected a JSON value, found none in the answer' };
}

function tryParse(text: string): Parsed<unknown> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'it is empty' };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 when unbalanced. */
function matchingEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}
