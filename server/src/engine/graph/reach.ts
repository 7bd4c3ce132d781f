// What each function may acquire, itself or through anything it calls, propagated bottom-up over
// the call graph's components (mutual recursion runs to a fixpoint). Each reached lock keeps one
// shortest witness chain, the instance as the function names it, and the caller locks the path
// lets go of first (pciehp's `up_read(&ctrl->reset_lock)` around device removal).

import type { Call, FunctionSummary, Held, Lock, Site } from '../locks/summary';
import { FLAG_CONSTANTS, UNKNOWN_KIND } from '../locks/catalog';
import { componentsBottomUp, instanceInCaller, withinInCaller } from './callGraph';

export interface Step {
  readonly file: string;
  readonly at: Site;
  readonly function: string;
  readonly message: string;
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
  /**
   * What the path needs of this function's parameters, by index: to be embedded in a struct
   * (`xenbus_dev_remove()` downcasts its device to a `struct xenbus_device`, so
   * `device_add(&pdev->dev)` of a PCI device cannot reach it), or a flag to test true or false
   * (`if (!locked) down_read(&pci_bus_sem)` is not taken by a caller passing `true`).
   */
  readonly needs: Needs;
}

/** `struct x` (embedded in), or `true`/`false` (the flag's truth). */
export type Need = string;
/**
 * By parameter: `3` for its kind (the struct it is embedded in), `3?` for its truth — a pointer
 * tested non-null may still need a kind.
 */
export type Needs = ReadonlyMap<string, Need>;

const NO_NEEDS: Needs = new Map();
const paramOf = (key: string) => Number.parseInt(key, 10);
const keyOf = (param: number, need: Need) => (isFlag(need) ? `${param}?` : `${param}`);
const isFlag = (n: Need) => n === 'true' || n === 'false';

/** Adds the caller's own needs: its downcasts, and the flags the call (or acquisition) is made under. */
function withOwn(out: Map<string, Need>, s: FunctionSummary, when: Readonly<Record<string, boolean>> | undefined): boolean {
  const own: [number, Need][] = [
    ...(s.downcasts ?? []).map((d): [number, Need] => [d.param, d.container]),
    ...Object.entries(when ?? {}).map(([name, v]): [number, Need] => [s.parameters.indexOf(name), String(v)]),
  ];
  for (const [i, need] of own) {
    if (i < 0) continue;
    const key = keyOf(i, need);
    const known = out.get(key);
    if (known !== undefined && known !== need) return false;
    out.set(key, need);
  }
  return true;
}

/** The needs of one of the function's own acquisitions. */
export function ownNeeds(s: FunctionSummary, when: Readonly<Record<string, boolean>> | undefined): Needs {
  if (!s.downcasts && !when) return NO_NEEDS;
  const out = new Map<string, Need>();
  return withOwn(out, s, when) ? out : NO_NEEDS;
}

/**
 * The needs of a callee's path at `call`, as the caller's; undefined when the call cannot take
 * that path. An argument embedded in the struct the callee needs satisfies it, one embedded in
 * another rules the path out; a constant satisfies a flag or rules the path out; a parameter
 * passed on hands the need to the caller. A generic object of unknown kind (a `struct device`
 * the caller found: `link->consumer`, or one a library function hands its callback) is not
 * followed into a callback that needs a kind — the driver core would reach every bus's
 * callbacks otherwise; anything else tells nothing. The caller's own needs then apply.
 */
export function needsAtCall(needs: Needs, call: Call, caller: FunctionSummary): Needs | undefined {
  if (needs.size === 0 && !caller.downcasts && !call.when) return needs;
  const out = new Map<string, Need>();
  for (const [key, need] of needs) {
    const i = paramOf(key);
    const arg = call.args?.[i];
    const param = arg !== undefined ? caller.parameters.indexOf(arg) : -1;
    if (param >= 0) {
      out.set(keyOf(param, need), need);
      continue;
    }
    if (isFlag(need)) {
      const constant = arg !== undefined ? FLAG_CONSTANTS[arg] : undefined;
      if (constant !== undefined && String(constant) !== need) return undefined;
      continue;
    }
    const embedded = call.embedded?.[i];
    if (embedded && embedded !== UNKNOWN_KIND && embedded !== need) return undefined;
    if (embedded === UNKNOWN_KIND || !call.args) return undefined;
  }
  if (!withOwn(out, caller, call.when)) return undefined;
  return out.size === 0 ? NO_NEEDS : out;
}

