// Function-pointer bindings: which functions a struct field may point to. These are the edges
// through which locking crosses subsystems: `parent->ops->remove(mdev)` runs whatever some driver
// put in `.remove`; `hotplug->ops->reset_slot(...)` whatever pciehp assigned.

import type { SyntaxNode } from '../source/parser';
import { functionScope, type Scope } from './scope';
import type { FunctionBinding, ParameterSymbol, TypeRef } from './symbols';

type Receiver = FunctionBinding['receiver'];
export type BindingSink = (binding: Omit<FunctionBinding, 'location'>, at: SyntaxNode) => void;

/**
 * With an `owner`, `node` is the initializer of a variable of that type: its designated
 * initializers are read. Without one, `node` is a function body: its local ops tables and its
 * assignments to fields (`ops->reset_slot = foo;`) are read, with `parameters` in scope.
 */
export function collectBindings(
  node: SyntaxNode,
  owner: { type: TypeRef } | undefined,
  sink: BindingSink,
  parameters: readonly ParameterSymbol[],
): void {
  if (owner) {
    if (node.type === 'initializer_list') initializer(node, owner, [], sink);
    return;
  }
  // Most bodies bind nothing: build their scope only when an assignment stores a name into a
  // field or a local table has an initializer list.
  const found = node.descendantsOfType(['assignment_expression', 'initializer_list']);
  const stores = found.filter((a): a is SyntaxNode =>
    a?.type === 'assignment_expression' && functionName(a.childForFieldName('right')) !== undefined && a.childForFieldName('left')?.type !== 'identifier');
  const tables = found.some((a) => a?.type === 'initializer_list');
  if (stores.length === 0 && !tables) return;
  const scope = functionScope(node, parameters, tables ? (info, type) => {
    if (info.value?.type === 'initializer_list') initializer(info.value, { type }, [], sink);
  } : undefined);
  for (const a of stores) assignment(a, scope, sink);
}

/** The function an initializer value or right-hand side names: `foo`, `&foo`, `(void *)foo`. */
function functionName(value: SyntaxNode | null): SyntaxNode | undefined {
  let n = value;
  while (n) {
    if (n.type === 'identifier') return n;
    if (n.type === 'pointer_expression' && n.child(0)?.type === '&') n = n.childForFieldName('argument');
    else if (n.type === 'cast_expression') n = n.childForFieldName('value');
    else if (n.type === 'parenthesized_expression') n = n.namedChild(0);
    else return undefined;
  }
  return undefined;
}

function initializer(list: SyntaxNode, receiver: Receiver, prefix: string[], sink: BindingSink): void {
  for (const item of list.namedChildren) {
    if (!item) continue;
    if (item.type === 'initializer_list') {
      initializer(item, receiver, prefix, sink); // an element of an array of structs
      continue;
    }
    if (item.type !== 'initializer_pair') continue;
    const fields = item
      .childrenForFieldName('designator')
      .filter((d): d is SyntaxNode => d?.type === 'field_designator')
      .map((d) => d.text.replace(/^\./, '').trim());
    const path = [...prefix, ...fields];
    const value = item.childForFieldName('value');
    if (value?.type === 'initializer_list') {
      initializer(value, receiver, path, sink);
      continue;
    }
    const fn = functionName(value);
    if (fn && fields.length > 0) sink({ receiver, path, function: fn.text, via: 'initializer' }, item);
  }
}

function assignment(node: SyntaxNode, scope: Scope, sink: BindingSink): void {
  const fn = functionName(node.childForFieldName('right'));
  if (!fn || scope.typeAt(fn.text, node.startIndex)) return; // a local or parameter is no function
  const path: string[] = [];
  let n = node.childForFieldName('left');
  while (n) {
    if (n.type === 'field_expression') {
      const field = n.childForFieldName('field');
      if (!field) return;
      path.unshift(field.text);
      n = n.childForFieldName('argument');
    } else if (n.type === 'subscript_expression') n = n.childForFieldName('argument');
    else if (n.type === 'parenthesized_expression') n = n.namedChild(0);
    else if (n.type === 'pointer_expression') n = n.childForFieldName('argument');
    else break;
  }
  if (!n || n.type !== 'identifier' || path.length === 0) return;
  const local = scope.typeAt(n.text, node.startIndex);
  sink({ receiver: local ? { type: local } : { global: n.text }, path, function: fn.text, via: 'assignment' }, node);
}
