// The walk's abstract state on one path: the locks held, in the order taken, and the results of
// fallible acquisitions not yet tested (`ret = mutex_lock_interruptible(&l); if (ret) …`).
// States are immutable; the walk keeps a small set of them per program point.

import type { Held, Lock } from './summary';
import type { Fallible } from './catalog';

/** A fallible acquisition whose result sits in a variable until a condition tests it. */
export interface Pending {
  readonly lock: Held;
  readonly fallible: Fallible;
  /** The call as written, for the acquisition recorded once the result is tested. */
  readonly call: string;
  /** Taken by a helper of the tree, not a primitive. */
  readonly helper?: true;
}

export interface State {
  readonly held: readonly Held[];
  readonly pending: ReadonlyMap<string, Pending>;
  /**
   * What this path knows of simple conditions it has tested (`bridge` → true), kept only where
   * it tells paths with different locks apart: `if (bridge) pci_dev_lock(bridge); … if (bridge)
   * pci_dev_unlock(bridge);` then pairs the unlock with the lock.
   */
  readonly facts: ReadonlyMap<string, boolean>;
  /** Instances this function released on this path: an exit without them "released" them. */
  readonly released: readonly string[];
}

export const EMPTY: State = { held: [], pending: new Map(), facts: new Map(), released: [] };

export function heldKey(held: readonly Held[]): string {
  return held.map((h) => `${h.instance}/${h.mode}/${h.subclass ?? ''}/${h.guardScopeEnd ?? ''}/${h.srcuIndex ?? ''}`).join('|');
}

// Fact maps are immutable and shared by many states: their sorted entries are computed once.
const entriesOf = new WeakMap<ReadonlyMap<string, boolean>, { key: string; text: string }[]>();

/** The facts as sorted `k`/`!k` entries, with the key each came from. */
function factEntries(facts: ReadonlyMap<string, boolean>): { key: string; text: string }[] {
  let out = entriesOf.get(facts);
  if (!out) {
    out = [...facts].map(([key, v]) => ({ key, text: `${v ? '' : '!'}${key}` })).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    entriesOf.set(facts, out);
  }
  return out;
}

// States are immutable and compared often (dedupe at every join): each key is computed once.
const stateKeys = new WeakMap<State, string>();

export function stateKey(s: State): string {
  let key = stateKeys.get(s);
  if (key === undefined) {
    key = `${heldKey(s.held)}#${[...s.pending.keys()].sort().join(',')}#${factEntries(s.facts).map((e) => e.text).join(',')}#${s.released.join(',')}`;
    stateKeys.set(s, key);
  }
  return key;
}

/**
 * The objects a list walk's earlier passes reached through its cursor, as one instance:
 * `each:dev->dev.mutex` for all the `dev->dev.mutex` a `list_for_each_entry(dev, …)` took.
 */
export const eachOf = (instance: string): string => (instance.startsWith('each:') ? instance : `each:${instance}`);
/** The instance a set entry stands for: `dev->dev.mutex` for `each:dev->dev.mutex`. */
export const elementOf = (instance: string): string => instance.replace(/^each:/, '');
export const isSet = (instance: string): boolean => instance.startsWith('each:');

/** The instance is reached through one of these variables: `dev`, `dev->mutex`, `dev.x`, `dev[i]`. */
export function rootedAt(instance: string, cursors: readonly string[]): boolean {
  return cursors.some((c) => instance === c || instance.startsWith(`${c}->`) || instance.startsWith(`${c}.`) || instance.startsWith(`${c}[`));
}

/** `name` now points elsewhere: what it released before was another object's lock. */
export function forgetReleases(s: State, name: string): State {
  const rooted = (r: string) => rootedAt(r, [name]);
  return s.released.some(rooted) ? { ...s, released: s.released.filter((r) => !rooted(r)) } : s;
}

/** This path released `instance` although it did not hold it (its caller's). */
export function releasedUnheld(s: State, instance: string): State {
  return s.released.includes(instance) ? s : { ...s, released: [...s.released, instance].sort() };
}

/** `held` without entry `i`, which this path has now released. */
export function released(s: State, i: number): State {
  const instance = s.held[i]!.instance;
  return {
    ...s,
    held: s.held.filter((_, k) => k !== i),
    released: s.released.includes(instance) ? s.released : [...s.released, instance].sort(),
  };
}

/** Facts a path keeps at most: the oldest go first (they rarely decide a lock far away). */
const MAX_FACTS = 16;

export function withFact(s: State, key: string, value: boolean | undefined): State {
  const facts = new Map(s.facts);
  facts.delete(key);
  if (value !== undefined) facts.set(key, value);
  while (facts.size > MAX_FACTS) facts.delete(facts.keys().next().value!);
  return { ...s, facts };
}

const mentionPatterns = new Map<string, RegExp>();
// What forgetting a name leaves of a fact map (the same map when nothing mentions it).
const forgotten = new WeakMap<ReadonlyMap<string, boolean>, Map<string, ReadonlyMap<string, boolean>>>();

/** Forgets what was known of conditions that mention `name` (`i < n` after `i++`). */
export function forget(s: State, name: string): State {
  if (!name || s.facts.size === 0) return s;
  let memo = forgotten.get(s.facts);
  if (!memo) forgotten.set(s.facts, (memo = new Map()));
  let facts = memo.get(name);
  if (!facts) {
    facts = without(s.facts, name);
    memo.set(name, facts);
  }
  return facts === s.facts ? s : { ...s, facts };
}

