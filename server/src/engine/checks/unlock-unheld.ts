// unlock-unheld: a release of a lock not held on some path — a double unlock, or an unlock on a
// path that never took the lock. A function that only releases its caller's lock (an unlock
// helper) holds it on no path and takes it nowhere: that is its contract, not a finding.
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
        const taken = s.acquisitions.find((a) => a.lock.instance === r.lock.instance);
        if (!r.heldOnSomePath && !taken) continue; // the caller's lock: an unlock helper
        out.push(finding('unlock-unheld', 'warning', s, r.at, r.call.indexOf('(') > 0 ? r.call.indexOf('(') : 1,
          `${r.call} releases ${describe(r.lock)}, which is not held on some path to here`, [r.lock.class],
          taken ? [related(s.file, taken.at, `${describe(r.lock)} is acquired here`)] : []));
      }
    }
    return out;
  },
};
