// What a function does to its caller's locks, read off its summary: it releases a lock it never
// takes (the caller's — kvm_swap_active_memslots() drops kvm->slots_arch_lock), or it returns
// holding a lock on every path (a lock helper). A caller's walk applies these at the call, with
// the callee's parameters replaced by the caller's arguments.

import type { FunctionSymbol } from '../index/symbols';
import type { Fallible } from './catalog';
import { bareLock, type Exit, type FunctionSummary, type Lock } from './summary';

export interface CallerEffect {
  readonly kind: 'acquire' | 'release';
  readonly lock: Lock;
  /**
   * A conditional lock helper: the lock is held when it returns true (`try`) or 0
   * (`interruptible`), like the primitive it wraps (`lock_mutex_and_test_alive()`).
   */
  readonly fallible?: Fallible;
  /** The lock is reached from this parameter: `kvm->slots_arch_lock` from parameter 0 `kvm`. */
  readonly param?: { readonly index: number; readonly rest: string };
}

/** Splits `kvm->slots_arch_lock` into the parameter it starts from (by index) and the rest. */
export function fromParameter(instance: string, parameters: readonly string[]): CallerEffect['param'] {
  const m = /^([A-Za-z_]\w*)((?:->|\.|\[).*)?$/.exec(instance);
  if (!m) return undefined;
  const index = parameters.indexOf(m[1]!);
  return index < 0 ? undefined : { index, rest: m[2] ?? '' };
}

/**
 * A callee's parameter path read in its caller, given the argument (blanks removed):
 * `&pdev->dev` for `dev` turns `dev->mutex` into `pdev->dev.mutex`, and `&l` for `lock` is `l`.
 */
export function throughArgument(arg: string, rest: string): string {
  if (!arg.startsWith('&')) return `${arg}${rest}`;
  const object = arg.slice(1).replace(/^\((.*)\)$/, '$1');
  return rest ? `${object}${rest.replace(/^->/, '.')}` : object;
}


export function callerEffects(s: FunctionSummary, fn: FunctionSymbol): CallerEffect[] {
  const out: CallerEffect[] = [];
  const seen = new Set<string>();
  const add = (kind: CallerEffect['kind'], lock: Lock, fallible?: CallerEffect['fallible']) => {
    const key = `${kind}#${lock.instance}`;
    if (seen.has(key)) return;
    seen.add(key);
    const param = fromParameter(lock.instance, fn.parameters.map((p) => p.name));
    out.push({ kind, lock: bareLock(lock), ...(param && { param }), ...(fallible && { fallible }) });
  };
  // The caller's lock dropped here (released where this function had not taken it).
  const dropped = new Set(s.releases.filter((r) => r.unheldOnSomePath).map((r) => r.lock.instance));
  const retaken = new Set(s.acquisitions.map((a) => a.lock.instance));
  const heldAtEveryExit = (instance: string) => s.exits.length > 0 && s.exits.every((e) => e.held.some((x) => x.instance === instance));
  for (const r of s.releases) {
    // Dropped and retaken (rpm_suspend() around its callbacks): no net effect on the caller.
    if (!dropped.has(r.lock.instance) || r.heldOnSomePath || retaken.has(r.lock.instance)) continue;
    add('release', r.lock);
  }
  // Returned holding on every path, not having dropped it first: a lock helper. A lock the
  // function requires of its caller (`__must_hold`, asserted) and retakes is no new lock.
  const required = new Set(s.requires.map((r) => r.lock.instance));
  for (const h of s.exits[0]?.held ?? []) {
    if (h.fromCaller || h.guardScopeEnd !== undefined || dropped.has(h.instance) || required.has(h.instance)) continue;
    if (heldAtEveryExit(h.instance)) add('acquire', h);
  }
  // Held exactly on the returns of one success constant: a conditional lock helper.
  for (const e of s.exits) {
    for (const h of e.held) {
      if (h.fromCaller || h.guardScopeEnd !== undefined || dropped.has(h.instance) || required.has(h.instance)) continue;
      const holding = s.exits.filter((x) => x.held.some((y) => y.instance === h.instance));
      const others = s.exits.filter((x) => !x.held.some((y) => y.instance === h.instance));
      const fallible = conditionalAcquire(holding, others);
      // Held on the returns of 0 after a trylock (`if (down_trylock(s)) return -EBUSY;`): a
      // trylock that returns 0 on success, not a lock that waits.
      const tried = s.acquisitions.some((a) => a.lock.instance === h.instance && a.try);
      if (fallible) add('acquire', h, fallible === 'interruptible' && tried ? 'try-zero' : fallible);
    }
  }
  return out;
}

const returned = (e: Exit) => e.value?.replace(/[()\s]/g, '');

/**
 * A conditional lock helper's shape: the lock is held exactly on the returns of `1`/`true`,
 * released on those of `0`/`false` (a trylock wrapper), or held on the returns of `0` and not on
 * the others, which return something else (an interruptible wrapper: `-EINTR`, `rc`). Named
 * constants (`IRQ_HANDLED`, `NETDEV_TX_OK`) say nothing of the lock.
 */
export function conditionalAcquire(holding: readonly Exit[], others: readonly Exit[]): 'try' | 'interruptible' | undefined {
  const values = new Set(holding.map(returned));
  if (values.size !== 1 || others.length === 0) return undefined;
  const [v] = values;
  if ((v === '1' || v === 'true') && others.every((e) => ['0', 'false'].includes(returned(e) ?? ''))) return 'try';
  if (v === '0' && others.every((e) => returned(e) !== undefined && returned(e) !== '0')) return 'interruptible';
  return undefined;
}

/** The instance a callee's lock has at a call: the parameter replaced by the argument. */
export function instanceAtCall(effect: CallerEffect, args: readonly string[]): string | undefined {
  if (!effect.param) return effect.lock.instance.includes('->') || effect.lock.instance.includes('.') ? undefined : effect.lock.instance;
  const arg = args[effect.param.index]?.replace(/\s+/g, '');
  return arg === undefined ? undefined : throughArgument(arg, effect.param.rest);
}
