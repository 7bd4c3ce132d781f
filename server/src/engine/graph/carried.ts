// The dependencies of the lock graph carried over edits that only moved positions (moved.ts):
// hover and CodeLens read them after every keystroke, and building the graph again takes a second.
// The checks never read these: they build their own graph, from the summaries.

import { Unmoved, type Moved } from '../moved';
import type { LoadedTree } from '../workspace';
import { builtGraph, lockGraph, type Dependency } from './dependencies';

type Dependencies = ReadonlyMap<string, readonly Dependency[]>;

/** Dependencies of an older tree and the moves since, applied when first asked for. */
interface Carried {
  readonly dependencies: Dependencies;
  /** One per file edited since, in order; consecutive edits of one file composed. */
  readonly moves: readonly Moved[];
}
/** Edits in this many files in turn and the graph is built again rather than carried further. */
const MAX_FILES = 8;
const carried = new WeakMap<LoadedTree, Carried>();
const applied = new WeakMap<LoadedTree, Dependencies>();

/**
 * `to` is `from` after an edit that moved positions only: its dependencies are `from`'s, moved.
 * Nothing is carried when `from` has none yet (no older tree is kept alive for it).
 */
export function carryDependencies(from: LoadedTree, to: LoadedTree, moved: Moved): void {
  const before = carried.get(from);
  if (before) {
    const last = before.moves.at(-1)!;
    const moves = last.file === moved.file ? [...before.moves.slice(0, -1), last.then(moved)] : [...before.moves, moved];
    if (moves.length <= MAX_FILES) carried.set(to, { dependencies: before.dependencies, moves });
    return;
  }
  const dependencies = applied.get(from) ?? builtGraph(from)?.dependencies;
  if (dependencies) carried.set(to, { dependencies, moves: [moved] });
}

/** The lock graph's dependencies: carried over when they can be, else built. */
export function dependenciesOf(tree: LoadedTree): Dependencies {
  const ready = applied.get(tree) ?? builtGraph(tree)?.dependencies;
  if (ready) return ready;
  const c = carried.get(tree);
  if (c) {
    carried.delete(tree);
    try {
      const out = new Map([...c.dependencies].map(([k, list]) => [k, list.map((d) => c.moves.reduce(moveDependency, d))]));
      applied.set(tree, out);
      return out;
    } catch (e) {
      if (!(e instanceof Unmoved)) throw e;
    }
  }
  return lockGraph(tree).dependencies;
}

const moveDependency = (d: Dependency, moved: Moved): Dependency =>
  d.chain.some((s) => s.file === moved.file)
    ? { ...d, chain: d.chain.map((s) => (s.file === moved.file ? { ...s, at: moved.site(s.file, s.at) } : s)) }
    : d;
