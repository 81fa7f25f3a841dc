/**
 * What a validation column writes for each row (SPEC 1, `validation`), and the
 * host services its validators need. Field names follow Data Designer's
 * ValidationOutput (`is_valid`, plus metadata); `errors` is tabsynth's own list of
 * located problems.
 */

/** One problem found in a value. */
export interface ValidationIssue {
  /** 1-based line of the problem in the value's text; null when it has no place (regex, schema). */
  line: number | null;
  /** 1-based column (in code points) on that line; null with `line`. */
  column: number | null;
  /** What was wrong: what was expected and what was found. */
  message: string;
}

/** The value a validator gives one target value (or, for `remote`, one row). */
export interface ValidationOutput {
  /** True when valid; null when it could not be validated (a remote batch that failed). */
  is_valid: boolean | null;
  /** The problems found, in text order; empty when valid. At most MAX_ISSUES. */
  errors: ValidationIssue[];
  /** Extra fields a remote endpoint returned for the row are kept as they came. */
  [extra: string]: unknown;
}

/** Most problems kept for one value: a badly broken file would otherwise list hundreds. */
export const MAX_ISSUES = 20;

/** Grammars of tree-sitter-wasms that the code validator uses (file `tree-sitter-<name>.wasm`). */
export const TREE_SITTER_GRAMMARS = [
  'python',
  'javascript',
  'typescript',
  'cpp',
  'c_sharp',
  'go',
  'java',
  'kotlin',
  'ruby',
  'rust',
  'scala',
  'swift',
] as const;
export type TreeSitterGrammar = (typeof TREE_SITTER_GRAMMARS)[number];

/**
 * sqlparser-rs' wasm exports, initialised (the `@guanmingchiu/sqlparser-ts` package's
 * `wasm/sqlparser_rs_wasm.js` after its default export ran). Only what core calls.
 */
export interface SqlParserModule {
  /** Throws (a string, or an object with `message` and maybe `line`/`column`) when `sql` does not parse. */
  validate_sql(dialect: string, sql: string): unknown;
}

/**
 * The files core cannot read itself. Node resolves them from node_modules
 * (src/node/grammars.ts); a page or worker fetches the URLs Vite gives them
 * (src/browser/grammars.ts). Core calls each at most once per loader and language.
 */
export interface GrammarLoader {
  /** web-tree-sitter's runtime wasm (`web-tree-sitter/tree-sitter.wasm`). */
  runtime(): Promise<Uint8Array>;
  /** A tree-sitter-wasms grammar (`tree-sitter-wasms/out/tree-sitter-<grammar>.wasm`). */
  grammar(grammar: TreeSitterGrammar): Promise<Uint8Array>;
  /** sqlparser-rs, loaded and initialised. */
  sql(): Promise<SqlParserModule>;
}
