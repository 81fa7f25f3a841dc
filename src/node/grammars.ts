/**
 * The GrammarLoader for Node (the CLI, tests): web-tree-sitter's runtime and the
 * tree-sitter-wasms grammars read from node_modules, and sqlparser-rs' wasm-bindgen
 * module imported by file (the package's exports hide it, and its own `init()`
 * cannot be used in a Web Worker, so both hosts initialise the module themselves).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  GrammarLoader,
  SqlParserModule,
  TreeSitterGrammar,
} from '../core/generators/validation/types.ts';

const require = createRequire(import.meta.url);

/** sqlparser-rs' wasm-bindgen module, before and after its default export ran. */
interface SqlGlue extends SqlParserModule {
  default(input: { module_or_path: Uint8Array }): Promise<unknown>;
}

let sql: Promise<SqlParserModule> | undefined;

/** Reads every file at most once per process. */
export const nodeGrammars: GrammarLoader = {
  runtime: () => bytes(require.resolve('web-tree-sitter/tree-sitter.wasm')),
  grammar: (grammar: TreeSitterGrammar) =>
    bytes(require.resolve(`tree-sitter-wasms/out/tree-sitter-${grammar}.wasm`)),
  sql() {
    sql ??= (async () => {
      const dir = join(dirname(require.resolve('@guanmingchiu/sqlparser-ts')), '..', 'wasm');
      const glue = (await import(pathToFileURL(join(dir, 'sqlparser_rs_wasm.js')).href)) as SqlGlue;
      await glue.default({ module_or_path: await bytes(join(dir, 'sqlparser_rs_wasm_bg.wasm')) });
      return glue;
    })().catch((err: unknown) => {
      sql = undefined;
      throw err;
    });
    return sql;
  },
};

async function bytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}
