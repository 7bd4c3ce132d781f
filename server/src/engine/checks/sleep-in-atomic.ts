// sleep-in-atomic: a call that may sleep made with a spinlock or rwlock_t held, or inside an RCU
// read-side section — in the function, or anywhere below a call it makes there (a mutex taken
// by a helper, a GFP_KERNEL allocation two calls down). GFP_ATOMIC and GFP_NOWAIT allocations
// do not sleep (the catalog's gfpArg); a callee that lets go of the caller's spinlock before it
// sleeps is not blamed. The chain to the sleeping call is the evidence; an allocation with the
// GFP flags a function is given is blamed through the caller that passes ones that block.
// Interrupts, bottom halves or preemption turned off by hand count as a held lock does.

import type { Finding } from '../findings';
import { summariesByKey } from '../graph/callGraph';
import { callerMeeting } from '../graph/climb';
import { lockGraph, MAX_FLAGS_CLIMB } from '../graph/dependencies';
import { needContext } from '../graph/globals';
import { ownNeeds } from '../graph/needs';
import { ATOMIC, sleepsOf, steps, type Chain, type Step } from '../graph/reach';
import type { Held } from '../locks/summary';
import { summaryKey } from '../locks/targets';
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

/** The caller path that passes the flags that block, last: the reason the allocation may sleep. */
function callerSteps(from: Chain | readonly Step[] | undefined) {
  const list = from === undefined ? [] : Array.isArray(from) ? from : steps(from as Chain);
  return list.map((st) => related(st.file, st.at, st.message));
}

export const sleepInAtomic: Check = {
  code: 'sleep-in-atomic',
  run(tree) {
    const out: Finding[] = [];
    const byKey = summariesByKey(tree);
    const ctx = needContext(tree, byKey);
    for (const s of allSummaries(tree)) {
      for (const z of sleepsOf(s)) {
        const h = z.held.find((x) => ATOMIC.has(x.primitive));
        if (!h) continue;
        // Allocating with the caller's GFP flags: it sleeps if a caller passes ones that block.
        const from = z.callerFlags ? callerMeeting(byKey, summaryKey(s), ownNeeds(s, z.when, ctx), undefined, MAX_FLAGS_CLIMB, ctx) : undefined;
        if (z.callerFlags && !from) continue;
        out.push(finding('sleep-in-atomic', 'error', s, z.at, Math.max(1, z.what.length - 2),
          `${z.what} may sleep, ${context(h)}${from ? ', with the GFP flags its caller passes' : ''}`, [h.class],
          [related(s.file, h.at, SECTION_WORDS[h.primitive]?.begins ?? `${describe(h)} acquired here`), ...callerSteps(from)]));
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
        related: [...[first!, call!, ...rest].map((st) => related(st.file, st.at, st.message)), ...callerSteps(z.flagsFrom)],
        fixes: [],
      });
    }
    return out;
  },
};
