// lock-inversion: a cycle in the lock-order graph — lockdep's "possible circular locking
// dependency". Seed 000: devlink_mutex → mdev_parent.unreg_sem (unregistering from a devlink
// command) and mdev_parent.unreg_sem → devlink_mutex (a driver's create callback).

import type { Finding } from '../findings';
import { lockGraph, type Dependency } from '../graph/dependencies';
import { cycles } from '../graph/cycles';
import type { Check } from './registry';
import { cycleRepairs } from './support';

function scenario(cycle: readonly Dependency[]): string {
  if (cycle.length === 2) {
    const [ab, ba] = cycle as [Dependency, Dependency];
    return `CPU0: lock(${ab.from.class}); CPU1: lock(${ba.from.class}); CPU0: lock(${ab.to.class}) waits; CPU1: lock(${ba.to.class}) waits — deadlock`;
  }
  return `chain exists of: ${cycle.map((d) => d.from.class).join(' --> ')} --> ${cycle[0]!.from.class}`;
}

export const lockInversion: Check = {
  code: 'lock-inversion',
  run(tree) {
    const out: Finding[] = [];
    for (const cycle of cycles(lockGraph(tree).dependencies)) {
      if (cycle.some((d) => d.to.primitive === 'srcu')) continue; // through synchronize_srcu(): srcu-deadlock
      // Reported where the shortest chain takes its second lock: the acquisition that closes it.
      const closing = [...cycle].sort((a, b) => a.chain.length - b.chain.length || (a.chain.at(-1)!.file < b.chain.at(-1)!.file ? -1 : 1))[0]!;
      const at = closing.chain.at(-1)!;
      const classes = cycle.map((d) => d.from.class);
      const related = cycle.flatMap((d) => d.chain.map((s) => ({ file: s.file, line: s.at.line, column: s.at.column, message: `[${d.from.class} -> ${d.to.class}] ${s.message}` })));
      out.push({
        code: 'lock-inversion', severity: 'error',
        message: `possible circular locking dependency: ${classes.join(' -> ')} -> ${classes[0]} (${scenario(cycle)})`,
        file: at.file, line: at.at.line, column: at.at.column, endLine: at.at.line, endColumn: at.at.column + 1,
        locks: classes, related, fixes: [], repairs: cycleRepairs(tree, cycle),
      });
    }
    return out;
  },
};
