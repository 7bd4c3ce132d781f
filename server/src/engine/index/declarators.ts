// Reading C declarations off the syntax tree: type specifiers, declarator chains, names.
// Text is always taken from the original source at the node's offsets (they are the same as in
// the normalised text), so names written with rewritten idioms read as the developer wrote them.

import type { SyntaxNode } from '../source/parser';
import type { TypeRef } from './symbols';

export interface DeclaratorInfo {
  readonly name: string;
  readonly nameNode: SyntaxNode;
  readonly pointers: number;
  readonly arrays: number;
  /** The function declarator, when this declares a function or a function pointer. */
  readonly parameters?: SyntaxNode;
  /** A pointer (or array) of functions: `(*fn)(…)`. */
  readonly functionPointer: boolean;
  /** The initializer, for an init_declarator. */
  readonly value?: SyntaxNode;
}

const NAME_TYPES = new Set(['identifier', 'field_identifier', 'type_identifier']);

/** Follows a declarator chain down to its name, counting pointers and arrays on the way. */
export function readDeclarator(node: SyntaxNode): DeclaratorInfo | undefined {
  let pointers = 0;
  let arrays = 0;
  let parameters: SyntaxNode | undefined;
  let functionPointer = false;
  let value: SyntaxNode | undefined;
  let sawFunction = false;
  for (let n: SyntaxNode | null = node; n; ) {
    if (NAME_TYPES.has(n.type)) {
      return { name: n.text, nameNode: n, pointers, arrays, functionPointer, ...(parameters && { parameters }), ...(value && { value }) };
    }
    switch (n.type) {
      case 'init_declarator':
        value = n.childForFieldName('value') ?? undefined;
        n = n.childForFieldName('declarator');
        break;
      case 'pointer_declarator':
        if (sawFunction) functionPointer = true;
        else pointers++;
        n = n.childForFieldName('declarator');
        break;
      case 'array_declarator':
        arrays++;
        n = n.childForFieldName('declarator');
        break;
      case 'function_declarator':
        if (!sawFunction) parameters = n.childForFieldName('parameters') ?? undefined;
        sawFunction = true;
        n = n.childForFieldName('declarator');
        break;
      case 'parenthesized_declarator':
      case 'attributed_declarator':
        n = n.namedChildren.find((c) => c !== null && c.type !== 'attribute_declaration') ?? null;
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** True when the declarator declares a function (not a pointer to one). */
export function declaresFunction(info: DeclaratorInfo): boolean {
  return info.parameters !== undefined && !info.functionPointer;
}

/**
 * The base name of a type specifier node. `anonymousName` names a struct/union/enum without a
 * tag (its body is registered under that name by the caller).
 */
export function baseTypeName(typeNode: SyntaxNode | null, anonymousName: (n: SyntaxNode) => string): string {
  if (!typeNode) return 'int';
  switch (typeNode.type) {
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier': {
      const keyword = typeNode.type.slice(0, typeNode.type.indexOf('_'));
      const tag = typeNode.childForFieldName('name');
      return tag ? `${keyword} ${tag.text}` : anonymousName(typeNode);
    }
    case 'sized_type_specifier':
      return typeNode.text.replace(/\s+/g, ' ');
    case 'macro_type_specifier':
      return typeNode.childForFieldName('name')?.text ?? typeNode.text;
    default:
      return typeNode.text;
  }
}

export function typeRef(base: string, d: Pick<DeclaratorInfo, 'pointers' | 'arrays' | 'functionPointer'>): TypeRef {
  return d.functionPointer
    ? { base, pointers: d.pointers, arrays: d.arrays, functionPointer: true }
    : { base, pointers: d.pointers, arrays: d.arrays };
}

/** Storage class keywords of a declaration: `static`, `extern`. */
export function storageClasses(node: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const c of node.children) if (c?.type === 'storage_class_specifier') out.add(c.text);
  return out;
}

/** The declarator children of a declaration-like node (a declaration may declare several). */
export function declaratorsOf(node: SyntaxNode): SyntaxNode[] {
  return node.childrenForFieldName('declarator').filter((c): c is SyntaxNode => c !== null);
}
