// The one Tree-sitter C parser of the project: the CLI, the language server, the benchmarks and
// the tests all parse through here, with the grammar build that `npm run build` copies into
// grammars/ (see grammars/SOURCE.json for its version).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Edit, type Point, type Tree } from 'web-tree-sitter';
import { LineMap } from './lineMap';

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

/**
 * Parses C text. `initParser()` must have completed. The caller deletes the tree when done.
 * Given the tree of an earlier text, parses again only what the change touched (as editors do):
 * the earlier tree is edited to fit, and is the caller's to delete, no longer usable for its text.
 */
export function parseC(text: string, earlier?: { readonly tree: Tree; readonly text: string }): Tree {
  if (!parser) throw new Error('parseC() called before initParser() completed');
  if (earlier) earlier.tree.edit(changeBetween(earlier.text, text));
  let tree = parser.parse(text, earlier?.tree);
  // Error recovery can read a half-typed statement differently from an old tree than from
  // scratch: a tree with errors is parsed again from scratch, as a fresh load parses it.
  if (earlier && tree?.rootNode.hasError) {
    tree.delete();
    tree = parser.parse(text);
  }
  if (!tree) throw new Error('Tree-sitter returned no tree');
  return tree;
}

/** The one range where two texts differ (their common start and end set apart), as Tree-sitter's edit. */
function changeBetween(before: string, after: string): Edit {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shorter - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const oldEnd = before.length - tail;
  const newEnd = after.length - tail;
  const was = new LineMap(before);
  return {
    startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd,
    startPosition: pointAt(was, start), oldEndPosition: pointAt(was, oldEnd), newEndPosition: pointAt(new LineMap(after), newEnd),
  };
}

/** Tree-sitter's point for an offset: row and column, in UTF-16 units as web-tree-sitter counts them. */
function pointAt(lines: LineMap, offset: number): Point {
  const { line, column } = lines.position(offset);
  return { row: line, column };
}
