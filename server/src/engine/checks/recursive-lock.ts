// recursive-lock (within one function): a lock instance acquired again while this path holds it
// (lockdep: possible recursive locking detected). Not recursion: another instance of the class
// (a parent's and a child's device lock), a `_nested` subclass, a trylock (it never waits), and
// readers of an rwlock_t or RCU/SRCU, whose read sides are recursive.
import type { Finding } from '../findings';
import type { Check } from './registry';
import { allSummaries, describe, finding, related } from './support';

export const recursiveLock: Check = {
  code: 'recursive-lock',
  run(tree) {
    const out: Finding[] = [];
    for (const s of allSummaries(tree)) {
      const reported = new Set<number>();
      for (const a of s.acquisitions) {
        if (a.try || reported.has(a.at.offset)) continue;
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
    return out;
  },
};
