// Local names of a function body and their types, with C's block scoping.
import type { SyntaxNode } from '../source/parser';
import { baseTypeName, declaratorsOf, readDeclarator, storageClasses, typeRef, type DeclaratorInfo } from './declarators';
import type { ParameterSymbol, TypeRef } from './symbols';

/**
 * The local names of a function body with C's block scoping: a name is seen from its declaration
 * to the end of the block that declares it, and an inner declaration hides an outer one.
 */
interface Local {
  readonly type: TypeRef;
  readonly at: number;
  readonly blockStart: number;
  readonly blockEnd: number;
  /** A function-local `static`: one object for every call, like a global. */
  readonly isStatic: boolean;
}

export class Scope {
  private readonly declarations = new Map<string, Local[]>();
  /** Names assigned to a local function pointer: `fn = foo;`, `int (*fn)(void) = cond ? a : b;`. */
  private readonly assigned = new Map<string, Set<string>>();
  /** Plain assignments of the body are read the first time a pointer's values are asked for. */
  private assignmentsRead = false;

  /** `assignments`: the body's assignment expressions, when the caller has them already. */
  constructor(private readonly body: SyntaxNode, parameters: readonly ParameterSymbol[], private readonly assignments?: readonly SyntaxNode[]) {
    for (const p of parameters) {
      this.add(p.name, { type: p.type, at: body.startIndex, blockStart: body.startIndex, blockEnd: body.endIndex, isStatic: false });
    }
  }

  declare(name: string, type: TypeRef, declaration: SyntaxNode, isStatic = false): void {
    const block = declaration.parent ?? declaration;
    this.add(name, { type, at: declaration.startIndex, blockStart: block.startIndex, blockEnd: block.endIndex, isStatic });
  }

  /** Some block of the body declares `name` (or it is a parameter). */
  declares(name: string): boolean {
    return this.declarations.has(name);
  }

  /** `value` (an expression) is assigned to the local `name`; function names in it are kept. */
  assign(name: string, value: SyntaxNode): void {
    const names = functionNames(value);
    if (names.length === 0) return;
    const set = this.assigned.get(name) ?? new Set<string>();
    for (const n of names) set.add(n);
    this.assigned.set(name, set);
  }

  /** The names assigned to `name` anywhere in the body (a function pointer's candidates). */
  assignedTo(name: string): readonly string[] {
    if (!this.assignmentsRead) {
      this.assignmentsRead = true;
      for (const a of this.assignments ?? this.body.descendantsOfType('assignment_expression')) {
        const left = a?.childForFieldName('left');
        const right = a?.childForFieldName('right');
        if (left?.type === 'identifier' && right && a?.childForFieldName('operator')?.text === '=') this.assign(left.text, right);
      }
    }
    return [...(this.assigned.get(name) ?? [])];
  }

  private add(name: string, d: Local): void {
    const list = this.declarations.get(name);
    if (list) list.push(d);
    else this.declarations.set(name, [d]);
  }

  /** The local `name` where `pos` stands, or undefined when no local declaration is in scope. */
  localAt(name: string, pos: number): Local | undefined {
    let best: Local | undefined;
    for (const d of this.declarations.get(name) ?? []) {
      if (d.at > pos || pos < d.blockStart || pos >= d.blockEnd) continue;
      if (!best || d.blockStart > best.blockStart || (d.blockStart === best.blockStart && d.at > best.at)) best = d;
    }
    return best;
  }

  /** The type of `name` where `pos` stands, or undefined when no local declaration is in scope. */
  typeAt(name: string, pos: number): TypeRef | undefined {
    return this.localAt(name, pos)?.type;
  }
}

/**
 * The scope of a function body: its parameters and every local declaration in it. `visit` sees
 * each declarator with its type (the index reads local ops tables from their initializers).
 */
export function functionScope(
  body: SyntaxNode, parameters: readonly ParameterSymbol[], visit?: (info: DeclaratorInfo, type: TypeRef) => void,
  nodes?: { readonly declarations: readonly SyntaxNode[]; readonly assignments: readonly SyntaxNode[] },
): Scope {
  const scope = new Scope(body, parameters, nodes?.assignments);
  for (const n of nodes?.declarations ?? body.descendantsOfType('declaration')) {
    if (!n) continue;
    const base = baseTypeName(n.childForFieldName('type'), () => '<anonymous>');
    const isStatic = storageClasses(n).has('static');
    for (const d of declaratorsOf(n)) {
      const info = readDeclarator(d);
      if (!info) continue;
      const type = typeRef(base, info);
      scope.declare(info.name, type, n, isStatic);
      if (info.functionPointer && info.value) scope.assign(info.name, info.value);
      visit?.(info, type);
    }
  }
  return scope;
}

/** The plain names an expression may evaluate to: `foo`, `&foo`, `c ? foo : bar`. */
function functionNames(value: SyntaxNode): string[] {
  switch (value.type) {
    case 'identifier':
      return [value.text];
    case 'pointer_expression':
    case 'parenthesized_expression':
    case 'cast_expression': {
      const inner = value.childForFieldName('argument') ?? value.childForFieldName('value') ?? value.namedChild(value.namedChildCount - 1);
      return inner && inner !== value ? functionNames(inner) : [];
    }
    case 'conditional_expression': {
      const a = value.childForFieldName('consequence');
      const b = value.childForFieldName('alternative');
      return [...(a ? functionNames(a) : []), ...(b ? functionNames(b) : [])];
    }
    default:
      return [];
  }
}
