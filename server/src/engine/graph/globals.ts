// Which file-scope variables can decide a callee's path: those a caller assigns before calling
// down to it (`xenwatch_thread()` sets `xenwatch_pid`, then runs the callbacks that test it).
// For each function, the variables some function above it assigned before the call on the way
// down; needs.ts carries a condition on a global only where it is in that set, so conditions
// no caller ever decides do not multiply what each function reaches.

import type { FunctionSummary } from '../locks/summary';
import { summaryKey } from '../locks/targets';
import type { LoadedTree } from '../workspace';
import { componentsBottomUp } from './callGraph';
import { globalKey, type NeedContext } from './needs';
import { valuesOf } from './values';

const IDENTIFIERS = /(?<![\w.>])[A-Za-z_]\w*(?!\s*\()/g;

export function assignedAbove(byKey: ReadonlyMap<string, FunctionSummary>): Map<string, Set<string>> {
  // Only variables both tested (in a condition on a global) and assigned somewhere matter.
  const assigned = new Set<string>();
  const tested = new Set<string>();
  for (const s of byKey.values()) {
    for (const a of s.assigns ?? []) assigned.add(a.name);
    for (const x of [...s.acquisitions, ...s.calls]) {
      for (const k of Object.keys(x.when ?? {})) if (k.startsWith('@')) for (const n of globalKey(k).cond.match(IDENTIFIERS) ?? []) tested.add(n);
    }
  }
  const relevant = new Set([...assigned].filter((n) => tested.has(n)));
  const out = new Map<string, Set<string>>();
  if (relevant.size === 0) return out;

  // Callers before callees; within a component of mutually recursive functions, until settled.
  for (const component of [...componentsBottomUp(byKey)].reverse()) {
    for (let changed = true; changed;) {
      changed = false;
      for (const key of component) {
        const s = byKey.get(key)!;
        const mine = out.get(key);
        const sets = (s.assigns ?? []).filter((a) => relevant.has(a.name));
        if (!mine && sets.length === 0) continue;
        for (const c of s.calls) {
          const given = sets.filter((a) => a.offset < c.at.offset).map((a) => a.name);
          if (!mine && given.length === 0) continue;
          for (const t of c.targets) {
            if (!byKey.has(t)) continue;
            let down = out.get(t);
            if (!down) out.set(t, (down = new Set<string>()));
            const before = down.size;
            for (const n of mine ?? []) down.add(n);
            for (const n of given) down.add(n);
            if (down.size > before && component.length > 1 && component.includes(t)) changed = true;
          }
        }
      }
    }
  }
  return out;
}

const contexts = new WeakMap<LoadedTree, NeedContext>();

/** What needs.ts may consult for this tree: its values and the globals assigned above each function. */
export function needContext(tree: LoadedTree, byKey: ReadonlyMap<string, FunctionSummary>): NeedContext {
  let ctx = contexts.get(tree);
  if (!ctx) {
    const above = assignedAbove(byKey);
    ctx = { values: valuesOf(tree), assignedAbove: (s) => above.get(summaryKey(s)), interned: new Map() };
    contexts.set(tree, ctx);
  }
  return ctx;
}
