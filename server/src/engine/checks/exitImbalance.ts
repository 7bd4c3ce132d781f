// Shared by lock-imbalance and srcu-imbalance: exits that hold what other exits released.
import type { Finding, FindingCode } from '../findings';
import { conditionalAcquire } from '../locks/effects';
import { eachOf, elementOf } from '../locks/state';
import type { Exit, FunctionSummary, Held } from '../locks/summary';
import type { LoadedTree } from '../workspace';
import { allSummaries, describe, finding, related } from './support';

/**
 * For each lock some exits of a function hold while others took it and released it: a finding
 * at each exit that holds it — unless the function is a lock helper: it is annotated
 * `__acquires`, named for locking (`pci_bus_lock`, `foo_trylock`), or holds exactly on the
 * returns of one constant that is no error code (`return 1` of a trylock wrapper, `return 0` of
 * an interruptible one) and releases on the others.
 */
export function exitImbalances(
  tree: LoadedTree, code: FindingCode, select: (h: Held) => boolean,
  message: (h: Held, s: FunctionSummary) => string,
): Finding[] {
  const out: Finding[] = [];
  for (const s of allSummaries(tree)) {
    if (s.annotations.acquires.length > 0 || LOCK_HELPER_NAME.test(s.name)) continue;
    const instances = new Map<string, Held>();
    for (const e of s.exits) for (const h of e.held) if (select(h)) instances.set(h.instance, h);
    for (const [instance, lock] of instances) {
      const holding = s.exits.filter((e) => e.held.some((h) => h.instance === instance));
      // A loop's element lock released on other passes counts (`each:n->lock` for `n->lock`).
      const element = elementOf(instance);
      const releasing = s.exits.filter((e) =>
        (e.released.includes(element) || e.released.includes(eachOf(element))) && !e.held.some((h) => h.instance === instance));
      if (releasing.length === 0) continue; // no path releases it: a lock helper, or locks taken in a loop
      if (conditionalAcquire(holding, releasing)) continue; // a trylock or interruptible wrapper
      const seen = new Set<number>();
      for (const e of holding) {
        if (seen.has(e.at.offset)) continue;
        seen.add(e.at.offset);
        out.push(report(code, s, e, lock, releasing, message));
      }
    }
  }
  return out;
}

/** `pci_bus_lock`, `foo_trylock`, `__device_driver_lock`, `lock_mutex_and_test_alive` — not `unlock`, not `nfs_lock_done`. */
const LOCK_HELPER_NAME = /(^|_)(try)?lock$|^_*lock_/;

function report(
  code: FindingCode, s: FunctionSummary, e: Exit, lock: Held, releasing: readonly Exit[],
  message: (h: Held, s: FunctionSummary) => string,
): Finding {
  const other = releasing[0]!;
  const f = finding(code, 'warning', s, e.at, e.value !== undefined ? 'return'.length : 1, message(lock, s), [lock.class], [
    related(s.file, lock.at, `${describe(lock)} acquired here`),
    related(s.file, other.at, `this ${other.value !== undefined ? `return ${other.value}` : 'exit'} leaves ${describe(lock)} released`),
  ]);
  // Taken by the function itself (not through a helper it calls): its call names what to release.
  // Not where another path through the same exit lets go of it (falling off the end): a release
  // there would be a second one.
  return lock.fromCaller || releasing.some((r) => r.at.offset === e.at.offset) ? f : { ...f, repairs: [{ kind: 'release-before-exit', file: s.file, exit: e.at.offset, acquired: lock.at.offset }] };
}
