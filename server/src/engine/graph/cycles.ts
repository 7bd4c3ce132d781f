// Cycles in the lock-order graph: every elementary cycle of up to MAX_CYCLE classes, once each,
// shortest first, kept only when it can deadlock. lockdep-design.rst: a cycle is a deadlock when
// it is "strong" — no lock in it is taken as a recursive reader by one dependency (-(xR)->) and
// held shared by the next (-(Sx)->): readers of an rwlock_t do not wait for each other. And
// where a lock class meets itself from one dependency to the next, it must be able to be the
// same lock: not within two different structs (a PCI device's lock is not an mdev's), and, for
// a lock of a generic object (the device lock, which lockdep does not validate at all), known to
// be within the same one on both sides. Nor can a device lock taken before any driver could bind
// (`device_add()`'s) be one held while a driver's callback runs, nor an object's lock be held
// and awaited by the one thread that serves the object.

import { GENERIC_OBJECTS } from '../locks/catalog';
import { pairKey, type Dependency } from './dependencies';

const MAX_CYCLE = 3;

/** The dependencies of one cycle, in order: each one's `to` is the next one's `from`. */
export type Cycle = readonly Dependency[];

const genericClass = (cls: string) => cls.includes('.') && GENERIC_OBJECTS.has(`struct ${cls.slice(0, cls.indexOf('.'))}`);

/**
 * Two instances reached the same way from their roots (`ctrl->reset_lock` in both the IRQ thread
 * and the function it calls): the thread's own object's lock, not one reached through another
 * object (`c->peer->lock`).
 */
function sameMember(a: string, b: string): boolean {
  const path = (i: string) => /^[A-Za-z_]\w*((?:->|\.)[\w.>-]+)$/.exec(i)?.[1];
  const p = path(a);
  return p !== undefined && p === path(b) && !p.slice(2).includes('->');
}

/** The lock `a` takes and the lock `b` holds (one class) can be one lock, and the step is strong. */
function joins(a: Dependency, b: Dependency): boolean {
  if (a.kind[1] === 'R' && b.kind[0] === 'S') return false;
  if (a.to.driver !== undefined && b.from.driver !== undefined && a.to.driver !== b.from.driver) return false;
  // A lock of an object taken and held only by one thread group's code: the one thread of that
  // object would be waiting for itself (threads.ts).
  if (a.toThread !== undefined && a.toThread === b.fromThread && sameMember(a.to.instance, b.from.instance)) return false;
  const [x, y] = [a.to.within, b.from.within];
  if (genericClass(b.from.class)) return x !== undefined && x === y;
  return x === undefined || y === undefined || x === y;
}

/** The variant of each dependency that makes the cycle strong, shortest in all; undefined if none. */
function strongest(variants: readonly (readonly Dependency[])[]): Dependency[] | undefined {
  let best: Dependency[] | undefined;
  let bestLength = Infinity;
  const pick = (i: number, chosen: Dependency[], length: number) => {
    if (length >= bestLength) return;
    if (i === variants.length) {
      if (!joins(chosen[chosen.length - 1]!, chosen[0]!)) return;
      best = [...chosen];
      bestLength = length;
      return;
    }
    for (const d of variants[i]!) {
      const prev = chosen[chosen.length - 1];
      if (prev && !joins(prev, d)) continue;
      pick(i + 1, [...chosen, d], length + d.chain.length);
    }
  };
  pick(0, [], 0);
  return best;
}

// Two checks read one graph's cycles (lock-inversion, srcu-deadlock): found once.
const memo = new WeakMap<ReadonlyMap<string, readonly Dependency[]>, Cycle[]>();

export function cycles(deps: ReadonlyMap<string, readonly Dependency[]>): Cycle[] {
  let out = memo.get(deps);
  if (!out) memo.set(deps, (out = findCycles(deps)));
  return out;
}

function findCycles(deps: ReadonlyMap<string, readonly Dependency[]>): Cycle[] {
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
