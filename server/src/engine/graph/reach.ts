// What each function may acquire, itself or through anything it calls, propagated bottom-up over
// the call graph's components (mutual recursion runs to a fixpoint). Each reached lock keeps one
// shortest witness chain, the instance as the function names it, and the caller locks the path
// lets go of first (pciehp's `up_read(&ctrl->reset_lock)` around device removal).

import type { Call, FunctionSummary, Held, Lock, Site } from '../locks/summary';
import { UNKNOWN_KIND } from '../locks/catalog';
import { componentsBottomUp, instanceInCaller } from './callGraph';

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
  /** From this function's entry to the acquisition. */
  readonly chain: Chain;
  /** Classes of locks held by a caller that the path releases before the acquisition. */
  readonly dropped: ReadonlySet<string>;
  /**
   * What the path needs this function's parameters to be embedded in: `xenbus_dev_remove()`
   * downcasts its device to a `struct xenbus_device`, so `device_add(&pdev->dev)` of a PCI
   * device cannot reach it. By parameter index.
   */
  readonly needs: ReadonlyMap<number, string>;
}

const NO_NEEDS: ReadonlyMap<number, string> = new Map();

/**
 * The needs of a callee's path at `call`, as the caller's: an argument embedded in the struct
 * the callee needs satisfies it, one embedded in another makes the path impossible (undefined),
 * a parameter passed on hands the need to the caller. A generic object of unknown kind (a
 * `struct device` the caller found: `link->consumer`) is not followed into a callback that needs
 * a kind — the driver core would reach every bus's callbacks otherwise; anything else tells
 * nothing. The caller's own downcasts then apply.
 */
export function needsAtCall(needs: ReadonlyMap<number, string>, call: Call, caller: FunctionSummary): ReadonlyMap<number, string> | undefined {
  if (needs.size === 0 && !caller.downcasts) return needs;
  const out = new Map<number, string>();
  for (const [i, container] of needs) {
    const embedded = call.embedded?.[i];
    if (embedded && embedded !== UNKNOWN_KIND) {
      if (embedded !== container) return undefined;
      continue;
    }
    const param = call.args ? caller.parameters.indexOf(call.args[i] ?? '') : -1;
    if (param >= 0) out.set(param, container);
    // A device the caller found itself (`link->consumer`): a bus's or driver's callback is
    // followed only where the device is known to be of its kind.
    else if (embedded === UNKNOWN_KIND) return undefined;
  }
  for (const d of caller.downcasts ?? []) {
    const need = out.get(d.param);
    if (need !== undefined && need !== d.container) return undefined;
    out.set(d.param, d.container);
  }
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

const needsKey = (n: ReadonlyMap<number, string>) => [...n].map(([i, c]) => `${i}:${c}`).sort().join(',');
const reachKey = (r: Reached) => `${r.lock.class}|${r.lock.mode}|${r.lock.subclass ?? 0}|${r.instance ?? ''}|${needsKey(r.needs)}`;
const ownNeeds = (s: FunctionSummary): ReadonlyMap<number, string> =>
  s.downcasts ? new Map(s.downcasts.map((d) => [d.param, d.container])) : NO_NEEDS;

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
        lock: a.lock, instance: a.lock.instance,
        chain: link({ file: s.file, at: a.at, function: s.name, message: `${a.lock.class} acquired here, in ${s.name}()` }),
        dropped: new Set(droppedBefore(s, a.at, a.held)),
        needs: ownNeeds(s),
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
          if (!needs) continue; // the argument is embedded in another struct than the path needs
          keep({
            lock: r.lock,
            instance: instanceInCaller(r.instance, r.lock.class, callee, c),
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
