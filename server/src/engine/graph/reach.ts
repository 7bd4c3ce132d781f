// What each function may acquire, itself or through anything it calls, propagated bottom-up over
// the call graph's components (mutual recursion runs to a fixpoint). Each reached lock keeps one
// shortest witness chain, the instance as the function names it, and the caller locks the path
// lets go of first (pciehp's `up_read(&ctrl->reset_lock)` around device removal).

import { CONTROLLER_REGISTRATIONS, DRIVER_STRUCTS, NOT_CONTROLLERS, UNBOUND_DURING } from '../locks/catalog';
import { fromParameter } from '../locks/effects';
import type { Call, FunctionSummary, Held, Lock, Site } from '../locks/summary';
import { componentsBottomUp, instanceInCaller, withinInCaller } from './callGraph';
import { needsAtCall, needsKey, ownNeeds, type NeedContext, type Needs } from './needs';

export interface Step {
  readonly file: string;
  readonly at: Site;
  readonly function: string;
  readonly message: string;
  /** A call through a driver's callback (catalog DRIVER_STRUCTS). */
  readonly driver?: true;
  /** A call through a function pointer (an ops field, a callback). */
  readonly pointer?: true;
  /**
   * What the step is: a lock taken (`acquire`), held from the caller (`entry`), a call, or a
   * `synchronize_srcu()` (`sync`). Repairs (fixes/) are made at such steps.
   */
  readonly kind?: 'acquire' | 'entry' | 'call' | 'sync';
}

/** A chain as a shared linked list: callers extend their callees' chains without copying them. */
export interface Chain {
  readonly step: Step;
  readonly next?: Chain;
  readonly length: number;
}

export interface Reached {
  /** The lock as acquired (its `instance` as the acquiring function wrote it). */
  readonly lock: Lock;
  /** The instance as this function names it; undefined when it cannot. */
  readonly instance?: string;
  /** The struct the lock's owner is embedded in, as this function knows it. */
  readonly within?: string;
  /** From this function's entry to the acquisition. */
  readonly chain: Chain;
  /** Classes of locks held by a caller that the path releases before the acquisition. */
  readonly dropped: ReadonlySet<string>;
  /** What the path needs of this function's parameters (needs.ts). */
  readonly needs: Needs;
  /** The function whose acquisition it is (a summary key). */
  readonly by: string;
  /**
   * The path runs callbacks of controller drivers below this function: the registrations those
   * drivers make, sorted and joined (NOT_CONTROLLERS rules such paths out below a device that
   * cannot be, or be above, such a controller).
   */
  readonly controls?: string;
}

export const steps = (c: Chain | undefined): Step[] => {
  const out: Step[] = [];
  for (let x = c; x; x = x.next) out.push(x.step);
  return out;
};

export const link = (step: Step, next?: Chain): Chain => ({ step, next, length: 1 + (next?.length ?? 0) });

/**
 * What takes part in lock order: every lock but RCU's one global read side. An SRCU read side
 * is a recursive read of its srcu_struct and `synchronize_srcu()` a write of it (lockdep's model
 * since 2023): a cycle through one is an srcu-deadlock.
 */
export const inGraph = (l: { primitive: string }): boolean => !SECTIONS.has(l.primitive);
/** CPU-wide sections, not locks: RCU's read side, interrupts, bottom halves or preemption off. */
export const SECTIONS: ReadonlySet<string> = new Set(['rcu', 'irq', 'bh', 'preempt']);

/**
 * "May sleep" travels up the call graph like a lock: a pseudo-lock of this class is "taken" where
 * a function may sleep (a sleeping call, a wait, a sleeping lock), so what reach.ts knows of
 * paths — their needs, the caller locks they drop first — holds for sleeping too
 * (sleep-in-atomic). It forms no dependency.
 */
export const SLEEP_CLASS = '(may sleep)';
const SLEEP_LOCK: Lock = { class: SLEEP_CLASS, instance: SLEEP_CLASS, primitive: 'mutex', mode: 'exclusive' };
/** Locks whose taking may sleep (a trylock never does). */
const SLEEPING_PRIMITIVES = new Set(['mutex', 'rwsem', 'device', 'semaphore']);
/** What makes a context atomic: a spinning lock held, an RCU reader, interrupts, BHs or preemption off. */
export const ATOMIC: ReadonlySet<string> = new Set(['spinlock', 'raw-spinlock', 'rwlock', 'rcu', 'irq', 'bh', 'preempt']);

const spins = (primitive: string) => ATOMIC.has(primitive) && !SECTIONS.has(primitive);
/** A lock callback: returns with a spinning lock held (regmap's `regmap_lock_spinlock()`). */
const locksAtomically = (f: FunctionSummary | undefined): boolean =>
  f !== undefined && f.exits.length > 0 && f.exits.every((e) => e.held.some((h) => spins(h.primitive)));
