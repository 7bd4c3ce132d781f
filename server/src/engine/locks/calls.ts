// What a call does to the walk's states: the catalog's effects (acquire, release, assert, wait,
// sleep, …) applied path by path, and every other call recorded with the locks held at it.

import type { SyntaxNode } from '../source/parser';
import { effectsOf, GENERIC_OBJECTS, gfpAllowsBlocking, gfpChoice, GFP_BLOCKING_TEST, guardClasses, isTry, UNKNOWN_KIND, type Catalog, type Effect } from './catalog';
import { expressionType, lockName, type ClassContext } from './classes';
import { instanceAtCall, type CallerEffect } from './effects';
import type { Recorder } from './recorder';
import { callTargets, functionKey, keysOf, type CallTargets } from './targets';
import { findHeld, released, releasedUnheld, withHeld, withPending, type State } from './state';
import type { Held, Lock, Site } from './summary';

type Acquire = Extract<Effect, { kind: 'acquire' }>;

export interface CallContext extends ClassContext {
  readonly catalog: Catalog;
  readonly recorder: Recorder;
  site(offset: number): Site;
  /** What a function of the tree does to its caller's locks (from an earlier round's summaries). */
  readonly helpers?: (callee: string) => readonly CallerEffect[] | undefined;
  /** The instance is reached through the cursor of a loop being walked (`dev` of a list walk). */
  readonly cursorRooted?: (instance: string) => boolean;
  /** Tells the walk a loop body released a cursor-rooted lock: an unlock walk over a set. */
  readonly onCursorRelease?: (instance: string) => void;
  /** Tells the walk a loop body took a cursor-rooted lock. */
  readonly onCursorAcquire?: (instance: string) => void;
  /** The function's parameter names: what a path knows of them is kept with its facts. */
  readonly parameters?: ReadonlySet<string>;
  /**
   * What a fact says of a parameter: the condition with locals set once to a pure expression of
   * a parameter read as that expression (`drv` as `dev->driver`), or undefined when it tests no
   * single parameter. Computed once per fact and function.
   */
  readonly parameterFact?: (fact: string) => string | undefined;
  /**
   * The function takes and releases nothing (no primitive, guard or helper that changes what
   * is held): its paths need not be told apart by what they tested, only by what they know of
   * the parameters (its calls' needs).
   */
  readonly lockFree?: boolean;
  /** The walk is inside a loop of the function. */
  readonly inLoop?: () => boolean;
}

/**
 * What this path knows of conditions on one of the function's parameters: a flag (`locked` is
 * false here) or a test of its fields (`dev->fwnode`, `dev->class==&devlink_class`,
 * `device_pm_not_required(dev)`).
 */
export function paramFacts(s: State, ctx: CallContext): { when?: Record<string, boolean> } {
  if (!ctx.parameters || s.facts.size === 0) return {};
  let when: Record<string, boolean> | undefined;
  for (const [fact, v] of s.facts) {
    const k = ctx.parameterFact?.(fact);
    if (k !== undefined) (when ??= {})[k] = v;
  }
  return when ? { when } : {};
}

const withWhen = (facts: { when?: Record<string, boolean> }, more: Record<string, boolean> | undefined) =>
  more ? { when: { ...facts.when, ...more } } : facts;

/**
 * The functions a local function pointer holds on this path, where the path assigned it
 * (`func = vfio_pci_set_err_trigger;` under `case VFIO_PCI_ERR_IRQ_INDEX:`): its facts say
 * `func==name`. Undefined when the path does not know.
 */
function pointerTargets(s: State, pointer: NonNullable<CallTargets['pointer']>, ctx: CallContext): string[] | undefined {
  const chosen = pointer.candidates.filter((c) => s.facts.get(`${pointer.name}==${c}`) === true);
  if (chosen.length > 0) return keysOf(chosen, ctx);
  return s.facts.get(pointer.name) === false ? [] : undefined;
}

