// What a path through a function needs of its parameters for the path to be taken at all, and
// how a call site meets those needs. Three kinds, by parameter index:
//
// - `3`: its kind, the struct it is embedded in: `xenbus_dev_remove()` downcasts its device to a
//   `struct xenbus_device`, so `device_add(&pdev->dev)` of a PCI device cannot reach it;
// - `3?$`: its truth, a flag: `if (!locked) down_read(&pci_bus_sem)` is not taken by a caller
//   passing `true`;
// - `3?$->fwnode`: a condition on it (`$` stands for the parameter): `device_add()` links a
//   device to its firmware node only `if (dev->fwnode)`, which the device of a device link
//   has not (the catalog's KIND_FACTS); `2?$==VFIO_PCI_ERR_IRQ_INDEX`, which a caller passing a
//   constant, or a field only ever set to other constants, does not meet (values.ts);
// - `@cond`: a condition on a file-scope variable (`@!regmap_debugfs_root`), the same in every
//   function: it goes up unchanged until a caller that assigned the variable before the call,
//   whose choice it then is — `xenwatch_thread()` sets `xenwatch_pid` so that the callbacks it
//   runs skip `xenwatch_mutex`, which it holds. That path is not assumed there.

import { FLAG_CONSTANTS, gfpAllowsBlocking, GFP_BLOCKING_TEST, kindFact, UNKNOWN_KIND } from '../locks/catalog';
import { decidableTemplate, template } from '../locks/conditions';
import { parameterOf } from '../locks/calls';
import type { Call, FunctionSummary } from '../locks/summary';
import type { Values } from './values';

/**
 * What working out needs may consult beyond the call itself: known integer values (values.ts),
 * and for each function the file-scope variables some caller above it assigns before calling
 * down (globals.ts) — a condition on any other global is never decided, so it is not carried.
 */
export interface NeedContext {
  readonly values?: Values;
  readonly assignedAbove?: (s: FunctionSummary) => ReadonlySet<string> | undefined;
  /** One object per distinct needs, so that work on equal needs is done once (reach.ts). */
  readonly interned?: Map<string, Needs>;
}

/** `struct x` for a kind; `true`/`false` for a condition. */
export type Need = string;
export type Needs = ReadonlyMap<string, Need>;

export const NO_NEEDS: Needs = new Map();

const keys = new WeakMap<Needs, string>();

/** The needs as one string, the same for equal needs. */
export function needsKey(n: Needs): string {
  if (n.size === 0) return '';
  let k = keys.get(n);
  if (k === undefined) {
    k = [...n].map(([i, c]) => `${i}:${c}`).sort().join(',');
    keys.set(n, k);
  }
  return k;
}

function interned(out: Map<string, Need>, ctx: NeedContext | undefined): Needs {
  if (out.size === 0) return NO_NEEDS;
  if (!ctx?.interned) return out;
  const k = needsKey(out);
  const known = ctx.interned.get(k);
  if (known) return known;
  ctx.interned.set(k, out);
  return out;
}

const paramOf = (key: string) => Number.parseInt(key, 10);
const conditionOf = (key: string) => (key.includes('?') ? key.slice(key.indexOf('?') + 1) : undefined);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The function's own needs at one call or acquisition, worked out once for each.
const owned = new WeakMap<object, readonly [string, Need][]>();

function ownOf(s: FunctionSummary, when: Readonly<Record<string, boolean>> | undefined): readonly [string, Need][] {
  const memo = when && owned.get(when);
  if (memo) return memo;
  const own: [string, Need][] = (s.downcasts ?? []).map((d) => [`${d.param}`, d.container]);
  for (const [condition, value] of Object.entries(when ?? {})) {
    if (condition.startsWith('@')) {
      own.push([condition, String(value)]);
      continue;
    }
    const param = parameterOf(condition, s.parameters);
    if (param === undefined) continue;
    const t = template(condition, param);
    if (decidableTemplate(t)) own.push([`${s.parameters.indexOf(param)}?${t}`, String(value)]);
  }
  if (when) owned.set(when, own);
  return own;
}

/** Adds the function's own needs: its downcasts, and the conditions a call or acquisition is under. */
function withOwn(out: Map<string, Need>, s: FunctionSummary, when: Readonly<Record<string, boolean>> | undefined, ctx?: NeedContext): boolean {
  for (const [key, need] of ownOf(s, when)) {
    if (key.startsWith('@') && !decidable(key, s, ctx)) continue;
    const known = out.get(key);
    if (known !== undefined && known !== need) return false;
    out.set(key, need);
  }
  return true;
}

/** The needs of one of the function's own acquisitions. */
export function ownNeeds(s: FunctionSummary, when: Readonly<Record<string, boolean>> | undefined, ctx?: NeedContext): Needs {
  if (!s.downcasts && !when) return NO_NEEDS;
  const out = new Map<string, Need>();
  return withOwn(out, s, when, ctx) ? interned(out, ctx) : NO_NEEDS;
}

const globalNames = new Map<string, readonly string[]>();

