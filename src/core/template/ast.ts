/**
 * @huggingface/jinja's syntax tree, typed in this one place. The library declares
 * every node with `type: string` and does not export its node classes from its
 * entry point, so this module mirrors them as a discriminated union (`Node`) and
 * checks, at compile time, that each mirror has exactly the fields of the
 * library's class, of the same kinds (a node, a list of nodes, a flag, a token).
 * An upgrade that renames, adds, removes or re-shapes a field of any node fails
 * `tsc` here, naming the node, instead of failing while compiling a template.
 * Only this module imports the library's parser; everything else reads `Node`.
 */
import { parse, tokenize } from '@huggingface/jinja';
// Type-only, erased when built: the package's exports map hides its ast.d.ts.
import type * as Lib from '../../../node_modules/@huggingface/jinja/dist/ast.js';

export { tokenize };

/** A lexer token. */
export type Token = ReturnType<typeof tokenize>[number];

/** Fields every statement node shares. */
interface Body {
  body: Statement[];
}

export interface ProgramNode extends Body {
  type: 'Program';
}
export interface IfNode extends Body {
  type: 'If';
  test: Expression;
  alternate: Statement[];
}
export interface ForNode extends Body {
  type: 'For';
  loopvar: IdentifierNode | TupleLiteralNode;
  iterable: Expression;
  defaultBlock: Statement[];
}
export interface BreakNode {
  type: 'Break';
}
export interface ContinueNode {
  type: 'Continue';
}
export interface SetNode extends Body {
  type: 'Set';
  assignee: Expression;
  value: Expression | null;
}
export type ParameterNode = IdentifierNode | KeywordArgumentNode;
export interface MacroNode extends Body {
  type: 'Macro';
  name: IdentifierNode;
  args: ParameterNode[];
}
export interface CommentNode {
  type: 'Comment';
  value: string;
}
export interface FilterStatementNode extends Body {
  type: 'FilterStatement';
  filter: IdentifierNode | CallExpressionNode;
}
export interface CallStatementNode extends Body {
  type: 'CallStatement';
  call: CallExpressionNode;
  callerArgs: ParameterNode[] | null;
}

export interface MemberExpressionNode {
  type: 'MemberExpression';
  object: Expression;
  property: Expression;
  computed: boolean;
}
export interface CallExpressionNode {
  type: 'CallExpression';
  callee: Expression;
  args: Expression[];
}
export interface IdentifierNode {
  type: 'Identifier';
  value: string;
}
export interface IntegerLiteralNode {
  type: 'IntegerLiteral';
  value: number;
}
export interface FloatLiteralNode {
  type: 'FloatLiteral';
  value: number;
}
export interface StringLiteralNode {
  type: 'StringLiteral';
  value: string;
}
export interface ArrayLiteralNode {
  type: 'ArrayLiteral';
  value: Expression[];
}
export interface TupleLiteralNode {
  type: 'TupleLiteral';
  value: Expression[];
}
export interface ObjectLiteralNode {
  type: 'ObjectLiteral';
  value: Map<Expression, Expression>;
}
export interface BinaryExpressionNode {
  type: 'BinaryExpression';
  operator: Token;
  left: Expression;
  right: Expression;
}
export interface FilterExpressionNode {
  type: 'FilterExpression';
  operand: Expression;
  filter: IdentifierNode | CallExpressionNode;
}
export interface SelectExpressionNode {
  type: 'SelectExpression';
  lhs: Expression;
  test: Expression;
}
export interface TestExpressionNode {
  type: 'TestExpression';
  operand: Expression;
  negate: boolean;
  test: IdentifierNode;
}
export interface UnaryExpressionNode {
  type: 'UnaryExpression';
  operator: Token;
  argument: Expression;
}
export interface SliceExpressionNode {
  type: 'SliceExpression';
  start: Expression | undefined;
  stop: Expression | undefined;
  step: Expression | undefined;
}
export interface KeywordArgumentNode {
  type: 'KeywordArgumentExpression';
  key: IdentifierNode;
  value: Expression;
}
export interface SpreadExpressionNode {
  type: 'SpreadExpression';
  argument: Expression;
}
export interface KeywordSpreadExpressionNode {
  type: 'KeywordSpreadExpression';
  argument: Expression;
}
export interface TernaryNode {
  type: 'Ternary';
  condition: Expression;
  trueExpr: Expression;
  falseExpr: Expression;
}

