// What the one-function checks share: summaries in, findings out, positions from sites.
import type { Finding, FindingCode, RelatedLocation, Repair, Severity } from '../findings';
import type { Step } from '../graph/reach';
import type { FunctionSummary, Held, Lock, Site } from '../locks/summary';
import { summariesByKey } from '../graph/callGraph';
import { climbCallers } from '../graph/climb';
import { summaryKey } from '../locks/targets';
import type { LoadedTree } from '../workspace';

/** Every summary of the analysed files. */
export function* allSummaries(tree: LoadedTree): Generator<FunctionSummary> {
  for (const file of tree.files) yield* tree.summaries.get(file) ?? [];
}

export function related(file: string, at: Site, message: string): RelatedLocation {
  return { file, line: at.line, column: at.column, message };
}

export function finding(
  code: FindingCode, severity: Severity, summary: FunctionSummary, at: Site, length: number,
  message: string, locks: readonly string[], rel: readonly RelatedLocation[],
): Finding {
  return {
    code, severity, message, file: summary.file, line: at.line, column: at.column,
    endLine: at.line, endColumn: at.column + length, locks, related: rel, fixes: [],
  };
}

/** `mdev_list_lock`, or `device.mutex (dev->dev.mutex)` when the instance says more. */
export function describe(lock: Lock): string {
  return lock.instance === lock.class ? lock.class : `${lock.class} (${lock.instance})`;
}

/**
 * What would break a cycle, for fixes/: in each chain, letting go of the held lock around the
 * call that leads to the other (where the holder took it itself), and taking the other lock with
 * a trylock where its taker returns an int it can fail with.
 */
export function cycleRepairs(tree: LoadedTree, cycle: readonly { readonly chain: readonly Step[]; readonly from?: Lock }[]): Repair[] {
  const out: Repair[] = [];
  for (const d of cycle) {
    const [held, call] = d.chain;
    if (call?.kind !== 'call' || call.file !== held?.file || call.function !== held.function) continue;
    if (held.kind === 'acquire') out.push({ kind: 'release-around-call', file: call.file, call: call.at.offset, acquired: held.at.offset });
    else if (held.kind === 'entry' && d.from) {
      // Held from the caller: how a caller took it says what it is (an rwsem taken for read).
      const byKey = summariesByKey(tree);
      const holder = [...byKey.values()].find((s) => s.file === held.file && s.name === held.function);
      let taken: Held | undefined;
      if (holder) {
        climbCallers(byKey, summaryKey(holder), undefined, 6, () => '', (_, c) => {
          taken ??= c.held.find((h) => h.class === d.from!.class && !h.fromCaller);
          return taken === undefined;
        });
      }
      if (taken) out.push({ kind: 'release-around-call', file: call.file, call: call.at.offset, held: { instance: d.from.instance, primitive: taken.primitive, mode: taken.mode } });
    }
  }
  for (const d of cycle) {
    const taken = d.chain.at(-1)!;
    const fn = tree.index.lookupFunction(taken.function, taken.file);
    if (taken.kind === 'acquire' && fn?.returnType.base === 'int' && fn.returnType.pointers === 0) out.push({ kind: 'trylock', file: taken.file, acquired: taken.at.offset });
  }
  return out;
}
