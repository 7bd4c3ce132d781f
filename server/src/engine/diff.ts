// What a change does to the lock order: the tree before and after, compared as a reviewer asks —
// which dependencies it adds or removes (with their chains), which findings are new and which are
// gone. Dependencies are matched by their classes and kind; findings by identity.ts, never by line.

import type { Finding } from './findings';
import { lockGraph, type Dependency } from './graph/dependencies';
import { identityKey, identityOf, unaccounted } from './identity';
import { reviewTree, type ReviewOptions } from './review';
import type { LoadedTree } from './workspace';

export interface TreeDiff {
  readonly added: readonly Dependency[];
  readonly removed: readonly Dependency[];
  /** Findings of the new tree the old one did not have. */
  readonly newFindings: readonly Finding[];
  /** Findings of the old tree the new one no longer has. */
  readonly goneFindings: readonly Finding[];
}

/** A dependency by its classes and kind: `A -> B EN`. */
export const pairKindKey = (from: string, to: string, kind: string): string => `${from} -> ${to} ${kind}`;
export const dependencyKey = (d: Dependency): string => pairKindKey(d.from.class, d.to.class, d.kind);

/** The tree's dependencies by their key (classes and kind). */
export function dependencies(tree: LoadedTree): Map<string, Dependency> {
  const out = new Map<string, Dependency>();
  for (const list of lockGraph(tree).dependencies.values()) for (const d of list) out.set(dependencyKey(d), d);
  return out;
}

export function diffTrees(before: LoadedTree, after: LoadedTree, options: ReviewOptions = {}): TreeDiff {
  const was = dependencies(before);
  const now = dependencies(after);
  const old = reviewTree(before, options).findings;
  const fresh = reviewTree(after, options).findings;
  const keyIn = (tree: LoadedTree) => (f: Finding) => identityKey(identityOf(tree, f));
  return {
    added: [...now].filter(([k]) => !was.has(k)).map(([, d]) => d),
    removed: [...was].filter(([k]) => !now.has(k)).map(([, d]) => d),
    newFindings: unaccounted(fresh, keyIn(after), old.map(keyIn(before))),
    goneFindings: unaccounted(old, keyIn(before), fresh.map(keyIn(after))),
  };
}
