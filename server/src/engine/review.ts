// The one entry point the adapters use: review a set of files and return the findings. The CLI
// prints exactly what this returns; the language server publishes exactly the same.

import type { Finding, FindingCode } from './findings';
import { checks } from './checks/registry';
import { graphWork } from './graph/dependencies';
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

export interface ReviewOptions {
  /** Run only these checks (default: all). The lock graph then works out only what they read. */
  readonly checks?: ReadonlySet<FindingCode>;
  /** Leave in the findings an ignore comment silences, for the caller to filter (`unsuppressed`). */
  readonly unfiltered?: boolean;
}

/** The findings of a tree already loaded with summaries (by loadTree, or on several cores). */
export function reviewTree(tree: LoadedTree, options: ReviewOptions = {}): Review {
  const files = tree.files;
  const analysed = new Set(files);
  let functions = 0;
  for (const [file, symbols] of tree.symbols) {
    if (analysed.has(file)) functions += symbols.functions.filter((f) => f.isDefinition).length;
  }
  const chosen = options.checks ? checks.filter((c) => options.checks!.has(c.code)) : checks;
  if (options.checks) {
    graphWork(tree, { sleeps: options.checks.has('sleep-in-atomic'), workWaits: options.checks.has('wait-under-lock') });
  }
  const all = chosen.flatMap((c) => c.run(tree));
  const findings = options.unfiltered ? all : unsuppressed(tree, all);
  return { tree, functions, findings };
}

/** Findings a `lockreview: ignore` comment on their line does not silence. */
export function unsuppressed(tree: LoadedTree, findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => {
    const marks = tree.symbols.get(f.file)?.suppressions;
    return !marks?.some((m) => m.line === f.line && (m.codes.includes(f.code) || m.codes.includes('all')));
  });
}
