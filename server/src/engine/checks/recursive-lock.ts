// recursive-lock: a lock instance acquired again while this path holds it (lockdep: possible
// recursive locking detected) — in one function, or in a function it calls, the instance mapped
// through the call's arguments (`pci_reset_function(dev)` under `device_lock(&dev->dev)`). Not
// recursion: another instance of the class (a parent's and a child's device lock), a `_nested`
// subclass, a trylock (it never waits), and readers of an rwlock_t or RCU/SRCU, whose read
// sides are recursive.
import type { Finding } from '../findings';
import { lockGraph } from '../graph/dependencies';
import type { Check } from './registry';
import { allSummaries, describe, finding, related } from './support';

export const recursiveLock: Check = {
  code: 'recursive-lock',
  run(tree) {
    const out: Finding[] = [];
    for (const s of allSummaries(tree)) {
      const reported = new Set<number>();
      for (const a of s.acquisitions) {
        if (a.try || a.sync || reported.has(a.at.offset)) continue; // a sync under its reader: srcu-self-deadlock
        const again = a.held.find((h) =>
          h.instance === a.lock.instance && (h.subclass ?? 0) === (a.lock.subclass ?? 0) &&
          !(h.mode === 'recursive-read' && a.lock.mode === 'recursive-read'));
        if (!again) continue;
        reported.add(a.at.offset);
        out.push(finding('recursive-lock', 'error', s, a.at, a.call.indexOf('(') > 0 ? a.call.indexOf('(') : 1,
          `possible recursive locking: ${a.call} takes ${describe(a.lock)}, already held on this path`, [a.lock.class],
          [related(s.file, again.at, `${describe(again)} first acquired here`)]));
      }
    }
    for (const r of lockGraph(tree).recursions) {
      if (r.lock.primitive === 'srcu') continue; // synchronize_srcu() inside its own reader: srcu-self-deadlock
      const [first, call, ...rest] = r.chain;
      const retake = rest.at(-1)!;
      out.push({
        code: 'recursive-lock', severity: 'error',
        message: `possible recursive locking: ${call!.message.replace(/ with .* held$/, '')}, which takes ${r.lock.class} (${r.instance}) again: ${retake.function}() acquires it while ${first!.function}() holds it (CPU0: lock(${r.held.class}); lock(${r.lock.class}) — deadlock)`,
        file: r.file, line: call!.at.line, column: call!.at.column, endLine: call!.at.line, endColumn: call!.at.column + 1,
        locks: [r.lock.class],
        related: r.chain.map((s) => related(s.file, s.at, s.message)),
        fixes: [],
      });
    }
    return out;
  },
};