/** Every node that yields a value. */
export type Expression =
  | MemberExpressionNode
  | CallExpressionNode
  | IdentifierNode
  | IntegerLiteralNode
  | FloatLiteralNode
  | StringLiteralNode
  | ArrayLiteralNode
  | TupleLiteralNode
  | ObjectLiteralNode
  | BinaryExpressionNode
  | FilterExpressionNode
  | SelectExpressionNode
  | TestExpressionNode
  | UnaryExpressionNode
  | SliceExpressionNode
  | KeywordArgumentNode
  | SpreadExpressionNode
  | KeywordSpreadExpressionNode
  | TernaryNode;

/** What a template body holds: statements, and expressions printed as `{{ }}`. */
export type Statement =
  | IfNode
  | ForNode
  | BreakNode
  | ContinueNode
  | SetNode
  | MacroNode
  | CommentNode
  | FilterStatementNode
  | CallStatementNode
  | Expression;

export type Node = ProgramNode | Statement;

/** Parses lexed tokens into the typed tree (see the compile-time check below). */
export function parseTokens(tokens: Token[]): ProgramNode {
  return parse(tokens) as unknown as ProgramNode;
}

/** The nodes directly below `n`, in source order. Exhaustive: a new kind must be listed. */
export function childNodes(n: Node): Node[] {
  switch (n.type) {
    case 'Program':
      return n.body;
    case 'If':
      return [n.test, ...n.body, ...n.alternate];
    case 'For':
      return [n.loopvar, n.iterable, ...n.body, ...n.defaultBlock];
    case 'Set':
      return [n.assignee, ...(n.value === null ? [] : [n.value]), ...n.body];
    case 'Macro':
      return [n.name, ...n.args, ...n.body];
    case 'FilterStatement':
      return [n.filter, ...n.body];
    case 'CallStatement':
      return [n.call, ...(n.callerArgs ?? []), ...n.body];
    case 'MemberExpression':
      return [n.object, n.property];
    case 'CallExpression':
      return [n.callee, ...n.args];
    case 'ArrayLiteral':
    case 'TupleLiteral':
      return n.value;
    case 'ObjectLiteral':
      return [...n.value].flat();
    case 'BinaryExpression':
      return [n.left, n.right];
    case 'FilterExpression':
      return [n.operand, n.filter];
    case 'SelectExpression':
      return [n.lhs, n.test];
    case 'TestExpression':
      return [n.operand, n.test];
    case 'UnaryExpression':
    case 'SpreadExpression':
    case 'KeywordSpreadExpression':
      return [n.argument];
    case 'SliceExpression':
      return [n.start, n.stop, n.step].filter((x) => x !== undefined);
    case 'KeywordArgumentExpression':
      return [n.key, n.value];
    case 'Ternary':
      return [n.condition, n.trueExpr, n.falseExpr];
    case 'Break':
    case 'Continue':
    case 'Comment':
    case 'Identifier':
    case 'IntegerLiteral':
    case 'FloatLiteral':
    case 'StringLiteral':
      return [];
    default:
      return unreachable(n);
  }
}

function unreachable(n: never): never {
  throw new Error(`unknown syntax node ${(n as { type: string }).type}`);
}

/** The name in an Identifier node, or undefined for any other node. */
export function nameOf(n: Node | null | undefined): string | undefined {
  return n?.type === 'Identifier' ? n.value : undefined;
}

/** The name of the filter in `x | name` or `x | name(args)`. */
export function filterName(f: IdentifierNode | CallExpressionNode): string {
  return nameOf(f.type === 'CallExpression' ? f.callee : f) ?? '';
}

// ---- the compile-time check against the library ----------------------------