/** An unlock callback: releases a spinning lock it was called with (`regmap_unlock_spinlock()`). */
const unlocksAtomically = (f: FunctionSummary | undefined): boolean =>
  f !== undefined && f.releases.some((r) => spins(r.lock.primitive) && r.unheldOnSomePath);

/**
 * A call through a lock callback that the object's configuration chooses — regmap's
 * `map->lock()` is `regmap_lock_spinlock()` for fast_io maps and `regmap_lock_mutex()` for the
 * rest: one of its targets spins.
 */
const configured = (c: Call, byKey: ReadonlyMap<string, FunctionSummary>, test: (f: FunctionSummary | undefined) => boolean) =>
  c.targets.length > 1 && c.targets.some((t) => test(byKey.get(t)));
const configuredLock = (c: Call, byKey: ReadonlyMap<string, FunctionSummary>): boolean => configured(c, byKey, locksAtomically);

/**
 * Where a function's sleeping does not count: at a configured lock callback, and on paths through
 * a function pointer from a call between it and its last unlock callback before the next lock. A
 * caller in atomic context must be using the spinning configuration (only it may be used there),
 * and the pointers chosen with it (regmap's `map->bus->reg_read()`: MMIO for a fast_io map, not a
 * w1 bus's mutex) are that configuration's too. A path of direct calls down to a sleep (a
 * `GFP_KERNEL` allocation) sleeps in every configuration and still counts.
 */
export function configuredSections(s: FunctionSummary, byKey: ReadonlyMap<string, FunctionSummary>): (c: Call, path: Chain) => boolean {
  const pointers = s.calls.filter((x) => x.targets.length > 1).sort((a, b) => a.at.offset - b.at.offset);
  const locks = pointers.filter((c) => configuredLock(c, byKey)).map((c) => c.at.offset);
  if (locks.length === 0) return () => false;
  const unlocks = pointers.filter((c) => configured(c, byKey, unlocksAtomically)).map((c) => c.at.offset);
  // Each section runs to the last unlock before the next lock: an early unlock on an error path
  // does not end the one the main path keeps.
  const sections = locks.map((start, i): [number, number] => {
    const next = locks[i + 1] ?? Infinity;
    const ends = unlocks.filter((u) => u > start && u < next);
    return [start, ends.length > 0 ? ends.at(-1)! : Infinity];
  });
  return (c, path) =>
    locks.includes(c.at.offset) ||
    (sections.some(([a, b]) => c.at.offset > a && c.at.offset <= b) && (throughPointer(c) || viaPointer(path)));
}

/** Where a function may sleep, itself: what, where, with what held, on which paths. */
export interface Sleep {
  readonly at: Site;
  readonly what: string;
  readonly held: readonly Held[];
  readonly when?: Readonly<Record<string, boolean>>;
  /** With GFP flags the caller chooses. */
  readonly callerFlags?: true;
}

export function sleepsOf(s: FunctionSummary): Sleep[] {
  const out: Sleep[] = [];
  for (const o of s.others) {
    // del_timer_sync() spins until the timer's function is done: it does not sleep.
    if (o.kind === 'sleep' || (o.kind === 'wait' && o.on !== 'timer') || o.kind === 'synchronize') {
      out.push({ at: o.at, what: `${o.callee}()`, held: o.held, ...(o.when && { when: o.when }), ...(o.callerFlags && { callerFlags: o.callerFlags }) });
    }
  }
  for (const a of s.acquisitions) {
    if (!a.try && !a.sync && !a.helper && SLEEPING_PRIMITIVES.has(a.lock.primitive)) out.push({ at: a.at, what: a.call.slice(0, Math.max(0, a.call.indexOf('('))) + '()', held: a.held, ...(a.when && { when: a.when }) });
  }
  return out;
}

/** Rounds a component of mutually recursive functions may take to settle. */
const MAX_ROUNDS = 8;

// A shorter path that lets go of a caller's lock must not hide a longer one that keeps it held,
// nor one taken in a single thread (threads.ts) another taken anywhere.
const NONE_DROPPED: ReadonlySet<string> = new Set();
const setOf = (xs: readonly string[]): ReadonlySet<string> => (xs.length === 0 ? NONE_DROPPED : new Set(xs));
const droppedKeys = new WeakMap<ReadonlySet<string>, string>();
const droppedKey = (d: ReadonlySet<string>) => {
  if (d.size === 0) return '';
  let k = droppedKeys.get(d);
  if (k === undefined) droppedKeys.set(d, (k = [...d].sort().join(',')));
  return k;
};
const baseKey = (r: Reached, threads: ReadonlyMap<string, string>) =>
  `${threads.get(r.by) ?? ''}|${r.controls ?? ''}|${r.lock.class}|${r.lock.driver ?? ''}|${r.lock.mode}|${r.lock.subclass ?? 0}|${r.instance ?? ''}|${r.within ?? ''}|${droppedKey(r.dropped)}`;

