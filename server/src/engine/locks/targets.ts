// Which functions a call may reach: a direct call's definition (a file's own static first),
// every function bound to the struct field a call goes through (`parent->ops->remove(mdev)`
// reaches each driver's `.remove`), or every function a local function pointer is assigned.
// Functions are named by key: `file#name` (and `#n` for the n-th other definition of the name).

import type { FunctionSymbol } from '../index/symbols';
import type { FunctionSummary } from './summary';
import type { SyntaxNode } from '../source/parser';
import { expressionType, type ClassContext } from './classes';

export function functionKey(fn: FunctionSymbol): string {
  return keyOf(fn.location.file, fn.name, fn.overload);
}

/** The key of the function a summary describes. */
export function summaryKey(s: FunctionSummary): string {
  return keyOf(s.file, s.name, s.overload);
}

// By file and name, not offset: an edit above a function leaves the keys other files' calls
// hold to it as they were (the language server re-reads only the file edited).
const keyOf = (file: string, name: string, overload: number | undefined) => (overload ? `${file}#${name}#${overload}` : `${file}#${name}`);

/** What a call may reach, and the struct whose function field it calls through, if it does. */
export interface CallTargets {
  readonly targets: string[];
  readonly through?: string;
  /** A call through a local function pointer: its name and every function assigned to it. */
  readonly pointer?: { readonly name: string; readonly candidates: readonly string[] };
}

/** The keys of the functions named, as seen from the caller's file. */
export function keysOf(names: readonly string[], ctx: ClassContext): string[] {
  const out = new Set<string>();
  for (const name of names) {
    const def = ctx.index.lookupFunction(name, ctx.file);
    if (def) out.add(functionKey(def));
  }
  return [...out];
}

export function callTargets(call: SyntaxNode, ctx: ClassContext): CallTargets {
  const fn = call.childForFieldName('function');
  if (!fn) return { targets: [] };
  if (fn.type === 'identifier') {
    const local = ctx.scope.localAt(fn.text, call.startIndex) !== undefined;
    const names = local ? ctx.scope.assignedTo?.(fn.text) ?? [] : [fn.text];
    return { targets: keysOf(names, ctx), ...(local && { pointer: { name: fn.text, candidates: names } }) };
  }
  if (fn.type !== 'field_expression') return { targets: [] };
  const field = fn.childForFieldName('field')?.text;
  const receiver = fn.childForFieldName('argument');
  const type = receiver ? expressionType(receiver, ctx) : undefined;
  if (!field || !type) return { targets: [] };
  const struct = ctx.index.resolve(type, ctx.file).base;
  const out = new Set<string>();
  for (const b of ctx.index.bindingsOf(struct, field)) {
    const def = ctx.index.lookupFunction(b.function, b.binding.location.file);
    if (def) out.add(functionKey(def));
  }
  return { targets: [...out], through: struct };
}
