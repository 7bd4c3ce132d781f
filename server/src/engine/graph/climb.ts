// Walking a requirement up the call graph: from a function to its callers, theirs, and so on,
// each chain extended by the call it came through. srcu-unprotected-deref and wait-under-lock
// climb this way (missing-lock too, with its own memo of what each caller needed).

import type { Call, FunctionSummary } from '../locks/summary';
import { summaryKey } from '../locks/targets';
import { callersOf } from './callGraph';
import { link, type Chain } from './reach';

/**
 * Visits the callers of `key`, depth first, up to `levels` levels, never one twice on a path.
 * `message` words each call's step; `visit` sees the caller, the call and the chain from it down,
 * and says whether to go on up from there.
 */
export function climbCallers(
  byKey: ReadonlyMap<string, FunctionSummary>, key: string, chain: Chain, levels: number,
  message: (caller: FunctionSummary, call: Call) => string,
  visit: (caller: FunctionSummary, call: Call, chain: Chain, level: number) => boolean,
): void {
  const callers = callersOf(byKey);
  const up = (k: string, next: Chain, level: number, seen: ReadonlySet<string>) => {
    for (const { caller, call } of callers.get(k) ?? []) {
      const ck = summaryKey(caller);
      if (seen.has(ck)) continue;
      const step = link({ file: caller.file, at: call.at, function: caller.name, message: message(caller, call) }, next);
      if (visit(caller, call, step, level) && level + 1 < levels) up(ck, step, level + 1, new Set([...seen, ck]));
    }
  };
  up(key, chain, 0, new Set([key]));
}
