// The lock-order graph as plain data for display (the CLI's `graph`, the editor's graph view):
// lock classes as nodes, one edge per ordered pair of classes with its shortest witness
// chain, and the cycles the lock-inversion check reports marked on both.

import { cycles } from './cycles';
import { lockGraph, type Dependency } from './dependencies';
import type { Step } from './reach';
import type { LoadedTree } from '../workspace';

export interface GraphNode {
  readonly id: string;
  readonly primitive: string;
  readonly inCycle: boolean;
  /** Files where the graph's chains take this class (a view filters by folder on them). */
  readonly files: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** lockdep's kinds that occur: `EN` (exclusive held, non-recursive taken), `SR`, … */
  readonly kinds: readonly string[];
  /** Where the first lock is taken, each call, where the second is taken (shortest). */
  readonly chain: readonly Step[];
  /** One chain per kind that occurs, shortest first. */
  readonly chains: readonly { readonly kind: string; readonly chain: readonly Step[] }[];
  readonly inCycle: boolean;
}

export interface GraphView {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Each cycle as its classes, in order. */
  readonly cycles: readonly (readonly string[])[];
}

/**
 * The graph of the analysed tree; with `focus`, only what lies within `radius` edges of the
 * classes whose name contains it (a subsystem's graph has hundreds of nodes).
 */
export function graphView(tree: LoadedTree, focus?: string, radius = 1): GraphView {
  const { dependencies } = lockGraph(tree);
  const found = cycles(dependencies);
  const cycleEdges = new Set(found.flatMap((c) => c.map((d) => `${d.from.class} -> ${d.to.class}`)));
  const shortest = (list: readonly Dependency[]) => [...list].sort((a, b) => a.chain.length - b.chain.length)[0]!;
  let edges: GraphEdge[] = [...dependencies].map(([key, list]) => {
    const d = shortest(list);
    const chains = [...list].sort((a, b) => a.chain.length - b.chain.length).map((x) => ({ kind: x.kind, chain: x.chain }));
    return { from: d.from.class, to: d.to.class, kinds: [...new Set(list.map((x) => x.kind))].sort(), chain: d.chain, chains, inCycle: cycleEdges.has(key) };
  });
  const primitives = new Map<string, string>();
  const files = new Map<string, Set<string>>();
  const takenIn = (cls: string, file: string) => {
    const set = files.get(cls);
    if (set) set.add(file);
    else files.set(cls, new Set([file]));
  };
  for (const list of dependencies.values()) for (const d of list) {
    primitives.set(d.from.class, d.from.primitive);
    primitives.set(d.to.class, d.to.primitive);
    takenIn(d.from.class, d.chain[0]!.file);
    takenIn(d.to.class, d.chain.at(-1)!.file);
  }
  let keep: Set<string> | undefined;
  if (focus !== undefined) {
    keep = new Set([...primitives.keys()].filter((c) => c.includes(focus)));
    for (let i = 0; i < radius; i++) {
      const ring = new Set(keep);
      for (const e of edges) if (ring.has(e.from) || ring.has(e.to)) { keep.add(e.from); keep.add(e.to); }
    }
    edges = edges.filter((e) => keep!.has(e.from) && keep!.has(e.to));
  }
  const inCycle = new Set(found.flatMap((c) => c.map((d) => d.from.class)));
  const nodes = [...primitives]
    .filter(([id]) => !keep || keep.has(id))
    .map(([id, primitive]) => ({ id, primitive, inCycle: inCycle.has(id), files: [...files.get(id) ?? []].sort() }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  edges.sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1));
  const cycleList = found.map((c) => c.map((d) => d.from.class)).filter((c) => !keep || c.every((x) => keep!.has(x)));
  return { nodes, edges, cycles: cycleList };
}

/** The classes whose dependencies a function's own code makes: a step of the chain is in it. */
export function locksOfFunction(view: GraphView, file: string, name: string): string[] {
  const out = new Set<string>();
  for (const e of view.edges) {
    if (e.chains.some((c) => c.chain.some((s) => s.file === file && s.function === name))) {
      out.add(e.from);
      out.add(e.to);
    }
  }
  return [...out].sort();
}
