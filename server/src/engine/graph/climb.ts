// Walking a requirement up the call graph: from a function to its callers, theirs, and so on,
// each chain extended by the call it came through. srcu-unprotected-deref and wait-under-lock
// climb this way (missing-lock too, with its own memo of what each caller needed).

import { GFP_BLOCKING_TEST } from '../locks/catalog';
import type { Call, FunctionSummary } from '../locks/summary';
import { summaryKey } from '../locks/targets';
import { callersOf } from './callGraph';
import { needsAtCall, type NeedContext, type Needs } from './needs';
import { link, type Chain } from './reach';

/**
 * Visits the callers of `key`, depth first, up to `levels` levels, never one twice on a path.
 * `message` words each call's step; `visit` sees the caller, the call and the chain from it down,
 * and says whether to go on up from there.
 */
export function climbCallers(
  byKey: ReadonlyMap<string, FunctionSummary>, key: string, chain: Chain | undefined, levels: number,
  message: (caller: FunctionSummary, call: Call) => string,
  visit: (caller: FunctionSummary, call: Call, chain: Chain, level: number) => boolean,
): void {
  const callers = callersOf(byKey);
  const up = (k: string, next: Chain | undefined, level: number, seen: ReadonlySet<string>) => {
    for (const { caller, call } of callers.get(k) ?? []) {
      const ck = summaryKey(caller);
      if (seen.has(ck)) continue;
      const step = link({ file: caller.file, at: call.at, function: caller.name, message: message(caller, call) }, next);
      if (visit(caller, call, step, level) && level + 1 < levels) up(ck, step, level + 1, new Set([...seen, ck]));
    }
  };
  up(key, chain, 0, new Set([key]));
}

/** Needs still on the function's own GFP flags parameter: its callers' flags decide. */
export const flagsPending = (n: Needs): boolean => [...n.keys()].some((k) => k.endsWith(`?${GFP_BLOCKING_TEST}`));

/**
 * A caller path that meets `needs` of function `key` once the flags are decided: climbing while
 * they stay on a parameter (GFP flags passed down), up to `levels` callers. The chain from that
 * caller down to `chain`, or undefined when no caller in the tree passes flags that block.
 */
export function callerMeeting(
  byKey: ReadonlyMap<string, FunctionSummary>, key: string, needs: Needs, chain: Chain | undefined, levels: number, ctx?: NeedContext,
): Chain | undefined {
  const callers = callersOf(byKey);
  const up = (k: string, n: Needs, next: Chain | undefined, level: number, seen: ReadonlySet<string>): Chain | undefined => {
    for (const { caller, call } of callers.get(k) ?? []) {
      const ck = summaryKey(caller);
      if (seen.has(ck)) continue;
      const met = needsAtCall(n, call, caller, ctx);
      if (!met) continue;
      const step = link({ file: caller.file, at: call.at, function: caller.name, message: `${caller.name}() calls ${call.callee}() with flags that may sleep` }, next);
      if (!flagsPending(met)) return step;
      if (level + 1 < levels) {
        const found = up(ck, met, step, level + 1, new Set([...seen, ck]));
        if (found) return found;
      }
    }
    return undefined;
  };
  return up(key, needs, chain, 0, new Set([key]));
}
