// sleep-in-atomic: a call that may sleep made with a spinlock or rwlock_t held, or inside an RCU
// read-side section — in the function, or anywhere below a call it makes there (a mutex taken
// by a helper, a GFP_KERNEL allocation two calls down). GFP_ATOMIC and GFP_NOWAIT allocations
// do not sleep (the catalog's gfpArg); a callee that lets go of the caller's spinlock before it
// sleeps is not blamed. The chain to the sleeping call is the evidence. Disabled interrupts and
// preemption are not tracked yet, only the locks that imply them.

import type { Finding } from '../findings';
import { lockGraph } from '../graph/dependencies';
import { ATOMIC, sleepsOf } from '../graph/reach';
import { isGfpTest } from '../locks/catalog';
import type { Held } from '../locks/summary';
import type { Check } from './registry';
import { allSummaries, describe, finding, related } from './support';

/** Where a section of atomic context stands, in words; a lock's is "with L held". */
const SECTION_WORDS: Readonly<Record<string, { context: string; begins: string }>> = {
  rcu: { context: 'inside an RCU read-side section', begins: 'the RCU read-side section begins here' },
  irq: { context: 'with interrupts disabled', begins: 'interrupts disabled here' },
  bh: { context: 'with bottom halves disabled', begins: 'bottom halves disabled here' },
  preempt: { context: 'with preemption disabled', begins: 'preemption disabled here' },
};
const context = (h: Held) => SECTION_WORDS[h.primitive]?.context ?? `with ${describe(h)} held (a ${h.primitive === 'rwlock' ? 'rwlock_t' : 'spinlock'}: atomic)`;

export const sleepInAtomic: Check = {
  code: 'sleep-in-atomic',
  run(tree) {
    const out: Finding[] = [];
    for (const s of allSummaries(tree)) {
      for (const z of sleepsOf(s)) {
        const h = z.held.find((x) => ATOMIC.has(x.primitive));
        // Allocating with the caller's GFP flags: whether it sleeps is the caller's to say.
        if (!h || Object.keys(z.when ?? {}).some(isGfpTest)) continue;
        out.push(finding('sleep-in-atomic', 'error', s, z.at, Math.max(1, z.what.length - 2),
          `${z.what} may sleep, ${context(h)}`, [h.class],
          [related(s.file, h.at, SECTION_WORDS[h.primitive]?.begins ?? `${describe(h)} acquired here`)]));
      }
    }
    for (const z of lockGraph(tree).sleeps) {
      const [first, call, ...rest] = z.chain;
      const sleep = rest.at(-1)!;
      out.push({
        code: 'sleep-in-atomic', severity: 'error',
        message: `${call!.message.replace(/ with .* held$/, '')} ${context(z.held)}, and ${sleep.message.replace(/ here, in .*$/, '')} there, in ${sleep.function}()`,
        file: z.file, line: call!.at.line, column: call!.at.column, endLine: call!.at.line, endColumn: call!.at.column + 1,
        locks: [z.held.class],
        related: [first!, call!, ...rest].map((st) => related(st.file, st.at, st.message)),
        fixes: [],
      });
    }
    return out;
  },
};
