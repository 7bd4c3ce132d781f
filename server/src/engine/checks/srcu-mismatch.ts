// srcu-mismatch: srcu_read_unlock() of another srcu_struct, or with another index, than the
// srcu_read_lock() that entered the section. The section entered is never left.
import type { Finding } from '../findings';
import type { Check } from './registry';
import { allSummaries, finding } from './support';

export const srcuMismatch: Check = {
  code: 'srcu-mismatch',
  run(tree) {
    const out: Finding[] = [];
    for (const s of allSummaries(tree)) {
      for (const r of s.releases) {
        if (!r.srcuMismatch) continue;
        out.push(finding('srcu-mismatch', 'warning', s, r.at, r.call.indexOf('(') > 0 ? r.call.indexOf('(') : 1,
          `${r.call} does not leave the SRCU read-side section it is in: ${r.srcuMismatch}`, [r.lock.class], []));
      }
    }
    return out;
  },
};