/** `a` asks no more of the parameters than `b`: every caller meeting `b` meets `a`. */
function covers(a: Needs, b: Needs): boolean {
  if (a.size > b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** The locks of a caller this function lets go of before `at`: released where it never took them. */
function droppedBefore(s: FunctionSummary, at: Site, held: readonly Held[]): string[] {
  const classes = [
    ...s.requires.map((r) => r.lock.class),
    ...s.releases.filter((r) => r.unheldOnSomePath && !r.releasedTwice && r.at.offset < at.offset).map((r) => r.lock.class),
  ];
  return classes.filter((c) => !held.some((h) => h.class === c));
}

const joinControls = (a: string | undefined, more: ReadonlySet<string>) => [...new Set([...(a ? a.split(',') : []), ...more])].sort().join(',');

/** Files of controller drivers, with the registrations each makes (CONTROLLER_REGISTRATIONS). */
function controllerDrivers(byKey: ReadonlyMap<string, FunctionSummary>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of byKey.values()) {
    for (const c of s.calls) {
      if (!CONTROLLER_REGISTRATIONS.has(c.callee)) continue;
      const set = out.get(s.file) ?? new Set<string>();
      set.add(c.callee);
      out.set(s.file, set);
    }
  }
  return out;
}

/**
 * A lock as this function reaches it (`instance` in its terms; `own` for its own acquisitions),
 * with what the catalog knows of its owner's driver here (UNBOUND_DURING).
 */
export function ownLock(s: FunctionSummary, lock: Lock, instance: string | undefined = lock.instance, own = true): Lock {
  const during = UNBOUND_DURING[s.name];
  if (!during || (during.scope === 'own' && !own) || instance === undefined) return lock;
  const p = fromParameter(instance, s.parameters);
  return p?.index === during.param && p.rest === during.lock ? { ...lock, driver: 'unbound' } : lock;
}

const throughPointer = (c: Call) => c.targets.length > 1 || c.callee.includes('->') || c.callee.includes('.');

/** The step of a call, marked when it runs a driver's callback, or any function pointer. */
export function callStep(s: FunctionSummary, c: Call): Step {
  return {
    file: s.file, at: c.at, function: s.name, message: `${s.name}() calls ${c.callee}()`, kind: 'call',
    ...(c.through !== undefined && DRIVER_STRUCTS.has(c.through) && { driver: true as const }),
    ...(throughPointer(c) && { pointer: true as const }),
  };
}

/** The chain goes through a function pointer somewhere on its way down. */
export function viaPointer(c: Chain): boolean {
  for (let x: Chain | undefined = c; x; x = x.next) if (x.step.pointer) return true;
  return false;
}

/**
 * A call through a function pointer to a function of the caller's own file that calls the
 * caller back: an interposer reaching the implementation it replaced (aer_inject's config
 * accessors call the saved `ops->read`), not itself again.
 */
export function wrapsItself(caller: FunctionSummary, callerKey: string, call: Call, callee: FunctionSummary): boolean {
  return call.targets.length > 1 || call.callee.includes('->') || call.callee.includes('.')
    ? callee.file === caller.file && callee.calls.some((c) => c.targets.includes(callerKey))
    : false;
}

/**
 * Everything each function may acquire (blocking), keyed as `summaryKey`; with `only`, for those
 * functions (a set closed under calls) and no others.
 */
export function reachAll(
  byKey: ReadonlyMap<string, FunctionSummary>, threads: ReadonlyMap<string, string> = new Map(), ctx?: NeedContext,
  only?: ReadonlySet<string>,
  /** Propagate "may sleep" too (sleep-in-atomic reads it). */
  sleeping = true,
): Map<string, ReadonlyMap<string, Reached>> {
  const memo = new Map<string, Map<string, Reached>>();
  const controllers = controllerDrivers(byKey);

  const compute = (key: string): Map<string, Reached> => {
    const s = byKey.get(key)!;
    const out = new Map<string, Reached>();
    // Paths to one lock that differ only in what they need of the parameters: one that needs
    // less, with a chain no longer, makes the other say nothing more.
    const siblings = new Map<string, string[]>();
    const keep = (r: Reached) => {
      const base = baseKey(r, threads);
      const k = `${base}#${needsKey(r.needs)}`;
      const old = out.get(k);
      if (old && old.chain.length <= r.chain.length) return;
      const list = siblings.get(base) ?? [];
      for (const sk of list) {
        const e = out.get(sk);
        if (e && sk !== k && covers(e.needs, r.needs) && e.chain.length <= r.chain.length) return;
      }
      const kept = list.filter((sk) => {
        const e = out.get(sk);
        if (!e || sk === k || !covers(r.needs, e.needs) || r.chain.length > e.chain.length) return true;
        out.delete(sk);
        return false;
      });
      if (!kept.includes(k)) kept.push(k);
      siblings.set(base, kept);
      out.set(k, r);
    };
    for (const a of s.acquisitions) {
      if (a.try || !inGraph(a.lock)) continue;
      keep({
        lock: ownLock(s, a.lock), instance: a.lock.instance, within: a.lock.within,
        chain: link({
          file: s.file, at: a.at, function: s.name, kind: a.sync ? 'sync' : 'acquire',
          message: a.sync ? `synchronize_srcu() waits for the readers of ${a.lock.class} here, in ${s.name}()` : `${a.lock.class} acquired here, in ${s.name}()`,
        }),
        dropped: setOf(droppedBefore(s, a.at, a.held)),
        needs: ownNeeds(s, a.when, ctx),
        by: key,
        controls: undefined,
      });
    }
    const atomicWhenConfigured = configuredSections(s, byKey);
    for (const z of sleeping ? sleepsOf(s) : []) {
      keep({
        lock: SLEEP_LOCK, instance: undefined, within: undefined,
        chain: link({ file: s.file, at: z.at, function: s.name, message: `${z.what} may sleep here, in ${s.name}()` }),
        dropped: setOf(droppedBefore(s, z.at, z.held)),
        needs: ownNeeds(s, z.when, ctx),
        by: key,
        controls: undefined,
      });
    }
    const notControllers = NOT_CONTROLLERS[s.name];
    for (const c of s.calls) {
      if (c.unwinding) continue; // undoing its own set-up: the callee's callbacks are not armed
      const here = droppedBefore(s, c.at, c.held);
      const dispatch = c.through !== undefined && DRIVER_STRUCTS.has(c.through);
      // Many of the callees' paths need the same: what this call makes of it, once each.
      const atCall = new Map<Needs, Needs | undefined>();
      const droppedHere = new Map<ReadonlySet<string>, ReadonlySet<string>>();
      const withDropped = (d: ReadonlySet<string>) => {
        let out = droppedHere.get(d);
        if (!out) droppedHere.set(d, (out = new Set([...d, ...here])));
        return out;
      };
      for (const t of c.targets) {
        const callee = byKey.get(t);
        const reached = memo.get(t);
        if (!callee || !reached || wrapsItself(s, key, c, callee)) continue;
        const step = callStep(s, c);
        const registers = dispatch ? controllers.get(callee.file) : undefined;
        // The callee's instances as this function names them: a few, shared by many paths.
        const named = new Map<string, { instance?: string; within?: string }>();
        for (const r of reached.values()) {
          let needs = atCall.get(r.needs);
          if (needs === undefined && !atCall.has(r.needs)) {
            needs = needsAtCall(r.needs, c, s, ctx);
            atCall.set(r.needs, needs);
          }
          if (!needs) continue; // the call cannot take that path (another struct, another flag)
          if (r.lock === SLEEP_LOCK && atomicWhenConfigured(c, r.chain)) continue;
          const controls = registers ? joinControls(r.controls, registers) : r.controls;
          if (controls !== undefined && notControllers && (notControllers === 'any' || notControllers.some((x) => controls.split(',').includes(x)))) continue;
          const nk = `${r.instance ?? ''}|${r.within ?? ''}|${r.lock.class}`;
          let names = named.get(nk);
          if (!names) {
            names = { instance: instanceInCaller(r.instance, r.lock.class, callee, c), within: withinInCaller(r.instance, r.within, callee, c) };
            named.set(nk, names);
          }
          const { instance, within } = names;
          // One shape for every path object (no optional spreads): this loop makes many.
          keep({
            lock: ownLock(s, r.lock, instance, false),
            instance,
            within,
            chain: link(step, r.chain),
            dropped: here.length === 0 ? r.dropped : withDropped(r.dropped),
            needs,
            by: r.by,
            controls,
          });
        }
      }
    }
    return out;
  };

  const settled = (a: ReadonlyMap<string, Reached> | undefined, b: ReadonlyMap<string, Reached>) =>
    a !== undefined && a.size === b.size && [...b].every(([k, r]) => a.get(k)?.chain.length === r.chain.length);

  for (const component of componentsBottomUp(byKey)) {
    if (only && !component.some((k) => only.has(k))) continue; // no one asks what these reach
    if (component.length === 1 && !byKey.get(component[0]!)!.calls.some((c) => c.targets.includes(component[0]!))) {
      memo.set(component[0]!, compute(component[0]!));
      continue;
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let changed = false;
      for (const key of component) {
        const next = compute(key);
        if (!settled(memo.get(key), next)) changed = true;
        memo.set(key, next);
      }
      if (!changed) break;
    }
  }
  return memo;
}
