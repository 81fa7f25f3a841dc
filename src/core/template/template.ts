/**
 * Jinja templates (SPEC 1), a thin and safe layer over @huggingface/jinja, an AST
 * interpreter with no path from a template to JavaScript objects, prototypes or
 * globals. `parseTemplate` once per config field, `renderTemplate` once per cell.
 * The interface is kept small so that a faster compiled renderer can replace the
 * interpreter here alone.
 */
import { Environment, Interpreter, parse, tokenize } from '@huggingface/jinja';
import { ErrorCodes, TemplateError } from '../errors.ts';
import { LEX_OPTIONS, lexErrorOffset, positionAt, tokenOffset } from './position.ts';

type Program = ReturnType<typeof parse>;

/** Longest template source accepted, in characters. */
export const MAX_TEMPLATE_LENGTH = 100_000;
/** Longest rendered output accepted, in characters. */
export const MAX_TEMPLATE_OUTPUT = 1_000_000;
/** Most items `range()` may produce. */
export const MAX_RANGE_ITEMS = 10_000;

/** A template that parsed. Opaque outside this folder except `source` and `where`. */
export interface ParsedTemplate {
  /** The template text. */
  readonly source: string;
  /** Where it came from, e.g. `columns[2].prompt`; named in every error. */
  readonly where: string;
  /** The syntax tree (internal to src/core/template). */
  readonly program: Program;
}

/** Statements that would load other templates: refused, a template stands alone. */
const LOADING_STATEMENTS = new Set(['include', 'import', 'extends', 'from']);

/** Parses `source`; throws TemplateError TEMPLATE_SYNTAX with line and column, or TEMPLATE_LIMIT. */
export function parseTemplate(source: string, where: string): ParsedTemplate {
  if (source.length > MAX_TEMPLATE_LENGTH) {
    throw new TemplateError(
      ErrorCodes.TEMPLATE_LIMIT,
      `${where}: template is ${source.length} characters long; expected at most ${MAX_TEMPLATE_LENGTH}`,
      { where },
    );
  }
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(source, LEX_OPTIONS);
  } catch (err) {
    throw syntaxError(source, where, lexErrorOffset(source, messageOf(err)), lexMessage(err));
  }
  let last = -1;
  const watched = new Proxy(tokens, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) last = Number(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  try {
    return { source, where, program: parse(watched) };
  } catch (err) {
    return throwParseError(source, where, tokens, last, err);
  }
}

function throwParseError(
  source: string,
  where: string,
  tokens: ReturnType<typeof tokenize>,
  last: number,
  err: unknown,
): never {
  const offset = tokenOffset(source, tokens, last);
  const message = messageOf(err);
  const statement = /^Unknown statement type: (\w+)/.exec(message)?.[1];
  if (statement !== undefined && LOADING_STATEMENTS.has(statement)) {
    throw syntaxError(
      source,
      where,
      offset,
      `{% ${statement} %} is not allowed: a template cannot load other templates`,
    );
  }
  if (last >= tokens.length || err instanceof TypeError) {
    throw syntaxError(
      source,
      where,
      source.length,
      'unexpected end of template (is an {% if %}, {% for %} or a tag left open?)',
    );
  }
  throw syntaxError(source, where, offset, message.replace(/^Parser Error: /, ''));
}

function syntaxError(source: string, where: string, offset: number, what: string): TemplateError {
  const { line, column } = positionAt(source, offset);
  return new TemplateError(
    ErrorCodes.TEMPLATE_SYNTAX,
    `${where}: template does not parse at line ${line}, column ${column}: ${what}`,
    { where, line, column },
  );
}

function lexMessage(err: unknown): string {
  const message = messageOf(err);
  return message === 'Unexpected end of input'
    ? 'unexpected end of template (is a string or a {{ }} tag left open?)'
    : message;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** range() as in Jinja, bounded by MAX_RANGE_ITEMS. */
function boundedRange(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range() step must not be zero');
  const count = Math.max(0, Math.ceil((to - from) / step));
  if (count > MAX_RANGE_ITEMS) {
    throw new TemplateError(
      ErrorCodes.TEMPLATE_LIMIT,
      `range() of ${count} items; expected at most ${MAX_RANGE_ITEMS}`,
    );
  }
  return Array.from({ length: count }, (_, i) => from + i * step);
}

/**
 * Renders `parsed` over `context` (column name to value). Only plain data reaches
 * the template: values are copied into the interpreter's own value types. Throws
 * TemplateError TEMPLATE_RENDER (or TEMPLATE_LIMIT) naming `where`.
 */
export function renderTemplate(parsed: ParsedTemplate, context: Record<string, unknown>): string {
  const env = new Environment();
  for (const [name, value] of GLOBALS) env.set(name, value);
  for (const [name, value] of Object.entries(context)) env.set(name, value);
  let out: unknown;
  try {
    out = new Interpreter(env).run(parsed.program).value;
  } catch (err) {
    if (err instanceof TemplateError) {
      throw new TemplateError(err.code, `${parsed.where}: ${err.message}`, {
        where: parsed.where,
      });
    }
    throw new TemplateError(
      ErrorCodes.TEMPLATE_RENDER,
      `${parsed.where}: template failed to render: ${messageOf(err)}`,
      { where: parsed.where },
    );
  }
  const text = typeof out === 'string' ? out : String(out);
  if (text.length > MAX_TEMPLATE_OUTPUT) {
    throw new TemplateError(
      ErrorCodes.TEMPLATE_LIMIT,
      `${parsed.where}: rendered ${text.length} characters; expected at most ${MAX_TEMPLATE_OUTPUT}`,
      { where: parsed.where },
    );
  }
  return text;
}

/** The only names a template sees besides the row's columns. */
const GLOBALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['none', null],
  ['True', true],
  ['False', false],
  ['None', null],
  ['range', boundedRange],
];

/** Names a template may read that are not columns. */
export const TEMPLATE_GLOBAL_NAMES: ReadonlySet<string> = new Set([
  ...GLOBALS.map(([name]) => name),
  'namespace',
]);
