// The lock-order graph (lockdep's "dependencies"): B depends on A when B is acquired, blocking,
// while A is held — in one function, or in anything it calls, through ops fields too. Each
// dependency keeps one shortest witness chain: where A was taken, each call on the way, where B
// was taken. Trylocks add no dependency into the lock they try; RCU and SRCU read sides are left
// to the SRCU checks.

import type { FunctionSummary, Lock, Site } from '../locks/summary';
import { summaryKey } from '../locks/targets';
import type { LoadedTree } from '../workspace';

export interface Step {
  readonly file: string;
  readonly at: Site;
  readonly function: string;
  readonly message: string;
}

export interface Dependency {
  readonly from: Lock;
  readonly to: Lock;
  /** From the acquisition of `from` to that of `to`. */
  readonly chain: readonly Step[];
}

interface Reach {
  readonly lock: Lock;
  /** From the function's entry to the acquisition. */
  readonly chain: readonly Step[];
  /** Caller locks (classes) the path drops before it: no dependency from them. */
  readonly dropped: ReadonlySet<string>;
}

const MAX_DEPTH = 12;
const inGraph = (l: Lock) => l.primitive !== 'rcu' && l.primitive !== 'srcu';

export function summariesByKey(tree: LoadedTree): Map<string, FunctionSummary> {
  const out = new Map<string, FunctionSummary>();
  for (const list of tree.summaries.values()) for (const s of list) out.set(summaryKey(s), s);
  return out;
}

/** Every dependency of the analysed functions, one (shortest) chain per pair of classes. */
export function dependencies(tree: LoadedTree): Map<string, Dependency> {
  const byKey = summariesByKey(tree);
  const memo = new Map<string, Map<string, Reach>>();
  const active = new Set<string>();

  // What a function may acquire, and how: its own acquisitions, then its callees'.
  const reach = (key: string, depth: number): Map<string, Reach> => {
    const known = memo.get(key);
    if (known) return known;
    const s = byKey.get(key);
    if (!s || active.has(key) || depth > MAX_DEPTH) return new Map();
    active.add(key);
    const out = new Map<string, Reach>();
    // The caller's locks this function lets go of: asserted held, or released where it never
    // took them (pciehp's up_read(&ctrl->reset_lock) around device removal). After such a
    // release, what it takes no longer depends on them.
    const callers = s.releases.filter((r) => r.unheldOnSomePath && !r.releasedTwice);
    const droppedBefore = (at: Site, held: readonly { class: string }[]) => [
      ...s.requires.map((r) => r.lock.class),
      ...callers.filter((r) => r.at.offset < at.offset).map((r) => r.lock.class),
    ].filter((c) => !held.some((h) => h.class === c));
    const keep = (r: Reach) => {
      const old = out.get(r.lock.class);
      if (!old || old.chain.length > r.chain.length) out.set(r.lock.class, r);
    };
    for (const a of s.acquisitions) {
      if (a.try || !inGraph(a.lock)) continue;
      const dropped = new Set(droppedBefore(a.at, a.held));
      keep({ lock: a.lock, chain: [{ file: s.file, at: a.at, function: s.name, message: `${a.lock.class} acquired here, in ${s.name}()` }], dropped });
    }
    for (const c of s.calls) {
      for (const t of c.targets) {
        for (const r of reach(t, depth + 1).values()) {
          const dropped = new Set([...r.dropped, ...droppedBefore(c.at, c.held)]);
          keep({ lock: r.lock, chain: [{ file: s.file, at: c.at, function: s.name, message: `${s.name}() calls ${c.callee}()` }, ...r.chain], dropped });
        }
      }
    }
    active.delete(key);
    memo.set(key, out);
    return out;
  };

  const deps = new Map<string, Dependency>();
  const add = (from: Lock, fromStep: Step, to: Lock, rest: readonly Step[]) => {
    if (from.class === to.class || !inGraph(from) || !inGraph(to)) return;
    const key = `${from.class} -> ${to.class}`;
    const chain = [fromStep, ...rest];
    const old = deps.get(key);
    if (!old || old.chain.length > chain.length) deps.set(key, { from, to, chain });
  };
  for (const s of byKey.values()) {
    if (!tree.files.includes(s.file)) continue;
    const taken = (h: { class: string; at: Site }): Step => ({ file: s.file, at: h.at, function: s.name, message: `${h.class} acquired here, in ${s.name}()` });
    for (const a of s.acquisitions) {
      if (a.try) continue;
      for (const h of a.held) add(h, taken(h), a.lock, [{ file: s.file, at: a.at, function: s.name, message: `${a.lock.class} acquired here, in ${s.name}(), with ${h.class} held` }]);
    }
    for (const c of s.calls) {
      if (c.held.length === 0) continue;
      for (const t of c.targets) {
        for (const r of reach(t, 1).values()) {
          for (const h of c.held) {
            if (r.dropped.has(h.class)) continue; // the callee lets go of it first (pciehp)
            add(h, taken(h), r.lock, [{ file: s.file, at: c.at, function: s.name, message: `${s.name}() calls ${c.callee}() with ${h.class} held` }, ...r.chain]);
          }
        }
      }
    }
  }
  return deps;
}