function without(facts: ReadonlyMap<string, boolean>, name: string): ReadonlyMap<string, boolean> {
  let pattern: RegExp | undefined;
  const mentions = (k: string) => {
    if (!k.includes(name)) return false;
    pattern ??= mentionPatterns.get(name);
    if (!pattern) {
      pattern = new RegExp(`(^|[^\\w.>])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`);
      mentionPatterns.set(name, pattern);
    }
    return pattern.test(k);
  };
  let any = false;
  for (const k of facts.keys()) if (mentions(k)) { any = true; break; }
  return any ? new Map([...facts].filter(([k]) => !mentions(k))) : facts;
}

/**
 * Joins paths that differ only in what they know of one condition: the fact told nothing about
 * locks there, and keeping it would only multiply paths.
 */
export function mergeFacts(states: readonly State[]): State[] {
  if (states.length < 2 || !states.some((s) => s.facts.size > 0)) return [...states];
  // Only paths alike in all but facts can join: group them first, most joins have none.
  const groups = new Map<string, State[]>();
  for (const s of states) {
    const base = `${heldKey(s.held)}#${[...s.pending.keys()].sort().join(',')}#${s.released.join(',')}`;
    const g = groups.get(base);
    if (g) g.push(s);
    else groups.set(base, [s]);
  }
  if (groups.size === states.length) return [...states];
  const out: State[] = [];
  for (const g of groups.values()) out.push(...(g.length < 2 ? g : mergeGroup(g)));
  return out;
}

/** Joins paths of one group (same locks) that differ only in one fact, until none do. */
function mergeGroup(states: readonly State[]): State[] {
  let out = [...states];
  for (;;) {
    // Only a condition some paths know true and others false can join two of them.
    const values = new Map<string, number>();
    for (const s of out) for (const [k, v] of s.facts) values.set(k, (values.get(k) ?? 0) | (v ? 1 : 2));
    const split = new Set<string>();
    for (const [k, v] of values) if (v === 3) split.add(k);
    if (split.size === 0) return out;
    // One pass joins every pair it finds; a joined state may join again in the next pass.
    const byRest = new Map<string, number>();
    const used = new Set<number>();
    const next: State[] = [];
    for (let i = 0; i < out.length; i++) {
      const s = out[i]!;
      let entries: { key: string; text: string }[] | undefined;
      for (const [k, v] of s.facts) {
        if (!split.has(k) || used.has(i)) continue;
        entries ??= factEntries(s.facts);
        const rest = `${k}@${entries.filter((e) => e.key !== k).map((e) => e.text).join(',')}`;
        const j = byRest.get(rest);
        if (j !== undefined && !used.has(j) && out[j]!.facts.get(k) !== v) {
          used.add(i);
          used.add(j);
          next.push(withFact(s, k, undefined));
        } else if (j === undefined) {
          byRest.set(rest, i);
        }
      }
    }
    if (used.size === 0) return out;
    out = [...out.filter((_, i) => !used.has(i)), ...next];
  }
}

/** At most this many distinct states per program point; beyond, the walk says it is partial. */
export const MAX_STATES = 24;

/** Distinct states, first seen first; `overflow` is called when some had to be dropped. */
export function dedupe(states: readonly State[], overflow: () => void): State[] {
  const seen = new Set<string>();
  const out: State[] = [];
  for (const s of states) {
    const k = stateKey(s);
    if (seen.has(k)) continue;
    seen.add(k);
    if (out.length === MAX_STATES) {
      overflow();
      break;
    }
    out.push(s);
  }
  return out;
}

export function withHeld(s: State, held: readonly Held[]): State {
  return { ...s, held };
}

export function withPending(s: State, name: string, p: Pending | undefined): State {
  const pending = new Map(s.pending);
  if (p) pending.set(name, p);
  else pending.delete(name);
  return { ...s, pending };
}

/**
 * The held entry a release or assertion of `lock` refers to: the same instance; else, for a lock
 * known only by its class, one of that class. (A loop's `each:` set is released by its walk.)
 */
export function findHeld(held: readonly Held[], lock: Lock): number {
  for (let i = held.length - 1; i >= 0; i--) if (held[i]!.instance === lock.instance) return i;
  if (lock.instance !== lock.class) return -1;
  for (let i = held.length - 1; i >= 0; i--) if (held[i]!.class === lock.class) return i;
  return -1;
}

/** Leaving scopes that end at or before `end`: their guards release. */
export function dropGuards(s: State, end: number): State {
  if (!s.held.some((h) => h.guardScopeEnd !== undefined && h.guardScopeEnd <= end)) return s;
  return withHeld(s, s.held.filter((h) => h.guardScopeEnd === undefined || h.guardScopeEnd > end));
}

/** A `goto` to `target`: guards whose life does not span the label release (forward or back). */
export function dropGuardsLeaving(s: State, target: number): State {
  const leaves = (h: Held) => h.guardScopeEnd !== undefined && (target >= h.guardScopeEnd || target < h.at.offset);
  return s.held.some(leaves) ? withHeld(s, s.held.filter((h) => !leaves(h))) : s;
}

/** At a return every guard releases. */
export function dropAllGuards(s: State): State {
  return dropGuards(s, Number.MAX_SAFE_INTEGER);
}