export const steps = (c: Chain | undefined): Step[] => {
  const out: Step[] = [];
  for (let x = c; x; x = x.next) out.push(x.step);
  return out;
};

export const link = (step: Step, next?: Chain): Chain => ({ step, ...(next && { next }), length: 1 + (next?.length ?? 0) });

/** RCU and SRCU read sides are the SRCU checks' business (issue 5), not lock order. */
export const inGraph = (l: Lock): boolean => l.primitive !== 'rcu' && l.primitive !== 'srcu';

/** Rounds a component of mutually recursive functions may take to settle. */
const MAX_ROUNDS = 8;

const needsKey = (n: Needs) => [...n].map(([i, c]) => `${i}:${c}`).sort().join(',');
const reachKey = (r: Reached) => `${r.lock.class}|${r.lock.mode}|${r.lock.subclass ?? 0}|${r.instance ?? ''}|${r.within ?? ''}|${needsKey(r.needs)}`;

/** The locks of a caller this function lets go of before `at`: released where it never took them. */
function droppedBefore(s: FunctionSummary, at: Site, held: readonly Held[]): string[] {
  const classes = [
    ...s.requires.map((r) => r.lock.class),
    ...s.releases.filter((r) => r.unheldOnSomePath && !r.releasedTwice && r.at.offset < at.offset).map((r) => r.lock.class),
  ];
  return classes.filter((c) => !held.some((h) => h.class === c));
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

/** Everything each function may acquire (blocking), keyed as `summaryKey`. */
export function reachAll(byKey: ReadonlyMap<string, FunctionSummary>): Map<string, ReadonlyMap<string, Reached>> {
  const memo = new Map<string, Map<string, Reached>>();

  const compute = (key: string): Map<string, Reached> => {
    const s = byKey.get(key)!;
    const out = new Map<string, Reached>();
    const keep = (r: Reached) => {
      const k = reachKey(r);
      const old = out.get(k);
      if (!old || old.chain.length > r.chain.length) out.set(k, r);
    };
    for (const a of s.acquisitions) {
      if (a.try || !inGraph(a.lock)) continue;
      keep({
        lock: a.lock, instance: a.lock.instance, ...(a.lock.within && { within: a.lock.within }),
        chain: link({ file: s.file, at: a.at, function: s.name, message: `${a.lock.class} acquired here, in ${s.name}()` }),
        dropped: new Set(droppedBefore(s, a.at, a.held)),
        needs: ownNeeds(s, a.when),
      });
    }
    for (const c of s.calls) {
      if (c.unwinding) continue; // undoing its own set-up: the callee's callbacks are not armed
      const here = droppedBefore(s, c.at, c.held);
      for (const t of c.targets) {
        const callee = byKey.get(t);
        const reached = memo.get(t);
        if (!callee || !reached || wrapsItself(s, key, c, callee)) continue;
        const step: Step = { file: s.file, at: c.at, function: s.name, message: `${s.name}() calls ${c.callee}()` };
        for (const r of reached.values()) {
          const needs = needsAtCall(r.needs, c, s);
          if (!needs) continue; // the call cannot take that path (another struct, another flag)
          const within = withinInCaller(r.instance, r.within, callee, c);
          keep({
            lock: r.lock,
            instance: instanceInCaller(r.instance, r.lock.class, callee, c),
            ...(within && { within }),
            chain: link(step, r.chain),
            dropped: here.length === 0 ? r.dropped : new Set([...r.dropped, ...here]),
            needs,
          });
        }
      }
    }
    return out;
  };

  const settled = (a: ReadonlyMap<string, Reached> | undefined, b: ReadonlyMap<string, Reached>) =>
    a !== undefined && a.size === b.size && [...b].every(([k, r]) => a.get(k)?.chain.length === r.chain.length);

  for (const component of componentsBottomUp(byKey)) {
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
