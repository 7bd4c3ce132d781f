// The one Tree-sitter C parser of the project: the CLI, the language server, the benchmarks and
// the tests all parse through here, with the grammar build that `npm run build` copies into
// grammars/ (see grammars/SOURCE.json for its version).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree as SyntaxTree } from 'web-tree-sitter';

let ready: Promise<Language> | undefined;
let language: Language | undefined;
let parser: Parser | undefined;

/** Where the grammar lives: `grammars/` at the package root, found from this file upwards. */
export function defaultGrammarPath(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'grammars', 'tree-sitter-c.wasm');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error('grammars/tree-sitter-c.wasm not found: run `npm run build` first');
    }
  }
}

/** Loads the runtime and the grammar once; every later call returns the same promise. */
export function initParser(grammarPath: string = defaultGrammarPath()): Promise<Language> {
  ready ??= (async () => {
    await Parser.init();
    language = await Language.load(grammarPath);
    parser = new Parser();
    parser.setLanguage(language);
    return language;
  })();
  return ready;
}

/** Parses C text. `initParser()` must have completed. The caller deletes the tree when done. */
export function parseC(text: string): Tree {
  if (!parser) throw new Error('parseC() called before initParser() completed');
  const tree = parser.parse(text);
  if (!tree) throw new Error('Tree-sitter returned no tree');
  return tree;
}
