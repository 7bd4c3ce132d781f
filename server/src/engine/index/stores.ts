// What code stores into struct fields, by field name: the value as written when it is a constant
// expression, else `?`. The lock graph reads the values a field can hold off these
// (graph/values.ts); every form of store must be here, or a field would seem to hold less.

import type { SyntaxNode } from '../source/parser';

export interface FieldStore {
  readonly field: string;
  /** A constant expression, blanks removed, or `?`. */
  readonly value: string;
}

/** What a constant expression cannot contain. */
const NOT_CONSTANT = ['call_expression', 'field_expression', 'subscript_expression', 'pointer_expression', 'string_literal', 'assignment_expression', 'initializer_list', 'compound_literal_expression'];

/** The stores `value` makes into `field`: one per arm of a `cond ? A : B`. */
export function storesOf(field: string, value: SyntaxNode | null | undefined, text: string): FieldStore[] {
  let v = value;
  while (v?.type === 'parenthesized_expression') v = v.namedChild(0);
  if (v?.type === 'conditional_expression') {
    return [...storesOf(field, v.childForFieldName('consequence'), text), ...storesOf(field, v.childForFieldName('alternative'), text)];
  }
  const constant = v !== undefined && v !== null && !NOT_CONSTANT.includes(v.type) && v.descendantsOfType(NOT_CONSTANT).length === 0;
  return [{ field, value: constant ? text.slice(v!.startIndex, v!.endIndex).replace(/\s+/g, '') : '?' }];
}

/** Designated initializers (`{ .irq_type = X }`, in a declaration or a compound literal). */
export function initializerStores(pair: SyntaxNode, text: string): FieldStore[] {
  const designators = pair.childrenForFieldName('designator').filter((d): d is SyntaxNode => d?.type === 'field_designator');
  const last = designators.at(-1);
  const value = pair.childForFieldName('value');
  if (!last || !value || value.type === 'initializer_list') return [];
  return storesOf(text.slice(last.startIndex, last.endIndex).replace(/^\./, '').trim(), value, text);
}

/** Fields whose address the text takes (`&v->irq_type`, `&x.state`): written through pointers. */
export function addressTaken(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/&\s*\(?\s*[A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*|\s*\[[^\]]*\])+/g)) {
    const last = /(?:->|\.)\s*([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*$/.exec(m[0]);
    if (last) out.add(last[1]!);
  }
  return [...out];
}
