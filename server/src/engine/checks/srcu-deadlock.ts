// srcu-deadlock: synchronize_srcu(S) reached while holding L, where a reader of S takes L — the
// updater waits for the reader, the reader for L. Seed 000's SRCU form: devlink_mutex held →
// mdev_unregister_device() → synchronize_srcu(&parent->unreg_srcu), while the create callback,
// inside an unreg_srcu read section, takes devlink_mutex. Modelled as lockdep does since 2023: a
// read section is a recursive read of S, synchronize_srcu() a write of it, so the deadlock is a
// strong cycle of the lock graph through S (cycles.ts); lock-inversion leaves these to this check.

import type { Finding, Repair } from '../findings';
import { cycles } from '../graph/cycles';
import { lockGraph, type Dependency } from '../graph/dependencies';
import type { Check } from './registry';

export const srcuDeadlock: Check = {
  code: 'srcu-deadlock',
  run(tree) {
    const out: Finding[] = [];
    for (const cycle of cycles(lockGraph(tree).dependencies)) {
      // The dependency into S is the one that synchronizes: report at that synchronize_srcu().
      const sync = cycle.find((d) => d.to.primitive === 'srcu');
      if (!sync) continue;
      const reader = cycle[(cycle.indexOf(sync) + 1) % cycle.length]!;
      const at = sync.chain.at(-1)!;
      const classes = cycle.map((d) => d.from.class);
      const held = cycle.filter((d) => d !== reader).map((d) => d.from.class);
      out.push({
        code: 'srcu-deadlock', severity: 'error',
        message: `possible deadlock: synchronize_srcu(${sync.to.class}) waits for its readers while ${held.join(', ')} ${held.length > 1 ? 'are' : 'is'} held, and a reader of ${sync.to.class} takes ${reader.to.class} (${scenario(sync, reader)})`,
        file: at.file, line: at.at.line, column: at.at.column, endLine: at.at.line, endColumn: at.at.column + 1,
        locks: classes,
        related: cycle.flatMap((d) => d.chain.map((s) => ({ file: s.file, line: s.at.line, column: s.at.column, message: `[${d.from.class} -> ${d.to.class}] ${s.message}` }))),
        fixes: [],
        repairs: syncRepairs(sync),
      });
    }
    return out;
  },
};

/** Waiting for the readers after letting go of the lock, where one function does both. */
function syncRepairs(sync: Dependency): Repair[] {
  const [held, waits] = sync.chain;
  return held?.kind === 'acquire' && waits?.kind === 'sync' && waits.function === held.function && waits.file === held.file
    ? [{ kind: 'synchronize-after-release', file: waits.file, sync: waits.at.offset, acquired: held.at.offset }]
    : [];
}

function scenario(sync: Dependency, reader: Dependency): string {
  const s = sync.to.class;
  return `CPU0: srcu_read_lock(${s}); CPU1: lock(${sync.from.class}); CPU0: lock(${reader.to.class}) waits; CPU1: synchronize_srcu(${s}) waits — deadlock`;
}
