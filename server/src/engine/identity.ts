// What makes a finding the same finding in another version of the tree: its code, its lock
// classes and the function it is reported in (with the file, relative to the tree's root) — not
// its line, which any edit above it moves. Baselines and diffs (review of a patch) match on it.

import * as path from 'node:path';
import type { Finding } from './findings';
import type { LoadedTree } from './workspace';

export interface FindingIdentity {
  readonly code: string;
  readonly locks: readonly string[];
  /** Relative to the tree's root, with `/`. */
  readonly file: string;
  /** The function the finding is reported in; empty outside any. */
  readonly function: string;
}

export function identityOf(tree: LoadedTree, f: Finding): FindingIdentity {
  // Summaries come in the order of their functions: the last to start at or above the line holds it.
  let fn = '';
  for (const s of tree.summaries.get(f.file) ?? []) if (s.at.line <= f.line) fn = s.name;
  const file = path.relative(tree.root, f.file).split(path.sep).join('/');
  return { code: f.code, locks: [...f.locks].sort(), file, function: fn };
}

export const identityKey = (i: FindingIdentity): string => JSON.stringify([i.code, i.locks, i.file, i.function]);

/**
 * The findings of `findings` that `known` does not account for, as a multiset: two findings of
 * one identity are accounted for only by two in `known`.
 */
export function unaccounted<T>(findings: readonly T[], keyOf: (x: T) => string, known: readonly string[]): T[] {
  const left = new Map<string, number>();
  for (const k of known) left.set(k, (left.get(k) ?? 0) + 1);
  return findings.filter((f) => {
    const k = keyOf(f);
    const n = left.get(k) ?? 0;
    if (n === 0) return true;
    left.set(k, n - 1);
    return false;
  });
}
