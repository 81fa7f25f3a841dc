/**
 * Jinja templates (SPEC 1), rendered as Data Designer's sandboxed Jinja2 does.
 * @huggingface/jinja lexes and parses; compile.ts turns the syntax tree into
 * JavaScript closures once per template, so `renderTemplate` (once per cell) is a
 * few direct calls. There is no path from a template to JavaScript objects,
 * prototypes or globals, and every bound in limits.ts holds while rendering.
 */
import { ErrorCodes, TemplateError } from '../errors.ts';
import { compileProgram, type Renderer } from './compile.ts';
import { UnknownNameError, UnsupportedError } from './known-names.ts';
import { GLOBAL_FUNCTIONS } from './builtins.ts';
import {
  childNodes,
  parseTokens,
  tokenize,
  type Node,
  type ProgramNode,
  type Token,
} from './ast.ts';
import { MAX_NESTING_DEPTH, MAX_TEMPLATE_LENGTH, rendering } from './limits.ts';
import { LEX_OPTIONS, lexErrorOffset, positionAt, tokenOffset } from './position.ts';
import { plainSyntaxMessage, unknownNameError } from './syntax-messages.ts';
import { RenderFailure } from './values.ts';
import { hashString } from '../random/seed.ts';

export {
  MAX_CALL_DEPTH,
  MAX_LOOP_ITERATIONS,
  MAX_NESTING_DEPTH,
  MAX_RANGE_ITEMS,
  MAX_RENDER_WORK,
  MAX_TEMPLATE_LENGTH,
  MAX_TEMPLATE_OUTPUT,
} from './limits.ts';

/** A template that parsed. Opaque outside this folder except `source` and `where`. */
export interface ParsedTemplate {
  /** The template text. */
  readonly source: string;
  /** Where it came from, e.g. `columns[2].prompt`; named in every error. */
  readonly where: string;
  /** The syntax tree (internal to src/core/template). */
  readonly program: ProgramNode;
}

/** Statements that would load other templates: refused, a template stands alone. */
const LOADING_STATEMENTS = new Set(['include', 'import', 'extends', 'from']);

/** Parses and compiles `source`; throws TemplateError TEMPLATE_SYNTAX with line and column, or TEMPLATE_LIMIT. */
export function parseTemplate(source: string, where: string): ParsedTemplate {
  const { parsed, tokens } = parseSyntax(source, where);
  try {
    remember(parsed, compileProgram(parsed.program));
  } catch (err) {
    if (err instanceof UnknownNameError) throw unknownNameError(source, where, tokens, err);
    if (err instanceof UnsupportedError) throw syntaxError(source, where, 0, err.message);
    if (err instanceof RangeError) throw nestingError(where);
    throw err;
  }
  return parsed;
}

/**
 * Parses `source` without compiling it, so filter and test names are not checked
 * (compiled on first render); throws as `parseTemplate` does for syntax and limits.
 */
export function parseTemplateSyntax(source: string, where: string): ParsedTemplate {
  return parseSyntax(source, where).parsed;
}

