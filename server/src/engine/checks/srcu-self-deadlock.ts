// srcu-self-deadlock: synchronize_srcu(S) reached inside a read-side section of S — it waits for
// every reader of S, its own caller among them, forever. In one function, or through calls
// (a registry's reader calls a helper that unregisters and synchronizes), the srcu_struct mapped
// through the call's arguments as locks are (graph/dependencies.ts recursions).

import type { Finding } from '../findings';
import { lockGraph } from '../graph/dependencies';
import type { Check } from './registry';
import { allSummaries, describe, finding, related } from './support';

export const srcuSelfDeadlock: Check = {
  code: 'srcu-self-deadlock',
  run(tree) {
    const out: Finding[] = [];
    for (const s of allSummaries(tree)) {
      for (const a of s.acquisitions) {
        if (!a.sync) continue;
        const reader = a.held.find((h) => h.primitive === 'srcu' && h.instance === a.lock.instance);
        if (!reader) continue;
        out.push(finding('srcu-self-deadlock', 'error', s, a.at, a.call.indexOf('(') > 0 ? a.call.indexOf('(') : 1,
          `${a.call} waits for every reader of ${describe(a.lock)}, and this path is one: it never returns`, [a.lock.class],
          [related(s.file, reader.at, `the read-side section of ${describe(reader)} begins here`)]));
      }
    }
    for (const r of lockGraph(tree).recursions) {
      if (r.lock.primitive !== 'srcu') continue;
      const [first, call, ...rest] = r.chain;
      const sync = rest.at(-1)!;
      out.push({
        code: 'srcu-self-deadlock', severity: 'error',
        message: `${call!.message.replace(/ with .* held$/, '')} inside a read-side section of ${r.lock.class} (${r.instance}), and ${sync.function}() waits there for every reader of it — this one included (synchronize_srcu() in its own reader never returns)`,
        file: r.file, line: call!.at.line, column: call!.at.column, endLine: call!.at.line, endColumn: call!.at.column + 1,
        locks: [r.lock.class],
        related: [first!, call!, ...rest].map((st) => related(st.file, st.at, st.message)),
        fixes: [],
      });
    }
    return out;
  },
};
