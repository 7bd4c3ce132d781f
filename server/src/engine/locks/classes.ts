// Lock classes and instances (DESIGN.md, lockdep's vocabulary). The class is what lockdep keys
// its graph on: `mdev_parent.unreg_sem` for a lock inside a struct, `devlink_mutex` for a global,
// `function:name` for a function-local static. The instance is the access path that tells "the
// same lock again" from "another lock of the same class" (a parent's and a child's device lock).

import type { Scope } from '../index/scope';
import type { SymbolIndex } from '../index/symbolIndex';
import type { TypeRef } from '../index/symbols';
import type { SyntaxNode } from '../source/parser';
import { unwrap } from './walkHelpers';

export interface LockName {
  /** `mdev_parent.unreg_sem`, `devlink_mutex`, `vfio_pci_core_device:…`. */
  readonly class: string;
  /** `parent->unreg_sem`, `pdev->dev.mutex`, `devlink_mutex`. */
  readonly instance: string;
  /** The root variable of the access path (`parent`), if it is a parameter or local. */
  readonly root?: string;
  /** The struct the lock's owner is embedded in: `struct pci_dev` for `pdev->dev.mutex`. */
  readonly within?: string;
}

/** What class resolution needs to know about the function it works in. */
export interface ClassContext {
  readonly index: SymbolIndex;
  readonly file: string;
  readonly functionName: string;
  readonly scope: Pick<Scope, 'localAt'> & Partial<Pick<Scope, 'assignedTo'>>;
  /** The original text (node text may hold normalised rewrites). */
  readonly text: string;
}

type Step = { readonly field: string; readonly arrow: boolean } | { readonly subscript: true };

interface AccessPath {
  /** Rendered root: a variable name, or a call as written. */
  readonly root: string;
  readonly rootType: TypeRef | undefined;
  /** The root is a variable: its kind decides the class of a bare lock variable. */
  readonly rootKind: 'local' | 'static-local' | 'global' | 'other';
  readonly steps: Step[];
  /** The expression was `&x`: the lock is `x` itself, not what `x` points to. */
  readonly addressOf: boolean;
}

/** Macros whose result is a pointer to the struct type named by one argument. */
const CONTAINER_MACROS: Readonly<Record<string, number>> = {
  container_of: 1, container_of_const: 1, list_entry: 1, list_first_entry: 1, list_last_entry: 1,
  list_first_entry_or_null: 1, hlist_entry: 1, rb_entry: 1,
};

function typeFromText(text: string): TypeRef {
  const pointers = (text.match(/\*/g) ?? []).length;
  return { base: text.replace(/\*/g, '').replace(/\bconst\b/g, '').trim().replace(/\s+/g, ' '), pointers, arrays: 0 };
}

function accessPath(node: SyntaxNode, ctx: ClassContext): AccessPath | undefined {
  let n = unwrap(node);
  let addressOf = false;
  if (n.type === 'pointer_expression' && n.child(0)?.type === '&') {
    addressOf = true;
    n = unwrap(n.childForFieldName('argument')!);
  }
  const steps: Step[] = [];
  for (;;) {
    if (n.type === 'field_expression') {
      const field = n.childForFieldName('field');
      const op = n.childForFieldName('operator') ?? n.child(1);
      if (!field) return undefined;
      steps.unshift({ field: field.text, arrow: op?.type === '->' });
      n = unwrap(n.childForFieldName('argument')!);
    } else if (n.type === 'subscript_expression') {
      steps.unshift({ subscript: true });
      n = unwrap(n.childForFieldName('argument')!);
    } else if (n.type === 'pointer_expression' && n.child(0)?.type === '*') {
      n = unwrap(n.childForFieldName('argument')!);
    } else break;
  }
  const text = (x: SyntaxNode) => ctx.text.slice(x.startIndex, x.endIndex);
  if (n.type === 'identifier') {
    const local = ctx.scope.localAt(n.text, n.startIndex);
    if (local) return { root: n.text, rootType: local.type, rootKind: local.isStatic ? 'static-local' : 'local', steps, addressOf };
    const global = ctx.index.lookupVariable(n.text, ctx.file);
    return { root: n.text, rootType: global?.type, rootKind: 'global', steps, addressOf };
  }
  if (n.type === 'cast_expression') {
    const typeNode = n.childForFieldName('type');
    const inner = accessPath(n.childForFieldName('value')!, ctx);
    if (!inner || !typeNode) return inner;
    return { ...inner, rootType: typeFromText(text(typeNode)), steps: [...inner.steps, ...steps] };
  }
  if (n.type === 'call_expression') {
    const callee = n.childForFieldName('function');
    const args = n.childForFieldName('arguments')?.namedChildren ?? [];
    let rootType: TypeRef | undefined;
    const typeArg = callee ? CONTAINER_MACROS[callee.text] : undefined;
    if (typeArg !== undefined && args[typeArg]) rootType = { ...typeFromText(text(args[typeArg]!)), pointers: 1 };
    else if (callee?.type === 'identifier') rootType = ctx.index.lookupFunction(callee.text, ctx.file)?.returnType ?? ctx.index.functionsNamed(callee.text)[0]?.returnType;
    return { root: text(n).replace(/\s+/g, ' '), rootType, rootKind: 'other', steps, addressOf };
  }
  return { root: text(n).replace(/\s+/g, ' '), rootType: undefined, rootKind: 'other', steps, addressOf };
}

