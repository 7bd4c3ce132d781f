// wait-under-lock: waiting for a completion while holding L, where a path that completes it
// takes L before it gets there — the completer blocks on L, the waiter on the completion. Seed
// 001: unregister waits for `parent->unreg_completion` holding `parent_list_lock`, and a create
// in flight takes `parent_list_lock` before it drops the reference whose last put completes it.
// (Lockdep's attempt at this, crossrelease, was removed for its false positives: here the
// completer's path is read whole, with its chain as evidence.) A complete() that follows a wait
// for the same completion on its path is a semaphore's release, not a completer others wait for.
// Waiting for a work item, a timer or a workqueue (flush_work, cancel_work_sync, del_timer_sync,
// flush_workqueue) is waiting for the function that runs it: the same bug when that function
// takes the lock (graph/work.ts).

import type { Finding } from '../findings';
import { callersOf, namedFunction, summariesByKey } from '../graph/callGraph';
import { climbCallers } from '../graph/climb';
import { lockGraph } from '../graph/dependencies';
import { inGraph, link, steps, type Chain } from '../graph/reach';
import { COMPLETION_INITS } from '../locks/catalog';
import type { FunctionSummary, Site } from '../locks/summary';
import { summaryKey } from '../locks/targets';
import type { Check } from './registry';
import { describe, related } from './support';

const NO_THREADS: ReadonlySet<string> = new Set();

/** How far up the callers a completing path is read. */
const MAX_CLIMB = 4;

/** A lock a path that completes a completion takes before it does. */
interface Taken {
  readonly class: string;
  /** From where the lock is taken down to the complete(). */
  readonly chain: Chain;
}

