// unlock-unheld: a release of a lock not held on some path — a double unlock, or an unlock where
// paths that took the lock meet paths that did not (an error label reached from before the
// lock). A release of a lock no path here holds is of the caller's lock (an unlock helper, or
// pciehp's drop-and-retake of reset_lock around driver binding): that is a contract, not a bug.
import type { Finding } from '../findings';
import type { Check } from './registry';
import { allSummaries, describe, finding, related } from './support';

export const unlockUnheld: Check = {
  code: 'unlock-unheld',
  run(tree) {
    const out: Finding[] = [];
    for (const s of allSummaries(tree)) {
      if (s.annotations.releases.length > 0) continue;
      for (const r of s.releases) {
        if (!r.unheldOnSomePath || r.viaHelper) continue;
        if (!r.heldOnSomePath && !r.releasedTwice) continue; // the caller's lock
        // Only ever retaken after a release: the caller's lock, dropped around some work
        // (rpm code around callbacks, pciehp around driver unbinding) on some paths.
        const taken = s.acquisitions.find((a) => a.lock.instance === r.lock.instance);
        if (taken && !r.releasedTwice && s.acquisitions.every((a) => a.lock.instance !== r.lock.instance || a.retake)) continue;
        out.push(finding('unlock-unheld', 'warning', s, r.at, r.call.indexOf('(') > 0 ? r.call.indexOf('(') : 1,
          `${r.call} releases ${describe(r.lock)}, which is not held on some path to here`, [r.lock.class],
          taken ? [related(s.file, taken.at, `${describe(r.lock)} is acquired here`)] : []));
      }
    }
    return out;
  },
};