function render(root: string, steps: readonly Step[]): string {
  let out = root;
  for (const s of steps) out += 'subscript' in s ? '[]' : `${s.arrow ? '->' : '.'}${s.field}`;
  return out;
}

const stripTag = (base: string) => base.replace(/^(struct|union) /, '');

/**
 * The lock an argument names, with `path` appended (`device_lock(dev)` locks `dev->mutex`).
 * Undefined only for an argument that is no expression at all.
 */
export function lockName(arg: SyntaxNode, path: readonly string[], ctx: ClassContext): LockName | undefined {
  const ap = accessPath(arg, ctx);
  if (!ap) return undefined;
  const steps: Step[] = [...ap.steps, ...path.map((field, k) => ({ field, arrow: k === 0 ? !ap.addressOf : false }))];
  const instance = render(ap.root, steps);
  const rootName = ap.rootKind === 'local' || ap.rootKind === 'static-local' ? { root: ap.root } : {};

  // The last field names the lock; the class is the struct that owns it.
  let lastField = -1;
  for (let k = steps.length - 1; k >= 0; k--) if (!('subscript' in steps[k]!)) { lastField = k; break; }
  if (lastField < 0) {
    // A lock variable itself: global, function-local static, or on the stack.
    const cls = ap.rootKind === 'global' ? ap.root : ap.rootKind === 'other' ? instance : `${ctx.functionName}:${ap.root}`;
    return { class: cls, instance, ...rootName };
  }
  let owner: TypeRef | undefined = ap.rootType;
  let outer: TypeRef | undefined;
  for (let k = 0; k < lastField && owner; k++) {
    const s = steps[k]!;
    outer = owner;
    owner = 'subscript' in s ? owner : ctx.index.field(owner, s.field, ctx.file)?.type;
  }
  // `pdev->dev.mutex`: the owner (`dev`, a struct device) is a member of `*pdev`, not a pointer.
  const embedded = lastField > 0 && owner?.pointers === 0 && !('subscript' in steps[lastField - 1]!) && outer !== undefined;
  const outerBase = embedded ? ctx.index.resolve(outer!, ctx.file).base : undefined;
  const within = outerBase?.startsWith('struct ') ? { within: outerBase } : {};
  const field = (steps[lastField] as { field: string }).field;
  const ownerBase = owner ? ctx.index.resolve(owner, ctx.file).base : undefined;
  const known = ownerBase !== undefined && ctx.index.struct(ownerBase, ctx.file) !== undefined;
  // Unresolved: a stable class from the expression, so reports still name something readable.
  const cls = known ? `${stripTag(ownerBase!)}.${field}` : render(ap.root, steps.slice(0, lastField + 1));
  return { class: cls, instance, ...rootName, ...within };
}

/** The type of an access-path expression (`parent->ops`, `&pdev->dev`), where the index knows it. */
export function expressionType(node: SyntaxNode, ctx: ClassContext): TypeRef | undefined {
  const ap = accessPath(node, ctx);
  if (!ap) return undefined;
  let t = ap.rootType;
  for (const s of ap.steps) {
    if (!t) return undefined;
    if (!('subscript' in s)) t = ctx.index.field(t, s.field, ctx.file)?.type;
  }
  return t;
}
