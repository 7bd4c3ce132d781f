// Cycles in the lock-order graph: every elementary cycle of up to MAX_CYCLE classes, once each,
// shortest first, kept only when lockdep would call it a deadlock. lockdep-design.rst: a cycle
// is a deadlock when it is "strong" — no lock in it is taken as a recursive reader by one
// dependency (-(xR)->) and held shared by the next (-(Sx)->): readers of an rwlock_t do not
// wait for each other.

import { pairKey, type Dependency } from './dependencies';

const MAX_CYCLE = 3;

/** The dependencies of one cycle, in order: each one's `to` is the next one's `from`. */
export type Cycle = readonly Dependency[];

/** The variant of each dependency that makes the cycle strong, shortest in all; undefined if none. */
function strongest(variants: readonly (readonly Dependency[])[]): Dependency[] | undefined {
  let best: Dependency[] | undefined;
  let bestLength = Infinity;
  const pick = (i: number, chosen: Dependency[], length: number) => {
    if (length >= bestLength) return;
    if (i === variants.length) {
      const first = chosen[0]!;
      const last = chosen[chosen.length - 1]!;
      if (last.kind[1] === 'R' && first.kind[0] === 'S') return;
      best = [...chosen];
      bestLength = length;
      return;
    }
    for (const d of variants[i]!) {
      const prev = chosen[chosen.length - 1];
      if (prev && prev.kind[1] === 'R' && d.kind[0] === 'S') continue;
      pick(i + 1, [...chosen, d], length + d.chain.length);
    }
  };
  pick(0, [], 0);
  return best;
}

export function cycles(deps: ReadonlyMap<string, readonly Dependency[]>): Cycle[] {
  const edges = new Map<string, string[]>();
  for (const list of deps.values()) {
    const d = list[0]!;
    const out = edges.get(d.from.class);
    if (out) out.push(d.to.class);
    else edges.set(d.from.class, [d.to.class]);
  }
  const found = new Map<string, Cycle>();
  const walk = (start: string, path: string[]) => {
    const last = path[path.length - 1]!;
    for (const next of edges.get(last) ?? []) {
      if (next === start) {
        const key = [...path].sort().join(' ');
        if (found.has(key)) continue;
        const variants = path.map((c, i) => deps.get(pairKey(c, path[(i + 1) % path.length]!))!);
        const cycle = strongest(variants);
        if (cycle) found.set(key, cycle);
      } else if (path.length < MAX_CYCLE && !path.includes(next) && next > start) {
        walk(start, [...path, next]);
      }
    }
  };
  for (const c of [...edges.keys()].sort()) walk(c, [c]);
  // A longer cycle through two classes that already form one of their own says nothing new.
  const pairs = new Set([...found.values()].filter((c) => c.length === 2).map((c) => [c[0]!.from.class, c[1]!.from.class].sort().join(' ')));
  const redundant = (cycle: Cycle) =>
    cycle.length > 2 && cycle.some((x) => cycle.some((y) => x !== y && pairs.has([x.from.class, y.from.class].sort().join(' '))));
  return [...found.values()].filter((c) => !redundant(c)).sort((a, b) => a.length - b.length);
}
