// srcu-unprotected-deref: `srcu_dereference(p, S)` on a path that holds no read-side section of S.
// The pointer may be freed as soon as the updater's synchronize_srcu() returns. A static helper
// only ever called inside the section is fine: the requirement climbs to the callers (as
// missing-lock's does), and a call made inside a section of S's class satisfies it.
// srcu_dereference_check() states its own condition and is left alone. A function with no
// callers in the tree is not blamed: its callers may hold the section.

import type { Finding } from '../findings';
import { summariesByKey } from '../graph/callGraph';
import { climbCallers } from '../graph/climb';
import { link, steps, type Chain } from '../graph/reach';
import type { FunctionSummary, Other } from '../locks/summary';
import type { Check } from './registry';
import { related } from './support';

/** How far up the callers a requirement is followed. */
const MAX_CLIMB = 6;

export const srcuUnprotectedDeref: Check = {
  code: 'srcu-unprotected-deref',
  run(tree) {
    const byKey = summariesByKey(tree);
    const analysed = new Set(tree.files);
    const out = new Map<string, Finding>();
    const inside = (held: Other['held'], cls: string) => held.some((h) => h.primitive === 'srcu' && h.class === cls);

    const report = (deref: Other, owner: FunctionSummary, chain: Chain, why: string) => {
      const key = `${owner.file}#${deref.at.offset}`;
      if (out.has(key) || !analysed.has(owner.file)) return;
      out.set(key, {
        code: 'srcu-unprotected-deref', severity: 'warning',
        message: `${deref.callee}() dereferences under ${deref.targetClass}, but ${why}`,
        file: owner.file, line: deref.at.line, column: deref.at.column, endLine: deref.at.line, endColumn: deref.at.column + deref.callee.length,
        locks: [deref.targetClass!], related: steps(chain).map((st) => related(st.file, st.at, st.message)), fixes: [],
      });
    };

    // Up the callers: a path into the function from a caller outside any section of the class.
    // A function with no caller in the tree is not blamed: its callers are not known, and may
    // hold the section (kvm's kvm_io_bus_write() is called under kvm->srcu from arch code).
    const climb = (key: string, deref: Other, owner: FunctionSummary, chain: Chain) => {
      const cls = deref.targetClass!;
      climbCallers(byKey, key, chain, MAX_CLIMB + 1,
        (caller, call) => `${caller.name}() calls ${call.callee}() outside any read-side section of ${cls}`,
        (caller, call, step, level) => {
          if (inside(call.held, cls)) return false;
          if (level < MAX_CLIMB && !caller.acquisitions.some((a) => a.lock.primitive === 'srcu' && a.lock.class === cls)) return true;
          // A caller that takes the section elsewhere but not around this call: the slip is here.
          report(deref, owner, step, `${caller.name}() calls it outside its read-side sections`);
          return false;
        });
    };

    for (const [key, s] of byKey) {
      for (const o of s.others) {
        if (o.kind !== 'srcu-dereference' || o.checked || !o.targetClass || inside(o.held, o.targetClass)) continue;
        const chain = link({ file: s.file, at: o.at, function: s.name, message: `${o.callee}() dereferences under ${o.targetClass} here, in ${s.name}()` });
        // The function itself takes the section elsewhere but not here: the slip is in it.
        if (s.acquisitions.some((a) => a.lock.primitive === 'srcu' && a.lock.class === o.targetClass)) {
          report(o, s, chain, `this path in ${s.name}() is outside its read-side sections`);
          continue;
        }
        climb(key, o, s, chain);
      }
    }
    return [...out.values()];
  },
};
