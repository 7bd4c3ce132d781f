// lock-inversion: a cycle in the lock-order graph — lockdep's "possible circular locking
// dependency". Seed 000: devlink_mutex → mdev_parent.unreg_sem (unregistering from a devlink
// command) and mdev_parent.unreg_sem → devlink_mutex (a driver's create callback).

import type { Finding } from '../findings';
import { dependencies, type Dependency } from '../graph/dependencies';
import type { Check } from './registry';

const MAX_CYCLE = 3;

/** Elementary cycles of up to MAX_CYCLE classes, each once, shortest first. */
function cycles(deps: ReadonlyMap<string, Dependency>): Dependency[][] {
  const out = new Map<string, Dependency[]>();
  const edges = new Map<string, Dependency[]>();
  for (const d of deps.values()) {
    const list = edges.get(d.from.class);
    if (list) list.push(d);
    else edges.set(d.from.class, [d]);
  }
  const walk = (start: string, path: Dependency[]) => {
    const last = path.length ? path[path.length - 1]!.to.class : start;
    for (const d of edges.get(last) ?? []) {
      if (d.to.class === start) {
        const cycle = [...path, d];
        const classes = cycle.map((x) => x.from.class);
        const key = [...classes].sort().join(' ');
        if (!out.has(key)) out.set(key, cycle);
      } else if (path.length + 1 < MAX_CYCLE && !path.some((p) => p.from.class === d.to.class) && d.to.class > start) {
        walk(start, [...path, d]);
      }
    }
  };
  for (const c of [...edges.keys()].sort()) walk(c, []);
  // A longer cycle through two classes that already form one of their own says nothing new.
  const pair = (a: string, b: string) => deps.has(`${a} -> ${b}`) && deps.has(`${b} -> ${a}`);
  const redundant = (cycle: Dependency[]) =>
    cycle.length > 2 && cycle.some((x) => cycle.some((y) => x !== y && pair(x.from.class, y.from.class)));
  return [...out.values()].filter((c) => !redundant(c)).sort((a, b) => a.length - b.length);
}

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
    for (const cycle of cycles(dependencies(tree))) {
      // Reported where the shortest chain takes its second lock: the acquisition that closes it.
      const closing = [...cycle].sort((a, b) => a.chain.length - b.chain.length || (a.chain.at(-1)!.file < b.chain.at(-1)!.file ? -1 : 1))[0]!;
      const at = closing.chain.at(-1)!;
      const classes = cycle.map((d) => d.from.class);
      const related = cycle.flatMap((d) => d.chain.map((s) => ({ file: s.file, line: s.at.line, column: s.at.column, message: `[${d.from.class} -> ${d.to.class}] ${s.message}` })));
      out.push({
        code: 'lock-inversion', severity: 'error',
        message: `possible circular locking dependency: ${classes.join(' -> ')} -> ${classes[0]} (${scenario(cycle)})`,
        file: at.file, line: at.at.line, column: at.at.column, endLine: at.at.line, endColumn: at.at.column + 1,
        locks: classes, related, fixes: [],
      });
    }
    return out;
  },
};
