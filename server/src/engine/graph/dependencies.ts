// The lock-order graph (lockdep's "dependencies"): B depends on A when B is acquired, blocking,
// while A is held — in one function, or in anything it calls. Each dependency keeps one shortest
// witness chain per kind (lockdep-design.rst: how A is held, E/S, and how B is taken, N/R), so
// cycle detection can apply lockdep's rule on read locks. The same pass finds recursion across
// calls: a callee taking the very instance its caller holds (`pci_reset_function(dev)` under
// `device_lock(&dev->dev)`), told apart from another instance of the class by mapping instances
// through the call's arguments.

import { bareLock, type FunctionSummary, type Held, type Lock } from '../locks/summary';
import type { LoadedTree } from '../workspace';
import { driverContext, instanceInCaller, summariesByKey, withinInCaller } from './callGraph';
import { needContext } from './globals';
import { callerMeeting, flagsPending } from './climb';
import { needsAtCall, type Needs } from './needs';
import { threadGroups } from './threads';
import { waitsForRunners, workItems, type DeclaredItem, type WaitForRunner } from './work';
import { ATOMIC, callStep, configuredSections, inGraph, link, ownLock, reachAll, SLEEP_CLASS, steps, wrapsItself, type Chain, type Step } from './reach';

export type { Step } from './reach';

/** How the first lock is held (Exclusive/Shared) and the second taken (Non-recursive/Recursive read). */
export type DependencyKind = 'EN' | 'ER' | 'SN' | 'SR';

export interface Dependency {
  readonly from: Lock;
  readonly to: Lock;
  readonly kind: DependencyKind;
  /** From the acquisition of `from` to that of `to`. */
  readonly chain: readonly Step[];
  /** The thread group (threads.ts) of the function holding `from`, and of the one taking `to`. */
  readonly fromThread?: string;
  readonly toThread?: string;
}

/** A call that may sleep (through calls) made with an atomic lock held, or inside an RCU reader. */
export interface SleepUnderLock {
  readonly held: Held;
  readonly file: string;
  /** From the atomic lock's acquisition, through the call, down to where it may sleep. */
  readonly chain: readonly Step[];
  /** Where it sleeps with the GFP flags the function is given: the caller path passing ones that block. */
  readonly flagsFrom?: readonly Step[];
}

/** A lock instance taken again, through calls, by the path that holds it. */
export interface Recursion {
  readonly held: Held;
  readonly lock: Lock;
  readonly instance: string;
  /** The holding function's file, where it took the lock, then each call down to the retake. */
  readonly file: string;
  readonly chain: readonly Step[];
}

export interface LockGraph {
  /** By `A -> B`: one dependency per kind that occurs. */
  readonly dependencies: ReadonlyMap<string, readonly Dependency[]>;
  readonly recursions: readonly Recursion[];
  readonly sleeps: readonly SleepUnderLock[];
  /** Waits for work items, timers and workqueues whose functions take a lock the waiter holds. */
  readonly workWaits: readonly WaitForRunner[];
}

export const pairKey = (from: string, to: string): string => `${from} -> ${to}`;

const kindOf = (held: Lock, taken: Lock): DependencyKind =>
  `${held.mode === 'exclusive' ? 'E' : 'S'}${taken.mode === 'recursive-read' ? 'R' : 'N'}` as DependencyKind;

const graphs = new WeakMap<LoadedTree, LockGraph>();
/** How far up the callers GFP flags passed down are followed. */
export const MAX_FLAGS_CLIMB = 4;

/** What the graph works out beyond dependencies, for the checks that read it. */
export interface GraphWork {
  /** Where each function may sleep, and the calls that sleep under atomic locks (sleep-in-atomic). */
  readonly sleeps: boolean;
  /** Waits for work items whose function takes a held lock (wait-under-lock). */
  readonly workWaits: boolean;
}
const ALL_WORK: GraphWork = { sleeps: true, workWaits: true };
const work = new WeakMap<LoadedTree, GraphWork>();

