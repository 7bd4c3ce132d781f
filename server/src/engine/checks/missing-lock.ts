// missing-lock: a function says its caller holds a lock (`lockdep_assert_held(&l)`,
// `__must_hold(&l)`) and some caller path does not. Matched by class, as lockdep matches what it
// is told to assert (a back-pointer path to the same object reads differently: `migf->mvdev->
// state_mutex` and `mvdev->state_mutex`). The requirement climbs from callee to caller until a
// caller holds the lock; it is reported at a call from a function that takes or drops that lock
// itself on other paths (so the path without it is a slip). A function that never touches the
// lock hands the duty to its callers; one with no callers in the analysed tree is not blamed.

import type { Finding, RelatedLocation } from '../findings';
import { callersOf, instanceInCaller, summariesByKey } from '../graph/callGraph';
import { needsAtCall, type Needs } from '../graph/needs';
import { inGraph, link, steps, type Chain } from '../graph/reach';
import { needContext } from '../graph/globals';
import type { Call, FunctionSummary, Lock } from '../locks/summary';
import { parameterOf } from '../locks/calls';
import { decidableTemplate, template } from '../locks/conditions';
import { summaryKey } from '../locks/targets';
import type { Check } from './registry';
import { related } from './support';

/** How far a requirement climbs through callers that pass it on. */
const MAX_CLIMB = 6;

interface Need {
  readonly lock: Lock;
  /** The instance as the function that needs it names it. */
  readonly instance: string;
  /** What the path needs of the function's parameters (flags it tests, kinds). */
  readonly needs: Needs;
  /** From the function's entry down to the requirement. */
  readonly chain: Chain;
}

export const missingLock: Check = {
  code: 'missing-lock',
  run(tree) {
    const byKey = summariesByKey(tree);
    const callers = callersOf(byKey);
    const analysed = new Set(tree.files);
    const ctx = needContext(tree, byKey);
    const out = new Map<string, Finding>();

    /** `need`: the callee's; `instance`: as the caller names it. */
    const report = (caller: FunctionSummary, call: Call, need: Need, instance: string) => {
      const key = `${caller.file}#${call.at.offset}#${need.lock.class}`;
      if (out.has(key) || !analysed.has(caller.file)) return;
      const chain = steps(link({ file: caller.file, at: call.at, function: caller.name, message: `${caller.name}() calls ${call.callee}() without holding ${need.lock.class}` }, need.chain));
      const last = chain.at(-1)!;
      const rel: RelatedLocation[] = chain.map((s) => related(s.file, s.at, s.message));
      out.set(key, {
        code: 'missing-lock', severity: 'warning',
        message: `${last.function}() requires ${need.lock.class} to be held, but this call from ${caller.name}() does not hold it${instance === need.lock.class ? '' : ` (${instance})`}`,
        file: caller.file, line: call.at.line, column: call.at.column, endLine: call.at.line, endColumn: call.at.column + call.callee.length,
        locks: [need.lock.class], related: rel, fixes: [],
      });
    };

    /** `visited`: the callers this requirement has climbed to, with what it needed there. */
    const climb = (key: string, need: Need, depth: number, visited: Set<string>) => {
      const callee = byKey.get(key)!;
      for (const { caller, call } of callers.get(key) ?? []) {
        if (call.unwinding || call.held.some((h) => h.class === need.lock.class)) continue;
        // The path's tests of parameters (`if (lock) device_lock(…)`) go along: a caller passing
        // a constant that rules the path out has nothing to hold.
        const needs = needsAtCall(need.needs, call, caller, ctx);
        if (!needs) continue;
        const instance = instanceInCaller(need.instance, need.lock.class, callee, call) ?? need.lock.class;
        const cls = need.lock.class;
        // Releasing the lock where it did not take it: it runs under its caller's (rpm_idle()).
        const callersLock = caller.releases.some((r) => r.lock.class === cls && r.unheldOnSomePath);
        const manages = !callersLock && (caller.acquisitions.some((a) => a.lock.class === cls) || caller.releases.some((r) => r.lock.class === cls));
        // One call reached holding the lock or not as a parameter says (`if (lock)
        // device_lock(…); put(dev); if (lock) device_unlock(…)`): the parameter tells whether
        // the caller holds it, so the callers decide.
        const byFlag = [...needs.keys()].some((k) => k.includes('?')) &&
          caller.calls.some((x) => x.at.offset === call.at.offset && x.held.some((h) => h.class === cls) && decides(x.when, call.when, caller.parameters));
        const callerKey = summaryKey(caller);
        if (manages && !byFlag) report(caller, call, need, instance);
        else if (depth < MAX_CLIMB) {
          // Each caller once per requirement and needs: fan-in does not multiply the work.
          const visit = `${callerKey}|${[...needs].map(([k, v]) => `${k}:${v}`).sort().join(',')}`;
          if (visited.has(visit)) continue;
          visited.add(visit);
          const mine: Need = { lock: need.lock, instance, needs, chain: link({ file: caller.file, at: call.at, function: caller.name, message: `${caller.name}() calls ${call.callee}()` }, need.chain) };
          climb(callerKey, mine, depth + 1, visited);
        }
      }
    };

    for (const [key, s] of byKey) {
      for (const r of s.requires) {
        if (!inGraph(r.lock) || r.lock.primitive === 'srcu') continue; // read sides: srcu-unprotected-deref's
        const chain = link({ file: s.file, at: r.at, function: s.name, message: `${s.name}() requires ${r.lock.class} (${r.via})` });
        climb(key, { lock: r.lock, instance: r.lock.instance, needs: new Map(), chain }, 0, new Set([`${key}|`]));
      }
    }
    return [...out.values()];
  },
};

/**
 * The two paths to one call differ in a condition on a parameter some caller could decide (a flag,
 * `flags & F_LOCKED`): that condition, not chance, says which holds the lock.
 */
function decides(
  a: Readonly<Record<string, boolean>> | undefined, b: Readonly<Record<string, boolean>> | undefined, params: readonly string[],
): boolean {
  return Object.entries(a ?? {}).some(([k, v]) => {
    if (b?.[k] !== !v) return false;
    const param = parameterOf(k, params);
    return param !== undefined && decidableTemplate(template(k, param));
  });
}
