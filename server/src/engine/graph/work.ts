// Work items and timers, and the functions that run them. `flush_work(&x->work)`,
// `cancel_work_sync()` and `del_timer_sync()` return only once the item's function has returned,
// and `flush_workqueue(wq)` once every item queued on `wq` has: waiting for one is waiting for
// whatever that function takes (lockdep models it so, with a lockdep map per work and workqueue).
// The function comes from where the item is bound (`INIT_WORK(&x->work, fn)`, `timer_setup()`,
// `static DECLARE_WORK(w, fn)`), by the item's class, as lockdep knows works by their class too.

import type { FunctionSummary, Held, Other, Site } from '../locks/summary';
import { summaryKey } from '../locks/targets';
import { namedFunction } from './callGraph';
import { inGraph, SLEEP_CLASS, type Chain, type Reached } from './reach';

/** Where a work item or timer was bound to its function: a call, or a file-scope declaration. */
export interface Binding {
  readonly file: string;
  readonly at: Site;
  /** `INIT_WORK`, `timer_setup`, `DECLARE_WORK`. */
  readonly by: string;
  /** The item's class. */
  readonly item: string;
  /** The function the binding call is in; none at file scope. */
  readonly in?: string;
}

/** A function that runs a work item or timer, and where it was bound to it. */
export interface Runner {
  readonly key: string;
  readonly fn: FunctionSummary;
  readonly bind: Binding;
}

/** A file-scope item declared with its function (`static DECLARE_WORK(w, fn)`). */
export interface DeclaredItem {
  readonly name: string;
  readonly fn: string;
  readonly macro: string;
  readonly file: string;
  readonly at: Site;
}

export interface WorkItems {
  /** The functions that may run a wait's item, or the items of a wait's workqueue. */
  runnersOf(wait: Other): readonly Runner[];
  /** Every function some wait under a lock may wait for. */
  readonly waitedFor: ReadonlySet<string>;
}

const memo = new WeakMap<ReadonlyMap<string, FunctionSummary>, WorkItems>();

/** Waits that wait for a function to return (not a completion, not a thread to stop). */
const FOR_RUNNERS: ReadonlySet<string> = new Set(['work', 'timer', 'workqueue']);

export function workItems(byKey: ReadonlyMap<string, FunctionSummary>, declared: readonly DeclaredItem[] = []): WorkItems {
  let w = memo.get(byKey);
  if (!w) memo.set(byKey, (w = compute(byKey, declared)));
  return w;
}

function compute(byKey: ReadonlyMap<string, FunctionSummary>, declared: readonly DeclaredItem[]): WorkItems {
  const byItem = new Map<string, Map<string, Runner>>();
  const onQueue = new Map<string, Set<string>>();
  const bind = (name: string, file: string, b: Binding) => {
    const fn = namedFunction(byKey, name, file);
    if (!fn) return;
    const key = summaryKey(fn);
    const runners = byItem.get(b.item) ?? new Map<string, Runner>();
    if (!runners.has(key)) runners.set(key, { key, fn, bind: b });
    byItem.set(b.item, runners);
  };
  for (const d of declared) bind(d.fn, d.file, { file: d.file, at: d.at, by: d.macro, item: d.name });
  for (const s of byKey.values()) {
    for (const o of s.others) {
      if (o.kind === 'bind' && o.runs && o.targetClass) {
        bind(o.runs, s.file, { file: s.file, at: o.at, by: o.callee, item: o.targetClass, in: s.name });
      } else if (o.kind === 'async' && o.queue && o.targetClass) {
        const items = onQueue.get(o.queue) ?? new Set<string>();
        items.add(o.targetClass);
        onQueue.set(o.queue, items);
      }
    }
  }
  const runnersOf = (wait: Other): Runner[] => {
    if (wait.kind !== 'wait' || !wait.on || !FOR_RUNNERS.has(wait.on) || !wait.targetClass) return [];
    const items = wait.on === 'workqueue' ? [...(onQueue.get(wait.targetClass) ?? [])] : [wait.targetClass];
    return items.flatMap((i) => [...(byItem.get(i)?.values() ?? [])]);
  };
  const waitedFor = new Set<string>();
  for (const s of byKey.values()) {
    for (const o of s.others) if (o.kind === 'wait' && o.held.length > 0) for (const r of runnersOf(o)) waitedFor.add(r.key);
  }
  return { runnersOf, waitedFor };
}

/** A wait for a work item (or timer, or workqueue) with a lock held that the item's function takes. */
export interface WaitForRunner {
  readonly file: string;
  readonly function: string;
  readonly wait: Other;
  readonly held: Held;
  readonly runner: Runner;
  /** From the runner's entry down to its acquisition of the held lock's class. */
  readonly chain: Chain;
}

/**
 * The waits under a lock whose item's function takes that lock (by class, as lockdep would): the
 * function blocks on the lock, the waiter on the function. Both sides taking it for reading is no
 * deadlock; a work that cancels itself is another matter.
 */
export function waitsForRunners(
  byKey: ReadonlyMap<string, FunctionSummary>, analysed: ReadonlySet<string>, reach: ReadonlyMap<string, ReadonlyMap<string, Reached>>,
): WaitForRunner[] {
  const work = workItems(byKey);
  const out = new Map<string, WaitForRunner>();
  for (const [self, s] of byKey) {
    if (!analysed.has(s.file)) continue;
    for (const wait of s.others) {
      if (wait.kind !== 'wait' || wait.held.length === 0) continue;
      for (const runner of work.runnersOf(wait)) {
        if (runner.key === self) continue;
        for (const r of reach.get(runner.key)?.values() ?? []) {
          if (r.lock.class === SLEEP_CLASS) continue;
          const held = wait.held.find((h) => h.class === r.lock.class && inGraph(h) && (h.subclass ?? 0) === (r.lock.subclass ?? 0) &&
            (h.mode === 'exclusive' || r.lock.mode === 'exclusive'));
          if (!held) continue;
          const key = `${s.file}#${wait.at.offset}#${held.class}`;
          const old = out.get(key);
          if (!old || old.chain.length > r.chain.length) out.set(key, { file: s.file, function: s.name, wait, held, runner, chain: r.chain });
        }
      }
    }
  }
  return [...out.values()];
}