/** Limits what the tree's graph will work out, before it is first built (review.ts). */
export function graphWork(tree: LoadedTree, w: GraphWork): void {
  work.set(tree, w);
}

/** The tree's lock graph, computed once and shared by the checks that read it. */
export function lockGraph(tree: LoadedTree): LockGraph {
  let g = graphs.get(tree);
  if (!g) {
    g = build(tree);
    graphs.set(tree, g);
  }
  return g;
}

/** The graph of `tree` if it has been built, without building it. */
export const builtGraph = (tree: LoadedTree): LockGraph | undefined => graphs.get(tree);

function build(tree: LoadedTree): LockGraph {
  const byKey = summariesByKey(tree);
  const threads = threadGroups(byKey);
  const ctx = needContext(tree, byKey);
  const wants = work.get(tree) ?? ALL_WORK;
  const items = workItems(byKey, declaredItems(tree));
  const reach = reachAll(byKey, threads, ctx, calledUnderLocks(byKey, wants.workWaits ? items.waitedFor : new Set()), wants.sleeps);
  const deps = new Map<string, Dependency[]>();
  const recursions = new Map<string, Recursion>();
  const sleeps = new Map<string, SleepUnderLock>();
  const analysed = new Set(tree.files);

  const bound = driverContext(byKey);

  const add = (self: string, held: Held, fromStep: Step, to: Lock, rest: Chain, taker: string) => {
    if (held.class === to.class || !inGraph(held) || !inGraph(to)) return;
    const chain = steps(rest);
    // Held while a driver's callback runs: some device here has a driver.
    const driven = (held.fromCaller && bound.has(self)) || chain.some((x) => x.driver);
    const from = driven ? { ...bareLock(held), driver: 'bound' as const } : bareLock(held);
    const key = pairKey(from.class, to.class);
    const kind = kindOf(from, to);
    const list = deps.get(key) ?? [];
    // One variant per kind, per struct each lock's owner is within, and per what is known of its
    // driver (cycles.ts compares them).
    const fromThread = threads.get(self);
    const toThread = threads.get(taker);
    const old = list.findIndex((d) => d.kind === kind && d.from.within === from.within && d.to.within === to.within &&
      d.from.driver === from.driver && d.to.driver === to.driver && d.fromThread === fromThread && d.toThread === toThread);
    if (old >= 0 && list[old]!.chain.length <= rest.length + 1) return;
    const dep: Dependency = {
      from, to: bareLock(to), kind, chain: [fromStep, ...chain],
      ...(fromThread !== undefined && { fromThread }), ...(toThread !== undefined && { toThread }),
    };
    if (old >= 0) list[old] = dep;
    else list.push(dep);
    deps.set(key, list);
  };

  for (const [self, s] of byKey) {
    if (!analysed.has(s.file)) continue;
    const taken = (h: Held): Step => ({
      file: s.file, at: h.at, function: s.name, kind: h.fromCaller ? 'entry' : 'acquire',
      message: h.fromCaller ? `${h.class} held on entry to ${s.name}() (asserted here)` : `${h.class} acquired here, in ${s.name}()`,
    });
    for (const a of s.acquisitions) {
      if (a.try) continue;
      for (const h of a.held) {
        const what = a.sync ? `synchronize_srcu() waits for the readers of ${a.lock.class} here` : `${a.lock.class} acquired here`;
        add(self, h, taken(h), ownLock(s, a.lock), link({ file: s.file, at: a.at, function: s.name, kind: a.sync ? 'sync' : 'acquire', message: `${what}, in ${s.name}(), with ${h.class} held` }), self);
      }
    }
    const atomicWhenConfigured = configuredSections(s, byKey);
    for (const c of s.calls) {
      if (c.held.length === 0) continue;
      const meets = new Map<Needs, boolean>();
      for (const t of c.targets) {
        const callee = byKey.get(t);
        if (callee && wrapsItself(s, self, c, callee)) continue;
        for (const r of reach.get(t)?.values() ?? []) {
          let ok = meets.get(r.needs);
          if (ok === undefined) meets.set(r.needs, (ok = needsAtCall(r.needs, c, s, ctx) !== undefined));
          if (!ok) continue; // another struct's callback: not reachable from here
          if (r.lock.class === SLEEP_CLASS) {
            if (atomicWhenConfigured(c, r.chain)) continue;
            // Sleeping with an atomic lock held (or in an RCU reader) the path does not let go of first.
            const h = c.held.find((x) => ATOMIC.has(x.primitive) && !r.dropped.has(x.class));
            const key = `${s.file}#${c.at.offset}`;
            if (!h || (sleeps.has(key) && sleeps.get(key)!.chain.length <= r.chain.length + 2)) continue;
            // Allocating with this function's own GFP flags: a caller passing ones that block.
            const needs = needsAtCall(r.needs, c, s, ctx)!;
            const from = flagsPending(needs) ? callerMeeting(byKey, self, needs, undefined, MAX_FLAGS_CLIMB, ctx) : undefined;
            if (flagsPending(needs) && !from) continue;
            sleeps.set(key, {
              held: h, file: s.file,
              chain: [taken(h), ...steps(link({ ...callStep(s, c), message: `${s.name}() calls ${c.callee}() with ${h.class} held` }, r.chain))],
              ...(from && { flagsFrom: steps(from) }),
            });
            continue;
          }
          const instance = callee && instanceInCaller(r.instance, r.lock.class, callee, c);
          for (const h of c.held) {
            if (r.dropped.has(h.class)) continue; // the callee lets go of it first (pciehp)
            const call = (message: string) => link({ ...callStep(s, c), message }, r.chain);
            if (h.class === r.lock.class) {
              if (instance === h.instance && sameSubclass(h, r.lock) && !(h.mode === 'recursive-read' && r.lock.mode === 'recursive-read')) {
                const key = `${s.file}#${c.at.offset}#${h.instance}`;
                const chain = [taken(h), ...steps(call(`${s.name}() calls ${c.callee}() with ${h.instance} held`))];
                const old = recursions.get(key);
                if (!old || old.chain.length > chain.length) recursions.set(key, { held: h, lock: r.lock, instance, file: s.file, chain });
              }
              continue;
            }
            const within = callee && withinInCaller(r.instance, r.within, callee, c);
            add(self, h, taken(h), bareLock({ ...r.lock, within }), call(`${s.name}() calls ${c.callee}() with ${h.class} held`), r.by);
          }
        }
      }
    }
  }
  return { dependencies: deps, recursions: [...recursions.values()], sleeps: [...sleeps.values()], workWaits: wants.workWaits ? waitsForRunners(byKey, analysed, reach) : [] };
}

