// Code that only ever runs in one thread per registration: an IRQ thread function
// (`request_threaded_irq(irq, isr, pciehp_ist, …, ctrl)`), a kthread's function, and whatever is
// called only from them. pciehp's IRQ thread holds `ctrl->reset_lock`, takes
// `pci_rescan_remove_lock`, drops `reset_lock` and takes it back under the other: an inversion
// by lockdep's class rules, but both sides are that controller's one thread, and a thread does
// not wait for itself across two CPUs. cycles.ts uses the groups this file works out.

import type { FunctionSummary, Other } from '../locks/summary';
import { summaryKey } from '../locks/targets';
import { callersOf, namedFunction } from './callGraph';

/** A thread group: the registering function, and the call site when its registrations may both run. */
export type ThreadGroup = string;

const NONE = '';

/** Two registrations on paths that cannot both be taken (`if (poll_mode) kthread_run(…) else request_threaded_irq(…)`). */
function exclusive(a: Other, b: Other): boolean {
  return Object.entries(a.when ?? {}).some(([k, v]) => b.when?.[k] === !v);
}

/**
 * For each function that runs only in threads of one group, that group. A registering function
 * whose registrations exclude each other starts one thread however it goes: one group; else one
 * group per registration. A function registered in two groups, or called from outside them, has
 * none.
 */
export function threadGroups(byKey: ReadonlyMap<string, FunctionSummary>): Map<string, ThreadGroup> {
  const entries = new Map<string, ThreadGroup>();
  for (const [key, s] of byKey) {
    const starts = s.others.filter((o) => o.kind === 'thread' && o.target);
    if (starts.length === 0) continue;
    // Started in a loop: many threads may run the function at once.
    const many = new Set(starts.filter((o) => o.inLoop).map((o) => o.target!));
    const one = starts.every((a) => starts.every((b) => a === b || exclusive(a, b)));
    for (const o of starts) {
      const fn = namedFunction(byKey, o.target!, s.file);
      if (!fn) continue;
      const group = many.has(o.target!) ? NONE : one ? key : `${key}@${o.at.offset}`;
      const fk = summaryKey(fn);
      const known = entries.get(fk);
      entries.set(fk, known === undefined || known === group ? group : NONE);
    }
  }
  if (entries.size === 0) return new Map();

  // A fixpoint from below: a function's group joins its own (as an entry) with its callers'; a
  // function no one in the tree calls runs wherever its entry is (none, unless it is a thread's).
  const callers = callersOf(byKey);
  const value = new Map<string, ThreadGroup>();
  for (const key of byKey.keys()) {
    const own = entries.get(key);
    if (!callers.has(key)) value.set(key, own ?? NONE);
    else if (own !== undefined) value.set(key, own);
  }
  const join = (a: ThreadGroup | undefined, b: ThreadGroup) => (a === undefined || a === b ? b : NONE);
  for (let changed = true; changed;) {
    changed = false;
    for (const [key, list] of callers) {
      const old = value.get(key);
      if (old === NONE || !byKey.has(key)) continue;
      let group = entries.get(key);
      for (const { caller } of list) {
        const g = value.get(summaryKey(caller));
        if (g !== undefined) group = join(group, g);
        if (group === NONE) break;
      }
      if (group !== undefined && group !== old) {
        value.set(key, group);
        changed = true;
      }
    }
  }
  for (const [k, g] of value) if (g === NONE) value.delete(k);
  return value;
}