function parseSyntax(source: string, where: string): { parsed: ParsedTemplate; tokens: Token[] } {
  if (source.length > MAX_TEMPLATE_LENGTH) {
    throw new TemplateError(
      ErrorCodes.TEMPLATE_LIMIT,
      `${where}: template is ${source.length} characters long; expected at most ${MAX_TEMPLATE_LENGTH}`,
      { where },
    );
  }
  let tokens: Token[];
  try {
    tokens = tokenize(source, LEX_OPTIONS);
  } catch (err) {
    throw syntaxError(source, where, lexErrorOffset(source, messageOf(err)), lexMessage(err));
  }
  checkTokenNesting(tokens, where);
  const { rewritten, origin } = rewriteTestCalls(tokens);
  let last = -1;
  const watched = new Proxy(rewritten, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) last = Number(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  let program: ProgramNode;
  try {
    program = parseTokens(watched);
  } catch (err) {
    if (err instanceof RangeError) throw nestingError(where);
    const at = last >= rewritten.length ? tokens.length : (origin[last] ?? last);
    return throwParseError(source, where, tokens, at, err);
  }
  if (treeDepth(program) > MAX_NESTING_DEPTH) throw nestingError(where);
  return { parsed: { source, where, program }, tokens };
}

function nestingError(where: string): TemplateError {
  return new TemplateError(
    ErrorCodes.TEMPLATE_LIMIT,
    `${where}: template is nested too deeply; expected at most ${MAX_NESTING_DEPTH} levels`,
    { where },
  );
}

const BLOCK_OPENERS = new Set(['if', 'for', 'macro', 'filter', 'call']);
const BLOCK_CLOSERS = new Set(['endif', 'endfor', 'endmacro', 'endfilter', 'endcall']);

/** Refuses, before parsing, brackets, blocks or unary chains nested past the bound (the parser recurses on each). */
function checkTokenNesting(tokens: readonly Token[], where: string): void {
  let depth = 0;
  let unary = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) continue;
    const prev = tokens[i - 1];
    if (t.type === 'OpenParen' || t.type === 'OpenSquareBracket' || t.type === 'OpenCurlyBracket')
      depth++;
    else if (
      t.type === 'CloseParen' ||
      t.type === 'CloseSquareBracket' ||
      t.type === 'CloseCurlyBracket'
    )
      depth--;
    else if (t.type === 'Identifier' && prev?.type === 'OpenStatement') {
      if (BLOCK_OPENERS.has(t.value)) depth++;
      else if (BLOCK_CLOSERS.has(t.value)) depth--;
    }
    const isUnary =
      t.type === 'UnaryOperator' ||
      (t.type === 'AdditiveBinaryOperator' && (t.value === '-' || t.value === '+')) ||
      (t.type === 'Identifier' && (t.value === 'not' || t.value === 'if' || t.value === 'else'));
    unary = isUnary ? unary + 1 : 0;
    if (depth > MAX_NESTING_DEPTH || unary > MAX_NESTING_DEPTH) throw nestingError(where);
  }
}

/**
 * `x is name(args)`: @huggingface/jinja parses tests without arguments only, so a
 * test call is rewritten to the filter `test:name` (`test:not:name`), which the
 * compiler turns back into a test. `origin` maps each token back for error positions.
 */
function rewriteTestCalls(tokens: readonly Token[]): { rewritten: Token[]; origin: number[] } {
  const rewritten: Token[] = [];
  const origin: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) continue;
    if (t.type === 'Identifier' && t.value === 'is') {
      const negate = tokens[i + 1]?.type === 'Identifier' && tokens[i + 1]?.value === 'not';
      const name = tokens[i + (negate ? 2 : 1)];
      if (name?.type === 'Identifier' && tokens[i + (negate ? 3 : 2)]?.type === 'OpenParen') {
        rewritten.push({ type: 'Pipe', value: '|' } as Token);
        origin.push(i);
        rewritten.push({
          type: 'Identifier',
          value: `test:${negate ? 'not:' : ''}${name.value}`,
        } as Token);
        i += negate ? 2 : 1;
        origin.push(i);
        continue;
      }
    }
    rewritten.push(t);
    origin.push(i);
  }
  return { rewritten, origin };
}

/** The depth of the syntax tree, walked without recursion. */
function treeDepth(program: ProgramNode): number {
  let max = 0;
  const stack: [Node, number][] = [[program, 1]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop() ?? [program, 0];
    if (depth > max) max = depth;
    if (max > MAX_NESTING_DEPTH) return max;
    for (const x of childNodes(n)) stack.push([x, depth + 1]);
  }
  return max;
}