/** File-scope work items declared with their function (`static DECLARE_WORK(w, fn)`). */
function declaredItems(tree: LoadedTree): DeclaredItem[] {
  const out: DeclaredItem[] = [];
  for (const symbols of tree.symbols.values()) {
    for (const v of symbols.variables) {
      if (!v.boundFunction || !v.macro) continue;
      const { file, start: offset, line, column } = v.location;
      out.push({ name: v.name, fn: v.boundFunction, macro: v.macro, file, at: { offset, line, column } });
    }
  }
  return out;
}

/**
 * The functions called with a lock held (or waited for with one: `also`), and everything they
 * call: only what these reach can become a dependency or a recursion. An entry point called under
 * no lock needs no reach of its own, and such functions sit high in the call graph, where reach is
 * largest.
 */
function calledUnderLocks(byKey: ReadonlyMap<string, FunctionSummary>, also: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  const visit = (t: string) => {
    if (byKey.has(t) && !out.has(t)) {
      out.add(t);
      stack.push(t);
    }
  };
  for (const s of byKey.values()) for (const c of s.calls) if (c.held.length > 0) for (const t of c.targets) visit(t);
  for (const t of also) visit(t);
  while (stack.length > 0) for (const c of byKey.get(stack.pop()!)!.calls) for (const t of c.targets) visit(t);
  return out;
}

const sameSubclass = (a: Lock, b: Lock) => (a.subclass ?? 0) === (b.subclass ?? 0);


