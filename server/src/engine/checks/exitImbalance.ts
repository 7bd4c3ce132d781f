// Shared by lock-imbalance and srcu-imbalance: exits that hold what other exits released.
import type { Finding, FindingCode } from '../findings';
import type { Exit, FunctionSummary, Held } from '../locks/summary';
import type { LoadedTree } from '../workspace';
import { allSummaries, describe, finding, isSuccessValue, related } from './support';

/**
 * For each lock some exits of a function hold and others do not: a finding at each exit that
 * holds it — unless the function is a lock helper: it returns holding on every path, is
 * annotated `__acquires`, or holds exactly on its success returns (a conditional acquire).
 */
export function exitImbalances(
  tree: LoadedTree, code: FindingCode, select: (h: Held) => boolean,
  message: (h: Held, s: FunctionSummary) => string,
): Finding[] {
  const out: Finding[] = [];
  for (const s of allSummaries(tree)) {
    if (s.annotations.acquires.length > 0) continue;
    const instances = new Map<string, Held>();
    for (const e of s.exits) for (const h of e.held) if (select(h)) instances.set(h.instance, h);
    for (const [instance, lock] of instances) {
      const holding = s.exits.filter((e) => e.held.some((h) => h.instance === instance));
      const releasing = s.exits.filter((e) => !e.held.some((h) => h.instance === instance));
      if (releasing.length === 0) continue; // returns holding on every path: a lock helper
      if (holding.every((e) => isSuccessValue(e.value)) && releasing.every((e) => !isSuccessValue(e.value))) continue;
      for (const e of holding) out.push(report(code, s, e, lock, releasing, message));
    }
  }
  return out;
}

function report(
  code: FindingCode, s: FunctionSummary, e: Exit, lock: Held, releasing: readonly Exit[],
  message: (h: Held, s: FunctionSummary) => string,
): Finding {
  const other = releasing[0]!;
  return finding(code, 'warning', s, e.at, e.value !== undefined ? 'return'.length : 1, message(lock, s), [lock.class], [
    related(s.file, lock.at, `${describe(lock)} acquired here`),
    related(s.file, other.at, `this ${other.value !== undefined ? `return ${other.value}` : 'exit'} leaves ${describe(lock)} released`),
  ]);
}
