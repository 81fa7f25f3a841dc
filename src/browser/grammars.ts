/**
 * The GrammarLoader for a page or Web Worker built by Vite: each wasm file is an
 * asset whose URL Vite gives (`?url`), fetched on first use. sqlparser-rs'
 * wasm-bindgen module is imported by path because its package's exports hide it,
 * and the package's own `init()` mistakes a Web Worker for Node.
 *
 * Tested so far only by type checking; the Node loader (src/node/grammars.ts) is
 * what the unit tests run.
 */
import cSharp from 'tree-sitter-wasms/out/tree-sitter-c_sharp.wasm?url';
import cpp from 'tree-sitter-wasms/out/tree-sitter-cpp.wasm?url';
import go from 'tree-sitter-wasms/out/tree-sitter-go.wasm?url';
import java from 'tree-sitter-wasms/out/tree-sitter-java.wasm?url';
import javascript from 'tree-sitter-wasms/out/tree-sitter-javascript.wasm?url';
import kotlin from 'tree-sitter-wasms/out/tree-sitter-kotlin.wasm?url';
import python from 'tree-sitter-wasms/out/tree-sitter-python.wasm?url';
import ruby from 'tree-sitter-wasms/out/tree-sitter-ruby.wasm?url';
import rust from 'tree-sitter-wasms/out/tree-sitter-rust.wasm?url';
import scala from 'tree-sitter-wasms/out/tree-sitter-scala.wasm?url';
import swift from 'tree-sitter-wasms/out/tree-sitter-swift.wasm?url';
import typescript from 'tree-sitter-wasms/out/tree-sitter-typescript.wasm?url';
import runtimeUrl from 'web-tree-sitter/tree-sitter.wasm?url';
import type {
  GrammarLoader,
  SqlParserModule,
  TreeSitterGrammar,
} from '../core/generators/validation/types.ts';

const GRAMMAR_URLS: Record<TreeSitterGrammar, string> = {
  python,
  javascript,
  typescript,
  cpp,
  c_sharp: cSharp,
  go,
  java,
  kotlin,
  ruby,
  rust,
  scala,
  swift,
};

let sql: Promise<SqlParserModule> | undefined;

export const browserGrammars: GrammarLoader = {
  runtime: () => bytes(runtimeUrl),
  grammar: (grammar) => bytes(GRAMMAR_URLS[grammar]),
  sql() {
    sql ??= (async () => {
      const glue =
        await import('../../node_modules/@guanmingchiu/sqlparser-ts/wasm/sqlparser_rs_wasm.js');
      // The module finds its wasm itself: `new URL('sqlparser_rs_wasm_bg.wasm', import.meta.url)`, an asset to Vite.
      await glue.default();
      return glue;
    })().catch((err: unknown) => {
      sql = undefined;
      throw err;
    });
    return sql;
  },
};

async function bytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url}: expected 200, got ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
