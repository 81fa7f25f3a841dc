/**
 * @huggingface/jinja's parser and lexer messages, said in a user's words: the
 * token names (`CloseExpression`) become what the user typed (`}}`), and each
 * message says what was expected and what was found. A filter, test or function
 * that does not exist is named with its place, a did-you-mean and the known names.
 */
import { closest } from '../closest.ts';
import { ErrorCodes, TemplateError } from '../errors.ts';
import type { Token } from './ast.ts';
import type { UnknownNameError } from './known-names.ts';
import { positionAt, tokenOffset } from './position.ts';

/** What each token type looks like in a template. */
const TOKEN_WORDS: Readonly<Record<string, string>> = {
  Text: 'text',
  NumericLiteral: 'a number',
  StringLiteral: 'a string',
  Identifier: 'a name',
  Equals: '"="',
  OpenParen: '"("',
  CloseParen: '")"',
  OpenStatement: '"{%"',
  CloseStatement: '"%}"',
  OpenExpression: '"{{"',
  CloseExpression: '"}}"',
  OpenSquareBracket: '"["',
  CloseSquareBracket: '"]"',
  OpenCurlyBracket: '"{"',
  CloseCurlyBracket: '"}"',
  Comma: '","',
  Dot: '"."',
  Colon: '":"',
  Pipe: '"|"',
  CallOperator: '"()"',
  AdditiveBinaryOperator: 'an operator',
  MultiplicativeBinaryOperator: 'an operator',
  ExponentiationBinaryOperator: 'an operator',
  ComparisonBinaryOperator: 'a comparison',
  UnaryOperator: 'an operator',
  Comment: 'a comment',
};

/** Tokens that close something: finding one where a value belongs means the value is missing. */
const CLOSERS = new Set([
  'CloseExpression',
  'CloseStatement',
  'CloseParen',
  'CloseSquareBracket',
  'CloseCurlyBracket',
  'Comma',
]);

/** Why the parser expected a token, from its description. */
const EXPECTED_CONTEXT: readonly [RegExp, string][] = [
  [/^Expected closing expression token/, ' to close the "{{" tag'],
  [/^Expected closing statement token/, ' to close the "{%" tag'],
  [/^Expected colon between key and value/, ' between a key and its value'],
  [/^Expected closing parenthesis/, ' to close the "("'],
  [/^Expected closing square bracket/, ' to close the "["'],
];

/** Fixed messages, reworded. */
const REWORDED: readonly [RegExp, string][] = [
  [/^Expected `in` keyword following loop variable/, 'expected "in" after the loop variable'],
  [/^Expected identifier\/tuple for the loop variable/, 'expected a name after "for"'],
  [/^Expected identifier for the test/, 'expected a test name after "is"'],
  [/^Expected identifier for the filter/, 'expected a filter name after "|"'],
  [/^Expected identifier following macro statement/, 'expected the macro\'s name after "macro"'],
  [
    /^Expected identifier or integer following dot operator/,
    'expected an attribute name after "."',
  ],
  [/^Missing end of comment tag/, 'a "{#" comment is left open (no "#}")'],
];

/** The statements a `{% %}` tag may start with. */
const STATEMENTS = ['if', 'elif', 'else', 'for', 'set', 'macro', 'filter', 'break', 'continue'];

function word(tokenType: string): string {
  return TOKEN_WORDS[tokenType] ?? tokenType;
}

/** A parser or lexer message in plain words. */
export function plainSyntaxMessage(message: string): string {
  const text = message.replace(/^Parser Error: /, '');
  const mismatch = /^(.*?)\. (\w+) !== (\w+)\.$/s.exec(text);
  if (mismatch !== null) {
    const [, why = '', found = '', expected = ''] = mismatch;
    const context = EXPECTED_CONTEXT.find(([re]) => re.test(why))?.[1] ?? '';
    return `expected ${word(expected)}${context}, found ${word(found)}`;
  }
  const unexpected = /^Unexpected token(?: type)?: (\w+)$/.exec(text);
  if (unexpected !== null) {
    const found = unexpected[1] ?? '';
    return CLOSERS.has(found)
      ? `expected a value before ${word(found)}`
      : `did not expect ${word(found)} here`;
  }
  const statement = /^Unknown statement type: (\w+)/.exec(text)?.[1];
  if (statement !== undefined) return unknownStatement(statement);
  const noName = /^Unknown statement, got (\w+)/.exec(text)?.[1];
  if (noName !== undefined) return `expected a tag name after "{%", found ${word(noName)}`;
  const character = /^Unexpected character: (.)/su.exec(text)?.[1];
  if (character !== undefined) return `the character "${character}" is not allowed here`;
  const escape = /^Unexpected escaped character: (.)/su.exec(text)?.[1];
  if (escape !== undefined) return `unknown escape "\\${escape}" in a string`;
  const reworded = REWORDED.find(([re]) => re.test(text))?.[1];
  if (reworded !== undefined) return reworded;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function unknownStatement(name: string): string {
  const end = /^end(\w+)$/.exec(name)?.[1];
  if (end !== undefined) return `{% ${name} %} has no open {% ${end} %} to close`;
  if (name === 'else' || name === 'elif')
    return `{% ${name} %} outside an {% if %} (or {% for %}) block`;
  const near = closest(name, STATEMENTS);
  const hint = near === undefined ? '' : ` (did you mean {% ${near} %}?)`;
  return `unknown tag {% ${name} %}${hint}`;
}

/**
 * `where: unknown filter "uper" at line 1, column 8 (did you mean "upper"?); known
 * filters: ...`, at the first place the name is used as that kind of name.
 */
export function unknownNameError(
  source: string,
  where: string,
  tokens: readonly Token[],
  err: UnknownNameError,
): TemplateError {
  const named = tokens.findIndex(
    (t, i) => t.type === 'Identifier' && t.value === err.unknown && usedAs(tokens, i, err.kind),
  );
  // Else named by a string, as in `map('upper')`.
  const at =
    named >= 0
      ? named
      : tokens.findIndex((t) => t.type === 'StringLiteral' && t.value === err.unknown);
  const { line, column } = positionAt(source, at >= 0 ? tokenOffset(source, tokens, at) : 0);
  const near = closest(err.unknown, err.known);
  const hint = near === undefined ? '' : ` (did you mean "${near}"?)`;
  const known = [...err.known].sort().join(', ');
  const also = err.kind === 'function' ? ' (and macros defined above their use)' : '';
  return new TemplateError(
    ErrorCodes.TEMPLATE_SYNTAX,
    `${where}: ${err.message} at line ${line}, column ${column}${hint}; known ${err.kind}s: ${known}${also}`,
    { where, line, column },
  );
}

/** Whether the name at `tokens[i]` is used as a filter, test or called function there. */
function usedAs(tokens: readonly Token[], i: number, kind: UnknownNameError['kind']): boolean {
  const prev = tokens[i - 1];
  if (kind === 'filter') {
    return (
      prev?.type === 'Pipe' || (prev?.value === 'filter' && tokens[i - 2]?.type === 'OpenStatement')
    );
  }
  if (kind === 'test') {
    return prev?.value === 'is' || (prev?.value === 'not' && tokens[i - 2]?.value === 'is');
  }
  return tokens[i + 1]?.type === 'OpenParen' && prev?.type !== 'Dot' && prev?.type !== 'Pipe';
}
