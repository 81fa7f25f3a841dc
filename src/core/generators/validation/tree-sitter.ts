/**
 * Syntax checks through tree-sitter (web-tree-sitter 0.25 and the ABI-14 grammars
 * of tree-sitter-wasms; web-tree-sitter 0.26+ refuses those grammars). The runtime
 * is initialised once per realm and each grammar loaded once per GrammarLoader, on
 * first use; the module itself is imported only then, so a config without code
 * validation never loads it.
 */
import type * as WebTreeSitterModule from 'web-tree-sitter';
import type { Node, Parser } from 'web-tree-sitter';
import { excerpt, positionAt } from './position.ts';
import {
  MAX_ISSUES,
  type GrammarLoader,
  type TreeSitterGrammar,
  type ValidationIssue,
} from './types.ts';

type WebTreeSitter = typeof WebTreeSitterModule;

let runtime: Promise<WebTreeSitter> | undefined;
const parsers = new WeakMap<GrammarLoader, Map<TreeSitterGrammar, Promise<Parser>>>();

/** web-tree-sitter, initialised with the loader's runtime wasm (once per realm). */
function loadRuntime(loader: GrammarLoader): Promise<WebTreeSitter> {
  runtime ??= (async () => {
    const ts = await import('web-tree-sitter');
    await ts.Parser.init({ wasmBinary: await loader.runtime() });
    return ts;
  })().catch((err: unknown) => {
    runtime = undefined; // let a later call try again
    throw err;
  });
  return runtime;
}

/** A parser for `grammar`, created on first use and kept for the loader's lifetime. */
export function parserFor(loader: GrammarLoader, grammar: TreeSitterGrammar): Promise<Parser> {
  let byGrammar = parsers.get(loader);
  if (!byGrammar) parsers.set(loader, (byGrammar = new Map()));
  let parser = byGrammar.get(grammar);
  if (!parser) {
    const made = (async () => {
      const ts = await loadRuntime(loader);
      const language = await ts.Language.load(await loader.grammar(grammar));
      const p = new ts.Parser();
      p.setLanguage(language);
      return p;
    })();
    made.catch(() => byGrammar.delete(grammar));
    byGrammar.set(grammar, (parser = made));
  }
  return parser;
}

/**
 * The syntax errors tree-sitter finds in `text`: each ERROR node (text it could
 * not fit, reported at its start and not looked into further) and each MISSING
 * node (a token it had to assume), in text order, at most MAX_ISSUES.
 */
export function treeSitterIssues(parser: Parser, text: string): ValidationIssue[] {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const issues: ValidationIssue[] = [];
    const visit = (node: Node): void => {
      if (issues.length >= MAX_ISSUES) return;
      if (node.isMissing) {
        issues.push(
          issueAt(text, node.startIndex, `syntax error: missing ${JSON.stringify(node.type)}`),
        );
        return;
      }
      if (node.isError) {
        const what = node.text.trim() === '' ? 'here' : `in ${excerpt(node.text.trim())}`;
        issues.push(issueAt(text, node.startIndex, `syntax error: cannot parse the code ${what}`));
        return;
      }
      if (!node.hasError) return;
      for (const child of node.children) if (child) visit(child);
    };
    visit(tree.rootNode);
    return issues;
  } finally {
    tree.delete();
  }
}

/** web-tree-sitter counts indices in UTF-16 units, as JavaScript strings do. */
function issueAt(text: string, index: number, message: string): ValidationIssue {
  return { ...positionAt(text, index), message };
}