export const waitUnderLock: Check = {
  code: 'wait-under-lock',
  run(tree) {
    const byKey = summariesByKey(tree);
    const analysed = new Set(tree.files);

    // For each completion class and lock class: the completing paths that take the lock first,
    // by the function they start in (the waiter's own put is no evidence: it holds the lock).
    const needs = new Map<string, Map<string, Map<string, Taken>>>();
    const note = (x: string, t: Taken) => {
      const byLock = needs.get(x) ?? new Map<string, Map<string, Taken>>();
      const byStart = byLock.get(t.class) ?? new Map<string, Taken>();
      const start = `${t.chain.step.file}#${t.chain.step.function}`;
      const old = byStart.get(start);
      if (!old || old.chain.length > t.chain.length) byStart.set(start, t);
      byLock.set(t.class, byStart);
      needs.set(x, byLock);
    };
    const before = (s: FunctionSummary, at: Site, held: readonly { class: string; at: Site; primitive: string }[], next: Chain, x: string) => {
      for (const a of s.acquisitions) {
        if (a.try || a.sync || a.at.offset >= at.offset || !inGraph(a.lock)) continue;
        note(x, { class: a.lock.class, chain: link({ file: s.file, at: a.at, function: s.name, message: `${a.lock.class} acquired here, in ${s.name}(), before it completes ${x}` }, next) });
      }
      for (const h of held) {
        if (!inGraph(h)) continue;
        note(x, { class: h.class, chain: link({ file: s.file, at: h.at, function: s.name, message: `${h.class} held here, in ${s.name}(), while it completes ${x}` }, next) });
      }
    };
    for (const [key, s] of byKey) {
      for (const o of s.others) {
        if (o.kind !== 'complete' || !o.targetClass) continue;
        // Waited for first on its own path, then completed: the completion is used as a
        // semaphore, and this complete() hands it on rather than ends what others wait for.
        if (s.others.some((w) => w.kind === 'wait' && w.targetClass === o.targetClass && w.at.offset < o.at.offset)) continue;
        // Completed right after init_completion(): a fresh semaphore's first "up", which no one
        // can be waiting for yet (mlx5's save_comp).
        if (s.calls.some((c) => COMPLETION_INITS.has(c.callee) && c.args?.[0] === `&${o.target}` && c.at.offset < o.at.offset)) continue;
        const done = link({ file: s.file, at: o.at, function: s.name, message: `${o.callee}() completes ${o.targetClass} here, in ${s.name}()` });
        before(s, o.at, o.held, done, o.targetClass);
        const x = o.targetClass;
        climbCallers(byKey, key, done, MAX_CLIMB, (caller, call) => `${caller.name}() calls ${call.callee}()`, (caller, call, step) => {
          before(caller, call.at, call.held, step, x);
          return true;
        });
      }
    }

    // The kthread functions each file starts (as `file#function`), with where each keeps its task.
    const kthreads = new Map<string, { fn: string; into?: string }[]>();
    for (const s of byKey.values()) {
      for (const o of s.others) {
        if (o.kind !== 'thread' || !o.target || !o.callee.startsWith('kthread_')) continue;
        const fn = namedFunction(byKey, o.target, s.file);
        if (!fn) continue;
        const list = kthreads.get(s.file) ?? [];
        list.push({ fn: `${fn.file}#${fn.name}`, ...(o.into !== undefined && { into: o.into }) });
        kthreads.set(s.file, list);
      }
    }
    /**
     * The kthread functions the waiter's stops before `at` have ended: those whose task is kept
     * where the stop names it; when the file does not say where, only a file that starts one
     * kthread function tells.
     */
    const stoppedBefore = (s: FunctionSummary, at: Site): ReadonlySet<string> => {
      const stops = s.others.filter((o) => o.kind === 'wait' && o.on === 'kthread' && o.at.offset < at.offset);
      const started = kthreads.get(s.file) ?? [];
      if (stops.length === 0 || started.length === 0) return NO_THREADS;
      const kept = started.filter((t) => t.into !== undefined && stops.some((o) => o.targetClass === t.into || o.target === t.into));
      if (kept.length > 0) return new Set(kept.map((t) => t.fn));
      const fns = new Set(started.map((t) => t.fn));
      return fns.size === 1 && started.every((t) => t.into === undefined) ? fns : NO_THREADS;
    };
    // The function runs only below those thread functions (itself one, or called only from them).
    const runsOnlyIn = (step: { file: string; function: string }, fns: ReadonlySet<string>): boolean => {
      if (fns.size === 0) return false;
      const start = namedFunction(byKey, step.function, step.file);
      if (!start) return false;
      const callers = callersOf(byKey);
      const seen = new Set<string>();
      const only = (f: FunctionSummary, depth: number): boolean => {
        if (fns.has(`${f.file}#${f.name}`)) return true;
        const up = callers.get(summaryKey(f)) ?? [];
        if (up.length === 0 || depth >= MAX_CLIMB) return false;
        return up.every(({ caller }) => {
          const k = summaryKey(caller);
          if (seen.has(k)) return true;
          seen.add(k);
          return only(caller, depth + 1);
        });
      };
      return only(start, 0);
    };

    const out: Finding[] = [];
    for (const s of byKey.values()) {
      if (!analysed.has(s.file)) continue;
      for (const w of s.others) {
        if (w.kind !== 'wait' || !w.targetClass) continue;
        const taken = needs.get(w.targetClass);
        if (!taken) continue;
        // A completing path that starts in another function than the waiter's, and not in a
        // kthread the waiter has stopped already: kthread_stop() returns once the thread's
        // function has, so all its complete()s are done (ibmphp's poll thread).
        const stopped = stoppedBefore(s, w.at);
        const other = (cls: string) => [...(taken.get(cls)?.values() ?? [])]
          .filter((t) => !(t.chain.step.file === s.file && t.chain.step.function === s.name) && !runsOnlyIn(t.chain.step, stopped))
          .sort((a, b) => a.chain.length - b.chain.length)[0];
        const h = w.held.find((x) => other(x.class) !== undefined);
        if (!h) continue;
        const t = other(h.class)!;
        out.push({
          code: 'wait-under-lock', severity: 'error',
          message: `${w.callee}() waits for ${w.targetClass} with ${describe(h)} held, and a path that completes it takes ${h.class} first (CPU0: lock(${h.class}); ${w.callee}(); CPU1: lock(${h.class}) waits; complete() never comes — deadlock)`,
          file: s.file, line: w.at.line, column: w.at.column, endLine: w.at.line, endColumn: w.at.column + w.callee.length,
          locks: [h.class],
          related: [
            related(s.file, h.at, `${h.class} acquired here, in ${s.name}()`),
            related(s.file, w.at, `${s.name}() waits for ${w.targetClass} here with ${h.class} held`),
            ...steps(t.chain).map((st) => related(st.file, st.at, st.message)),
          ],
          fixes: [],
        });
      }
    }
    for (const w of lockGraph(tree).workWaits) {
      const { wait, held: h, runner } = w;
      const item = wait.on === 'workqueue' ? `the work on ${wait.targetClass}` : wait.targetClass;
      out.push({
        code: 'wait-under-lock', severity: 'error',
        message: `${wait.callee}() waits for ${item} with ${describe(h)} held, and ${runner.fn.name}(), which runs ${runner.bind.item}, takes ${h.class} (CPU0: lock(${h.class}); ${wait.callee}(); CPU1: ${runner.fn.name}(); lock(${h.class}) waits — deadlock)`,
        file: w.file, line: wait.at.line, column: wait.at.column, endLine: wait.at.line, endColumn: wait.at.column + wait.callee.length,
        locks: [h.class],
        related: [
          related(w.file, h.at, `${h.class} acquired here, in ${w.function}()`),
          related(w.file, wait.at, `${w.function}() waits for ${item} here with ${h.class} held`),
          related(runner.bind.file, runner.bind.at, `${runner.bind.by}() binds ${runner.bind.item} to ${runner.fn.name}() here${runner.bind.in ? `, in ${runner.bind.in}()` : ''}`),
          ...steps(w.chain).map((st) => related(st.file, st.at, st.message)),
        ],
        fixes: [],
      });
    }
    return out;
  },
};