/** Marks "a syntax-tree node" when comparing shapes (the library's nodes are all `type: string`). */
interface NodeMark {
  readonly syntaxNode: true;
}

/** A library field's shape: tokens kept, nodes marked, lists and maps looked into. */
type LibShape<T> = T extends Token
  ? T
  : T extends Lib.Statement
    ? NodeMark
    : T extends readonly (infer U)[]
      ? LibShape<U>[]
      : T extends Map<infer K, infer V>
        ? Map<LibShape<K>, LibShape<V>>
        : T;
/** One of our fields' shape, the same way (nodes first: an Identifier is also token-shaped). */
type OurShape<T> = T extends Node
  ? NodeMark
  : T extends Token
    ? T
    : T extends readonly (infer U)[]
      ? OurShape<U>[]
      : T extends Map<infer K, infer V>
        ? Map<OurShape<K>, OurShape<V>>
        : T;

type Fields<T, Shape extends 'lib' | 'ours'> = {
  [K in Exclude<keyof T, 'type'>]: Shape extends 'lib' ? LibShape<T[K]> : OurShape<T[K]>;
};
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Each library class beside its mirror. */
interface Mirrors {
  Program: [Lib.Program, ProgramNode];
  If: [Lib.If, IfNode];
  For: [Lib.For, ForNode];
  Break: [Lib.Break, BreakNode];
  Continue: [Lib.Continue, ContinueNode];
  Set: [Lib.SetStatement, SetNode];
  Macro: [Lib.Macro, MacroNode];
  Comment: [Lib.Comment, CommentNode];
  FilterStatement: [Lib.FilterStatement, FilterStatementNode];
  CallStatement: [Lib.CallStatement, CallStatementNode];
  MemberExpression: [Lib.MemberExpression, MemberExpressionNode];
  CallExpression: [Lib.CallExpression, CallExpressionNode];
  Identifier: [Lib.Identifier, IdentifierNode];
  IntegerLiteral: [Lib.IntegerLiteral, IntegerLiteralNode];
  FloatLiteral: [Lib.FloatLiteral, FloatLiteralNode];
  StringLiteral: [Lib.StringLiteral, StringLiteralNode];
  ArrayLiteral: [Lib.ArrayLiteral, ArrayLiteralNode];
  TupleLiteral: [Lib.TupleLiteral, TupleLiteralNode];
  ObjectLiteral: [Lib.ObjectLiteral, ObjectLiteralNode];
  BinaryExpression: [Lib.BinaryExpression, BinaryExpressionNode];
  FilterExpression: [Lib.FilterExpression, FilterExpressionNode];
  SelectExpression: [Lib.SelectExpression, SelectExpressionNode];
  TestExpression: [Lib.TestExpression, TestExpressionNode];
  UnaryExpression: [Lib.UnaryExpression, UnaryExpressionNode];
  SliceExpression: [Lib.SliceExpression, SliceExpressionNode];
  KeywordArgumentExpression: [Lib.KeywordArgumentExpression, KeywordArgumentNode];
  SpreadExpression: [Lib.SpreadExpression, SpreadExpressionNode];
  KeywordSpreadExpression: [Lib.KeywordSpreadExpression, KeywordSpreadExpressionNode];
  Ternary: [Lib.Ternary, TernaryNode];
}

/** The names of the nodes whose mirror no longer matches the library. */
type Mismatched = {
  [K in keyof Mirrors]: Same<
    Fields<Mirrors[K][0], 'lib'>,
    Fields<Mirrors[K][1], 'ours'>
  > extends true
    ? never
    : K;
}[keyof Mirrors];
/** Every kind of our union has a mirror entry, and every mirror entry is a kind of our union. */
type Unmirrored = Exclude<Node['type'], keyof Mirrors> | Exclude<keyof Mirrors, Node['type']>;

type MustBeNever<T extends never> = T;
/** Fails to type-check, naming the node, when @huggingface/jinja's tree changes shape. */
export type _AstMatchesLibrary = MustBeNever<Mismatched | Unmirrored>;
