// The one entry point the adapters use: review a set of files and return the findings. The CLI
// prints exactly what this returns; the language server publishes exactly the same.

import type { Finding } from './findings';
import { checks } from './checks/registry';
import { defaultCatalog } from './locks/catalog';
import { loadTree, type LoadedTree, type TreeOptions } from './workspace';

export interface Review {
  readonly tree: LoadedTree;
  /** Function definitions in the analysed files (headers excluded). */
  readonly functions: number;
  readonly findings: readonly Finding[];
}

export async function review(files: readonly string[], options: TreeOptions): Promise<Review> {
  return reviewTree(await loadTree(files, { catalog: defaultCatalog, ...options }));
}

/** The findings of a tree already loaded with summaries (by loadTree, or on several cores). */
export function reviewTree(tree: LoadedTree): Review {
  const files = tree.files;
  const analysed = new Set(files);
  let functions = 0;
  for (const [file, symbols] of tree.symbols) {
    if (analysed.has(file)) functions += symbols.functions.filter((f) => f.isDefinition).length;
  }
  const findings = checks.flatMap((c) => c.run(tree));
  return { tree, functions, findings };
}