/** `drv` as `dev->driver` where `drv = dev->driver` is the local's only value. */
export function unalias(condition: string, aliases: ReadonlyMap<string, string>): string {
  return condition.replace(/(?<![\w.>])[A-Za-z_]\w*(?![\w(])/g, (name) => aliases.get(name) ?? name);
}

/** The one parameter a condition tests (`dev` of `dev->fwnode`), if it tests just one. */
export function parameterOf(condition: string, parameters: ReadonlySet<string> | readonly string[]): string | undefined {
  const names = new Set(condition.match(/(?<![\w.>])[A-Za-z_]\w*(?!\s*\()/g) ?? []);
  const found = [...names].filter((n) => ('has' in parameters ? parameters.has(n) : parameters.includes(n)));
  return found.length === 1 ? found[0] : undefined;
}

export function args(call: SyntaxNode): SyntaxNode[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is SyntaxNode => a !== null && a.type !== 'comment');
}

/** The name a call is made by: `mutex_lock`, or `parent->ops->remove` as written. */
export function calleeName(call: SyntaxNode, ctx: ClassContext): string {
  const f = call.childForFieldName('function');
  return f ? ctx.text.slice(f.startIndex, f.endIndex).replace(/\s+/g, '') : '';
}

/** The one lock-like thing of each CPU-wide section: its class, when the effect names no operand. */
export const SECTION_CLASS: Readonly<Record<string, string>> = {
  rcu: 'rcu_read_lock', irq: 'local_irq_disable', bh: 'local_bh_disable', preempt: 'preempt_disable',
};

/**
 * Disabling interrupts, bottom halves or preemption opens a section of atomic context, nested
 * like an RCU reader (a count, not a lock): recorded as one, so that what is held tells
 * sleep-in-atomic where it is.
 */
const SECTIONS: Readonly<Record<string, Effect>> = {
  'irq-disable': { kind: 'acquire', primitive: 'irq', mode: 'recursive-read' },
  'irq-enable': { kind: 'release', primitive: 'irq', mode: 'recursive-read' },
  'bh-disable': { kind: 'acquire', primitive: 'bh', mode: 'recursive-read' },
  'bh-enable': { kind: 'release', primitive: 'bh', mode: 'recursive-read' },
  'preempt-disable': { kind: 'acquire', primitive: 'preempt', mode: 'recursive-read' },
  'preempt-enable': { kind: 'release', primitive: 'preempt', mode: 'recursive-read' },
};

function lockOf(effect: { arg?: number; path?: readonly string[]; primitive?: string }, call: SyntaxNode, ctx: CallContext): Omit<Lock, 'primitive' | 'mode'> | undefined {
  if (effect.arg === undefined) {
    const c = SECTION_CLASS[effect.primitive ?? 'rcu'] ?? 'rcu_read_lock';
    return { class: c, instance: c };
  }
  const a = args(call)[effect.arg];
  return a ? lockName(a, effect.path ?? [], ctx) : undefined;
}

function subclassOf(effect: Acquire, call: SyntaxNode, ctx: CallContext): number | undefined {
  if (effect.subclassArg === undefined) return undefined;
  const a = args(call)[effect.subclassArg];
  if (!a) return undefined;
  const text = ctx.text.slice(a.startIndex, a.endIndex).trim();
  if (/^\d+$/.test(text)) return Number(text);
  return text === 'SINGLE_DEPTH_NESTING' ? 1 : 1; // any named subclass is another subclass than 0
}

/** The Held entry an acquisition adds; `lockArg` overrides the catalog's argument (guards). */
export function heldFor(effect: Acquire, call: SyntaxNode, ctx: CallContext, extra: Partial<Held> = {}, lockArg?: SyntaxNode): Held | undefined {
  const name = lockArg ? lockName(lockArg, effect.path ?? [], ctx) : lockOf(effect, call, ctx);
  if (!name) return undefined;
  const subclass = subclassOf(effect, call, ctx);
  return {
    class: name.class,
    instance: name.instance,
    primitive: effect.primitive,
    mode: effect.mode,
    at: ctx.site(call.startIndex),
    ...(name.within && { within: name.within }),
    ...(subclass !== undefined && { subclass }),
    ...(effect.irq && { irq: effect.irq }),
    ...extra,
  };
}

/** Adds `lock` to every state, recording the acquisition (`text`: the call) with what each path held. */
export function acquire(states: readonly State[], lock: Held, isTry: boolean, text: string, ctx: CallContext, helper = false): State[] {
  if (ctx.cursorRooted?.(lock.instance)) ctx.onCursorAcquire?.(lock.instance);
  return states.map((s) => {
    const { class: c, instance, primitive, mode, subclass, within } = lock;
    ctx.recorder.acquisition({
      lock: { class: c, instance, primitive, mode, ...(subclass !== undefined && { subclass }), ...(within && { within }) },
      at: lock.at, held: s.held, try: isTry, call: text, retake: s.released.includes(instance), ...(helper && { helper }), ...paramFacts(s, ctx),
    });
    return withHeld(s, [...s.held, lock]);
  });
}

function release(states: readonly State[], effect: Extract<Effect, { kind: 'release' }>, call: SyntaxNode, ctx: CallContext): State[] {
  const name = lockOf(effect, call, ctx);
  if (!name) return [...states];
  const lock: Lock = { ...name, primitive: effect.primitive, mode: effect.mode ?? 'exclusive' };
  const at = ctx.site(call.startIndex);
  const text = ctx.text.slice(call.startIndex, call.endIndex);
  const indexArg = effect.indexArg !== undefined ? args(call)[effect.indexArg] : undefined;
  const index = indexArg ? ctx.text.slice(indexArg.startIndex, indexArg.endIndex).trim() : undefined;
  const setWalk = ctx.cursorRooted?.(lock.instance) ?? false;
  if (setWalk) ctx.onCursorRelease?.(lock.instance);
  return states.map((s) => {
    let i = findHeld(s.held, lock);
    // An unlock walk's element: one of the set a lock walk took, or of locks the walk cannot
    // count (a roll-back over the elements taken so far). Either way no unheld release.
    if (i < 0 && setWalk) {
      ctx.recorder.release(lock, at, text, true);
      return s;
    }
    // An SRCU unlock of another srcu_struct still leaves the section its index came from.
    if (i < 0 && effect.primitive === 'srcu') {
      i = s.held.findIndex((h) => h.primitive === 'srcu' && index !== undefined && h.srcuIndex === index);
    }
    const held = i >= 0 ? s.held[i]! : undefined;
    let mismatch: string | undefined;
    if (held && effect.primitive === 'srcu') {
      if (held.instance !== lock.instance) mismatch = `section entered on ${held.instance}, left on ${lock.instance}`;
      else if (index !== undefined && held.srcuIndex !== undefined && held.srcuIndex !== index) mismatch = `index ${index}, section entered with ${held.srcuIndex}`;
    }
    ctx.recorder.release(lock, at, text, held !== undefined, {
      ...(index !== undefined && { index }),
      ...(mismatch !== undefined && { mismatch }),
    }, false, held === undefined && s.released.includes(lock.instance));
    return i >= 0 ? released(s, i) : releasedUnheld(s, lock.instance);
  });
}

/**
 * The work item an argument names, by its class: `&x->dwork.work` is the delayed work `x->dwork`
 * (what `INIT_DELAYED_WORK(&x->dwork, fn)` binds), not the generic `delayed_work.work`.
 */
function workItem(a: SyntaxNode | undefined, ctx: CallContext): Omit<Lock, 'primitive' | 'mode'> | undefined {
  if (!a) return undefined;
  const inner = a.type === 'pointer_expression' && a.child(0)?.text === '&' ? a.childForFieldName('argument') : a;
  const field = inner?.type === 'field_expression' && inner.childForFieldName('operator')?.text === '.' && inner.childForFieldName('field')?.text === 'work'
    ? inner.childForFieldName('argument') : null;
  return lockName(field ?? a, [], ctx);
}

/** An unlock that turns interrupts or BHs back on ends such a section left open by hand, if one is. */
function closeSection(states: readonly State[], primitive: 'irq' | 'bh', call: SyntaxNode, ctx: CallContext): State[] {
  const section = SECTIONS[`${primitive}-enable`]!;
  if (section.kind !== 'release') return [...states];
  const open = (s: State) => s.held.some((h) => h.primitive === primitive);
  return states.flatMap((s) => (open(s) ? release([s], section, call, ctx) : [s]));
}

/**
 * Applies a call's effects. `result` names the variable the call's value is stored in: a fallible
 * acquisition then waits there until a condition tests it, and `srcu_read_lock` records its index.
 */
export function applyCall(states: readonly State[], call: SyntaxNode, ctx: CallContext, result?: string, into?: SyntaxNode): State[] {
  const name = calleeName(call, ctx);
  const effects = effectsOf(ctx.catalog, name);
  const at = ctx.site(call.startIndex);
  const text = ctx.text.slice(call.startIndex, call.endIndex);
  if (!effects) {
    const { targets, through, pointer } = callTargets(call, ctx);
    const argNodes = args(call);
    const argTexts = argNodes.map((a) => ctx.text.slice(a.startIndex, a.endIndex).replace(/\s+/g, ''));
    const embedded = targets.length > 0 ? argNodes.map((a) => embeddingOf(a, ctx)) : [];
    const more = { ...(embedded.some((e) => e !== null) && { embedded }), ...(through !== undefined && { through }) };
    for (const s of states) {
      const mine = pointer ? pointerTargets(s, pointer, ctx) ?? targets : targets;
      ctx.recorder.call({ callee: name, at, held: s.held, text, targets: mine, args: argTexts, ...more, ...paramFacts(s, ctx) });
    }
    const helper = ctx.helpers?.(name);
    return helper ? applyHelper(states, helper, call, ctx, false, result, argTexts) : [...states];
  }
  let out = [...states];
  for (const effect of effects) {
    switch (effect.kind) {
      case 'acquire': {
        const lock = heldFor(effect, call, ctx, effect.returnsIndex && result ? { srcuIndex: result } : {});
        if (!lock) break;
        if (effect.fallible && result) out = out.map((s) => withPending(s, result, { lock, fallible: effect.fallible!, call: text }));
        else out = acquire(out, lock, isTry(effect.fallible), text, ctx);
        break;
      }
      case 'release':
        out = release(out, effect, call, ctx);
        if (effect.irq) out = closeSection(out, effect.irq === 'bh' ? 'bh' : 'irq', call, ctx);
        break;
      case 'downgrade': {
        const name2 = lockOf(effect, call, ctx);
        if (name2) {
          out = out.map((s) => withHeld(s, s.held.map((h) => (h.instance === name2.instance ? { ...h, mode: 'shared' as const } : h))));
        }
        break;
      }
      case 'assert-held': {
        const name2 = lockOf(effect, call, ctx);
        if (name2) ctx.recorder.requirement({ lock: { ...name2, primitive: effect.primitive ?? 'mutex', mode: effect.mode ?? 'exclusive' }, at, via: 'lockdep_assert_held' });
        break;
      }
      case 'synchronize': case 'srcu-dereference': case 'wait': case 'complete': case 'sleep': case 'async': {
        // The GFP flags of an allocation: GFP_ATOMIC does not sleep; a parameter's flags sleep
        // when the caller's do (a need on the parameter, graph/needs.ts).
        let gfpWhen: Record<string, boolean> | undefined;
        if (effect.kind === 'sleep' && effect.gfpArg !== undefined) {
          const gfp = args(call)[effect.gfpArg];
          const flags = gfp ? ctx.text.slice(gfp.startIndex, gfp.endIndex) : '';
          const blocks = gfpAllowsBlocking(flags);
          const choice = gfpChoice(flags);
          const a = choice && gfpAllowsBlocking(choice.then);
          const b = choice && gfpAllowsBlocking(choice.otherwise);
          const flag = choice && /^!?\w+$/.test(choice.cond) && ctx.parameters ? parameterOf(choice.cond, ctx.parameters) : undefined;
          if (flag !== undefined && a !== undefined && b !== undefined && a !== b) {
            // `atomic ? GFP_ATOMIC : GFP_KERNEL` on a parameter: it sleeps when the caller says so.
            gfpWhen = { [flag]: a === !choice!.cond.startsWith('!') };
          } else if (blocks === false) {
            break;
          } else {
            const param = blocks === undefined && ctx.parameters ? parameterOf(flags, ctx.parameters) : undefined;
            if (param !== undefined) gfpWhen = { [GFP_BLOCKING_TEST.replace('$', param)]: true };
          }
        }
        const operand = (i: number | undefined) => (i !== undefined && args(call)[i] ? lockOf({ arg: i, path: [] }, call, ctx) : undefined);
        const target = effect.kind === 'wait' && effect.on === 'work' ? workItem(args(call)[effect.arg ?? 0], ctx) : operand('arg' in effect ? effect.arg : undefined);
        const targetText = target?.instance;
        const queue = effect.kind === 'async' ? operand(effect.queue)?.class : undefined;
        for (const s of out) {
          ctx.recorder.other({
            kind: effect.kind, callee: name, at, held: s.held, ...(targetText !== undefined && { target: targetText }),
            ...(target && { targetClass: target.class }), ...(effect.kind === 'srcu-dereference' && effect.checked && { checked: true as const }),
            ...(effect.kind === 'wait' && { on: effect.on }), ...(queue !== undefined && { queue }),
            ...withWhen(paramFacts(s, ctx), gfpWhen), ...(gfpWhen && { callerFlags: true as const }),
          });
        }
        // synchronize_srcu(S) as lockdep sees it: S taken for write and let go (srcu-deadlock).
        if (effect.kind === 'synchronize' && effect.primitive === 'srcu' && target) {
          const lock = { class: target.class, instance: target.instance, primitive: 'srcu' as const, mode: 'exclusive' as const, ...(target.within && { within: target.within }) };
          for (const s of out) ctx.recorder.acquisition({ lock, at, held: s.held, try: false, call: text, retake: false, sync: true, ...paramFacts(s, ctx) });
        }
        break;
      }
      case 'thread': {
        // Not a call: the function runs in the new thread. Which one, and on which paths.
        const fn = args(call)[effect.arg];
        const target = fn ? ctx.text.slice(fn.startIndex, fn.endIndex).replace(/^&\s*/, '').trim() : undefined;
        const inLoop = ctx.inLoop?.() ?? false;
        // Where the task is kept (`d->poller = kthread_run(…)`): a kthread_stop() of it stops this one.
        const kept = into ? lockName(into, [], ctx)?.class : result;
        for (const s of out) {
          ctx.recorder.other({
            kind: 'thread', callee: name, at, held: s.held, ...(target && { target }), ...(kept !== undefined && { into: kept }),
            ...(inLoop && { inLoop }), ...paramFacts(s, ctx),
          });
        }
        break;
      }
      case 'bind': {
        // Not a call either: which function runs the work item or timer.
        const item = workItem(args(call)[effect.arg], ctx);
        const fn = args(call)[effect.fn];
        const runs = fn ? ctx.text.slice(fn.startIndex, fn.endIndex).replace(/^&\s*/, '').trim() : undefined;
        if (!item || !runs || !/^\w+$/.test(runs)) break;
        ctx.recorder.other({ kind: 'bind', callee: name, at, held: [], target: item.instance, targetClass: item.class, runs });
        break;
      }
      case 'irq-disable': case 'irq-enable': case 'bh-disable': case 'bh-enable': case 'preempt-disable': case 'preempt-enable': {
        const section = SECTIONS[effect.kind]!;
        if (section.kind === 'acquire') {
          const lock = heldFor(section, call, ctx);
          if (lock) out = acquire(out, lock, false, text, ctx);
        } else if (section.kind === 'release') out = release(out, section, call, ctx);
        break;
      }
      case 'noreturn':
        return [];
      case 'callback-if-true':
        // Outside a condition both outcomes are paths; a condition splits them (walk.ts).
        out = [...out, ...applyCallback(out, effect.arg, call, ctx)];
        break;
      case 'callback':
        // Run before the call returns, with what the caller holds; balanced by convention.
        recordCallback(out, effect.arg, call, ctx);
        break;
    }
  }
  return out;
}

/**
 * `kref_put(ref, release)` when it returns true: `release` ran. Its effects are matched by lock
 * class: it reaches the locks through its own argument (`container_of(ref, …)->fwc->lock`).
 */
export function applyCallback(states: readonly State[], arg: number, call: SyntaxNode, ctx: CallContext): State[] {
  const fn = recordCallback(states, arg, call, ctx);
  if (!fn) return [...states];
  const effects = ctx.helpers?.(fn);
  if (!effects) return [...states];
  return applyHelper(states, effects, call, ctx, true);
}

/**
 * `&x->member` with `x` a struct pointer: that struct (the argument is embedded in it). A
 * generic object (`struct device *`) known no further: UNKNOWN_KIND.
 */
function embeddingOf(arg: SyntaxNode, ctx: CallContext): string | null {
  if (arg.type !== 'pointer_expression' || arg.child(0)?.type !== '&') {
    const type = arg.type === 'identifier' || arg.type === 'field_expression' ? expressionType(arg, ctx) : undefined;
    return type && GENERIC_OBJECTS.has(ctx.index.resolve(type, ctx.file).base) ? UNKNOWN_KIND : null;
  }
  const inner = arg.childForFieldName('argument');
  const object = inner?.type === 'field_expression' ? inner.childForFieldName('argument') : null;
  const type = object ? expressionType(object, ctx) : undefined;
  if (!type) return null;
  const base = ctx.index.resolve(type, ctx.file).base;
  return base.startsWith('struct ') ? base : null;
}

/**
 * The function given as argument `arg` is called from here, as far as the call graph is
 * concerned (with its own arguments, not these). Returns its name.
 */
function recordCallback(states: readonly State[], arg: number, call: SyntaxNode, ctx: CallContext): string | undefined {
  let fn = args(call)[arg];
  if (fn?.type === 'pointer_expression' && fn.text.startsWith('&')) fn = fn.childForFieldName('argument') ?? fn;
  if (fn?.type !== 'identifier') return undefined;
  const at = ctx.site(call.startIndex);
  const def = ctx.index.lookupFunction(fn.text, ctx.file);
  const targets = def ? [functionKey(def)] : [];
  for (const s of states) ctx.recorder.call({ callee: fn.text, at, held: s.held, text: ctx.text.slice(call.startIndex, call.endIndex), targets });
  return fn.text;
}

/**
 * A call to a function of the tree that takes or drops its caller's locks. A lock the caller
 * cannot name (reached through the callee's own locals) is matched by class only for callbacks
 * (`kref_put`'s release reaches the lock through the object it frees); otherwise it is left alone.
 */
function applyHelper(
  states: readonly State[], effects: readonly CallerEffect[], call: SyntaxNode, ctx: CallContext,
  byClass = false, result?: string,
  /** The arguments as written, blanks removed, when the caller has them already. */
  argTexts = args(call).map((a) => ctx.text.slice(a.startIndex, a.endIndex).replace(/\s+/g, '')),
): State[] {
  const at = ctx.site(call.startIndex);
  const text = ctx.text.slice(call.startIndex, call.endIndex);
  let out = [...states];
  for (const e of effects) {
    const instance = byClass ? e.lock.class : instanceAtCall(e, argTexts);
    if (instance === undefined) continue;
    const lock: Lock = { ...e.lock, instance };
    if (e.kind === 'acquire') {
      if (byClass) continue;
      const held = { ...lock, at };
      // A conditional helper's result decides, like a trylock's, once a condition tests it.
      if (e.fallible && result) out = out.map((s) => withPending(s, result, { lock: held, fallible: e.fallible!, call: text, helper: true }));
      else out = acquire(out, held, isTry(e.fallible), text, ctx, true);
      continue;
    }
    // A helper may release only on some of its paths (`if (parent) device_unlock(parent)`), so
    // releasing what this path does not hold is no finding here; it still tells this function's
    // callers that their lock is dropped.
    out = out.map((s) => {
      const i = findHeld(s.held, lock);
      ctx.recorder.release(lock, at, text, i >= 0, undefined, true);
      return i >= 0 ? released(s, i) : s;
    });
  }
  return out;
}

/**
 * `guard(mutex)(&l)` or `scoped_guard(mutex, &l)`: the acquisition of guard class `mutex` on
 * `lockArg` (none for `guard(rcu)()`), released when the scope ending at `scopeEnd` ends.
 */
export function applyGuard(
  states: readonly State[], guardClass: string, lockArg: SyntaxNode | undefined, call: SyntaxNode,
  ctx: CallContext, scopeEnd: number,
): State[] {
  const fn = guardClasses[guardClass];
  const effect = fn ? effectsOf(ctx.catalog, fn)?.find((e): e is Acquire => e.kind === 'acquire') : undefined;
  if (!effect) return [...states];
  const lock = heldFor(effect, call, ctx, { guardScopeEnd: scopeEnd }, effect.arg === undefined ? undefined : lockArg);
  return lock ? acquire(states, lock, isTry(effect.fallible), ctx.text.slice(call.startIndex, call.endIndex), ctx) : [...states];
}
