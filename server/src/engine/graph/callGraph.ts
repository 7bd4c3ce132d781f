// The call graph over the summaries: who calls whom (direct calls, ops fields, callbacks, local
// function pointers — `Call.targets` already says), its strongly connected components in the
// order bottom-up propagation needs, and how a callee's lock instance reads in its caller.

import { DRIVER_STRUCTS } from '../locks/catalog';
import { fromParameter, throughArgument } from '../locks/effects';
import type { Call, FunctionSummary } from '../locks/summary';
import { summaryKey } from '../locks/targets';
import type { LoadedTree } from '../workspace';

const byKeyMemo = new WeakMap<LoadedTree, Map<string, FunctionSummary>>();

/** Every summary of the tree by its function's key (one map per tree, which the passes share). */
export function summariesByKey(tree: LoadedTree): ReadonlyMap<string, FunctionSummary> {
  let memo = byKeyMemo.get(tree);
  if (!memo) byKeyMemo.set(tree, (memo = computeByKey(tree)));
  return memo;
}

function computeByKey(tree: LoadedTree): Map<string, FunctionSummary> {
  const out = new Map<string, FunctionSummary>();
  for (const list of tree.summaries.values()) for (const s of list) out.set(summaryKey(s), s);
  return out;
}

const byNameMemo = new WeakMap<ReadonlyMap<string, FunctionSummary>, Map<string, FunctionSummary[]>>();

/**
 * The function a name given as a value means in `file` (a thread's or a work item's function):
 * that file's own, static or not, else the one that is not static.
 */
export function namedFunction(byKey: ReadonlyMap<string, FunctionSummary>, name: string, file: string): FunctionSummary | undefined {
  let byName = byNameMemo.get(byKey);
  if (!byName) {
    byNameMemo.set(byKey, (byName = new Map()));
    for (const s of byKey.values()) {
      const list = byName.get(s.name);
      if (list) list.push(s);
      else byName.set(s.name, [s]);
    }
  }
  const list = byName.get(name) ?? [];
  return list.find((t) => t.file === file) ?? list.find((t) => !t.isStatic);
}

/** Every call site of every function: the callers a requirement is checked against. */
// The graph's passes share one tree's callers and components: worked out once per summaries map.
const callersMemo = new WeakMap<ReadonlyMap<string, FunctionSummary>, Map<string, { caller: FunctionSummary; call: Call }[]>>();
const componentsMemo = new WeakMap<ReadonlyMap<string, FunctionSummary>, string[][]>();

export function callersOf(byKey: ReadonlyMap<string, FunctionSummary>): ReadonlyMap<string, readonly { caller: FunctionSummary; call: Call }[]> {
  let memo = callersMemo.get(byKey);
  if (!memo) callersMemo.set(byKey, (memo = computeCallers(byKey)));
  return memo;
}

function computeCallers(byKey: ReadonlyMap<string, FunctionSummary>): Map<string, { caller: FunctionSummary; call: Call }[]> {
  const out = new Map<string, { caller: FunctionSummary; call: Call }[]>();
  for (const caller of byKey.values()) {
    for (const call of caller.calls) {
      for (const t of call.targets) {
        const list = out.get(t);
        if (list) list.push({ caller, call });
        else out.set(t, [{ caller, call }]);
      }
    }
  }
  return out;
}

/**
 * The functions that run only inside a driver's callback: every call to them in the tree goes
 * through a driver struct's field (`pdev->driver->sriov_configure`) or comes from such a
 * function (`vfio_pci_core_sriov_configure()`, called by each variant driver's callback). A
 * function with no caller in the tree may be called from anywhere, so it is not one.
 */
export function driverContext(byKey: ReadonlyMap<string, FunctionSummary>): Set<string> {
  const callers = callersOf(byKey);
  const out = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [key, list] of callers) {
      if (out.has(key) || !byKey.has(key)) continue;
      if (list.every(({ caller, call }) => (call.through !== undefined && DRIVER_STRUCTS.has(call.through)) || out.has(summaryKey(caller)))) {
        out.add(key);
        changed = true;
      }
    }
  }
  return out;
}

/**
 * Strongly connected components, callees before callers (Tarjan's order), without recursion so
 * deep call chains cannot overflow the stack. Each component is a set of mutually recursive
 * functions; most are one function.
 */
export function componentsBottomUp(byKey: ReadonlyMap<string, FunctionSummary>): readonly (readonly string[])[] {
  let memo = componentsMemo.get(byKey);
  if (!memo) componentsMemo.set(byKey, (memo = computeComponents(byKey)));
  return memo;
}

function computeComponents(byKey: ReadonlyMap<string, FunctionSummary>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const successors = (k: string) => [...new Set(byKey.get(k)!.calls.flatMap((c) => c.targets))].filter((t) => byKey.has(t));
  let next = 0;
  for (const root of byKey.keys()) {
    if (index.has(root)) continue;
    const work: { key: string; succ: string[]; i: number }[] = [];
    const enter = (k: string) => {
      index.set(k, next);
      low.set(k, next++);
      stack.push(k);
      onStack.add(k);
      work.push({ key: k, succ: successors(k), i: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (top.i < top.succ.length) {
        const w = top.succ[top.i++]!;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(top.key, Math.min(low.get(top.key)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.key, Math.min(low.get(parent.key)!, low.get(top.key)!));
      if (low.get(top.key) === index.get(top.key)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.key);
        out.push(component);
      }
    }
  }
  return out;
}

/**
 * The struct a callee's lock owner is embedded in, as the caller knows it: `dev->mutex` of
 * `device_lock(dev)` is within `struct pci_dev` when the caller passes `&pdev->dev`.
 */
export function withinInCaller(instance: string | undefined, within: string | undefined, callee: FunctionSummary, call: Call): string | undefined {
  const m = instance ? /^([A-Za-z_]\w*)->\w+$/.exec(instance) : null;
  const index = m ? callee.parameters.indexOf(m[1]!) : -1;
  const embedded = index >= 0 ? call.embedded?.[index] : undefined;
  return embedded && embedded.startsWith('struct ') ? embedded : within;
}

/** Longer instances come from recursion through a field (`dev->parent->parent->…`): unnamed. */
const MAX_INSTANCE = 160;

/**
 * A callee's lock instance as its caller names it at `call`: the parameter replaced by the
 * argument (`&pdev->dev` given for `dev`: `dev->mutex` is `pdev->dev.mutex`); a global stays
 * itself. Undefined when the caller cannot name it: the callee reached it through its own
 * locals, or the call gives no arguments (a callback run by a library function).
 */
export function instanceInCaller(instance: string | undefined, lockClass: string, callee: FunctionSummary, call: Call): string | undefined {
  if (instance === undefined) return undefined;
  const param = fromParameter(instance, callee.parameters);
  if (!param) return instance === lockClass ? instance : undefined;
  const arg = call.args?.[param.index];
  if (arg === undefined) return undefined;
  const out = throughArgument(arg, param.rest);
  return out.length > MAX_INSTANCE ? undefined : out;
}