/** A global condition some caller above `s` can decide: it reads a variable one of them assigns. */
function decidable(key: string, s: FunctionSummary, ctx: NeedContext | undefined): boolean {
  if (!ctx?.assignedAbove) return true;
  const above = ctx.assignedAbove(s);
  if (!above || above.size === 0) return false;
  let names = globalNames.get(key);
  if (!names) {
    names = globalKey(key).cond.match(/(?<![\w.>])[A-Za-z_]\w*(?!\s*\()/g) ?? [];
    globalNames.set(key, names);
  }
  return names.some((n) => above.has(n));
}

/**
 * The needs of a callee's path at `call`, as the caller's; undefined when the call cannot take
 * that path. A parameter passed on hands a need to the caller. A kind: an argument embedded in
 * that struct meets it, one embedded in another rules the path out; a generic object of unknown
 * kind (a `struct device` the caller found: `link->consumer`, or one a library function hands
 * its callback) is not followed into a callback that needs a kind — the driver core would reach
 * every bus's callbacks otherwise. A condition: a constant argument, or what the catalog knows
 * of the struct the argument is embedded in, meets it or rules the path out. Anything else tells
 * nothing. The caller's own needs then apply.
 */
export function needsAtCall(needs: Needs, call: Call, caller: FunctionSummary, ctx?: NeedContext): Needs | undefined {
  const values = ctx?.values;
  if (needs.size === 0 && !caller.downcasts && !call.when) return needs;
  const out = new Map<string, Need>();
  for (const [key, need] of needs) {
    if (key.startsWith('@')) {
      const set = assignedBefore(caller, key, call.at.offset, need, values);
      if (set === 'rules out') return undefined;
      if (set === 'unset' && decidable(key, caller, ctx)) out.set(key, need);
      continue;
    }
    const i = paramOf(key);
    const condition = conditionOf(key);
    const arg = call.args?.[i];
    let param = arg !== undefined ? caller.parameters.indexOf(arg) : -1;
    // GFP flags passed on with more added (`gfp | __GFP_NOWARN`): still the caller's flags.
    if (param < 0 && condition === GFP_BLOCKING_TEST && arg !== undefined && gfpAllowsBlocking(arg) === undefined) {
      const p = parameterOf(arg, caller.parameters);
      if (p !== undefined) param = caller.parameters.indexOf(p);
    }
    if (param >= 0) {
      // A condition on a parameter the caller has downcast: what the catalog knows of its kind.
      const kind = condition !== undefined ? caller.downcasts?.find((d) => d.param === param)?.container : undefined;
      const known = kind !== undefined ? kindFact(kind, condition!) : undefined;
      if (known !== undefined && String(known) !== need) return undefined;
      if (known !== undefined) continue;
      // One argument given for two parameters that need different things: no such path.
      const mapped = condition === undefined ? `${param}` : `${param}?${condition}`;
      if (out.has(mapped) && out.get(mapped) !== need) return undefined;
      out.set(mapped, need);
      continue;
    }
    const embedded = call.embedded?.[i];
    if (condition !== undefined) {
      const known = (condition === '$' && arg !== undefined ? FLAG_CONSTANTS[arg] : embedded && embedded !== UNKNOWN_KIND ? kindFact(embedded, condition) : undefined) ??
        (condition === GFP_BLOCKING_TEST && arg !== undefined ? gfpAllowsBlocking(arg) : undefined) ??
        (arg !== undefined && values ? decided(condition, arg, values) : undefined);
      if (known !== undefined && String(known) !== need) return undefined;
      continue;
    }
    if (embedded && embedded !== UNKNOWN_KIND && embedded !== need) return undefined;
    if (embedded === UNKNOWN_KIND || !call.args) return undefined;
  }
  if (!withOwn(out, caller, call.when, ctx)) return undefined;
  return interned(out, ctx);
}

/** The caller assigned a variable the global condition `key` reads before the call. */
function assignedBefore(caller: FunctionSummary, key: string, offset: number, need: Need, values: Values | undefined): 'unset' | 'rules out' | 'meets' {
  const { cond, file } = globalKey(key);
  for (const a of caller.assigns ?? []) {
    const name = new RegExp(`(?<![\\w.>])${escape(a.name)}(?!\\w)`, 'g');
    if (a.offset >= offset || a.file !== file || !name.test(cond)) continue;
    // A constant decides the condition (`root = NULL` keeps `if (!root)`); anything else is the
    // caller's choice to steer the callee (`xenwatch_pid = current->pid`).
    if (a.value === undefined || !values) return 'rules out';
    const vs = values.of(a.value);
    const t = vs?.length === 1 ? values.test(cond.replace(name, '$'), vs[0]!) : undefined;
    if (t === undefined) return 'meets';
    return String(t) === need ? 'meets' : 'rules out';
  }
  return 'unset';
}

/** A need on file-scope variables: its condition, and the file whose `static` it reads, if one. */
export function globalKey(key: string): { cond: string; file?: string } {
  if (!key.startsWith('@{')) return { cond: key.slice(1) };
  const end = key.indexOf('}');
  return { file: key.slice(2, end), cond: key.slice(end + 1) };
}

/** A condition on an argument whose values are known (a constant, a field only set to constants): its truth if all agree. */
function decided(condition: string, arg: string, values: Values): boolean | undefined {
  const vs = values.of(arg);
  if (!vs) return undefined;
  let out: boolean | undefined;
  for (const v of vs) {
    const t = values.test(condition, v);
    if (t === undefined || (out !== undefined && t !== out)) return undefined;
    out = t;
  }
  return out;
}