function throwParseError(
  source: string,
  where: string,
  tokens: readonly Token[],
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
  throw syntaxError(source, where, offset, plainSyntaxMessage(message));
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
    : plainSyntaxMessage(message);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Options of one render. */
export interface RenderOptions {
  /**
   * Seed of the `random` filter, e.g. the cell's seed (src/core/random/seed.ts
   * cellSeed) so that a cell renders the same on every run. Default: a hash of
   * the template's `where`, the same for every row.
   */
  seed?: number;
}

/** A compiled template and its default seed. */
interface Compiled {
  render: Renderer;
  seed: number;
}

/**
 * Where a ParsedTemplate keeps its compiled form: a non-enumerable symbol property
 * (one inline-cached read per render, invisible to equality and JSON), with a
 * WeakMap for a ParsedTemplate that is frozen or was not made by parseTemplate.
 */
const COMPILED = Symbol('compiled');
const RENDERERS = new WeakMap<ParsedTemplate, Compiled>();

function remember(parsed: ParsedTemplate, render: Renderer): Compiled {
  const compiled = { render, seed: hashString(parsed.where) };
  if (Object.isExtensible(parsed)) Object.defineProperty(parsed, COMPILED, { value: compiled });
  else RENDERERS.set(parsed, compiled);
  return compiled;
}

/** The compiled form of `parsed`, compiled on first use when `parsed` was not made by parseTemplate. */
function compiledOf(parsed: ParsedTemplate): Compiled {
  const hit = (parsed as { [COMPILED]?: Compiled })[COMPILED] ?? RENDERERS.get(parsed);
  if (hit !== undefined) return hit;
  try {
    return remember(parsed, compileProgram(parsed.program));
  } catch (err) {
    throw new TemplateError(ErrorCodes.TEMPLATE_SYNTAX, `${parsed.where}: ${messageOf(err)}`, {
      where: parsed.where,
    });
  }
}

/**
 * `parsed` as a function of the row, with `renderTemplate`'s behaviour (bounds,
 * errors naming `where`), for callers rendering many rows.
 */
export function compileRenderer(
  parsed: ParsedTemplate,
): (context: Readonly<Record<string, unknown>>, options?: RenderOptions) => string {
  const { render, seed } = compiledOf(parsed);
  const where = parsed.where;
  return (context, options) => run(render, where, context, options?.seed ?? seed);
}

/**
 * Renders `parsed` over `context` (column name to value). Only plain data reaches
 * the template (see values.ts). Throws TemplateError TEMPLATE_RENDER (or
 * TEMPLATE_LIMIT) naming `where`.
 */
export function renderTemplate(
  parsed: ParsedTemplate,
  context: Readonly<Record<string, unknown>>,
  options?: RenderOptions,
): string {
  const { render, seed } = compiledOf(parsed);
  return run(render, parsed.where, context, options?.seed ?? seed);
}

function run(
  render: Renderer,
  where: string,
  context: Readonly<Record<string, unknown>>,
  seed: number,
): string {
  try {
    return rendering(seed, render, context);
  } catch (err) {
    throw renderError(where, err);
  }
}

function renderError(where: string, err: unknown): TemplateError {
  if (err instanceof TemplateError) {
    return new TemplateError(err.code, `${where}: ${err.message}`, { where });
  }
  if (err instanceof RangeError) {
    return new TemplateError(
      ErrorCodes.TEMPLATE_LIMIT,
      `${where}: template went over a bound: ${err.message}`,
      {
        where,
      },
    );
  }
  const what = err instanceof RenderFailure ? err.message : `internal error: ${messageOf(err)}`;
  return new TemplateError(
    ErrorCodes.TEMPLATE_RENDER,
    `${where}: template failed to render: ${what}`,
    { where },
  );
}

/** Names a template may read that are not columns. */
export const TEMPLATE_GLOBAL_NAMES: ReadonlySet<string> = new Set([
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  ...GLOBAL_FUNCTIONS.keys(),
]);
