// What the lock graph knows of integer values: the tree's constants (object-like macros and
// enumerators, evaluated as C does) and the values a struct field is ever given. A callee's path
// that needs `index == VFIO_PCI_ERR_IRQ_INDEX` is not taken by a caller passing
// `vdev->irq_type`, a field the tree only ever sets to the INTx, MSI and MSI-X indexes (or leaves
// zero). Expressions are parsed with the C grammar itself, never by hand.

import { parseC, type SyntaxNode } from '../source/parser';
import type { LoadedTree } from '../workspace';

export interface Values {
  /** The values an argument (as written, blanks removed) may have; undefined when unknown. */
  of(arg: string): readonly bigint[] | undefined;
  /** A condition on `$` (needs.ts) with `$` = v: its truth, or undefined if it reads an unknown. */
  test(template: string, v: bigint): boolean | undefined;
}

const memo = new WeakMap<LoadedTree, Values>();

export function valuesOf(tree: LoadedTree): Values {
  let v = memo.get(tree);
  if (!v) {
    v = new TreeValues(tree);
    memo.set(tree, v);
  }
  return v;
}

/** A read of a struct field: `vdev->irq_type`, `dev.state`. */
const FIELD_READ = /(?:->|\.)([A-Za-z_]\w*)$/;
const CONSTANT_TEXT = /^[\w()|&<>!=+\-~^*/%]+$/;

class TreeValues implements Values {
  private readonly expressions = new Map<string, bigint | null>();
  private readonly args = new Map<string, readonly bigint[] | null>();
  private fields: Map<string, Set<string> | null> | undefined;
  private readonly evaluating = new Set<string>();

  constructor(private readonly tree: LoadedTree) {}

  of(arg: string): readonly bigint[] | undefined {
    let out = this.args.get(arg);
    if (out === undefined) {
      out = this.compute(arg) ?? null;
      this.args.set(arg, out);
    }
    return out ?? undefined;
  }

  test(template: string, v: bigint): boolean | undefined {
    const value = this.evaluate(template.replace(/\$/g, `(${v})`));
    return value === undefined ? undefined : value !== 0n;
  }

  private compute(arg: string): readonly bigint[] | undefined {
    if (CONSTANT_TEXT.test(arg)) {
      const v = this.evaluate(arg);
      if (v !== undefined) return [v];
    }
    const field = FIELD_READ.exec(arg)?.[1];
    const stored = field !== undefined ? this.fieldValues().get(field) : undefined;
    if (!stored) return undefined;
    // Memory the kernel hands out zeroed holds 0 until a store.
    const out = new Set<bigint>([0n]);
    for (const text of stored) {
      const v = this.evaluate(text);
      if (v === undefined) return undefined;
      out.add(v);
    }
    return [...out];
  }

  /** Every value stored into each field name in the analysed code; null where one is not constant. */
  private fieldValues(): Map<string, Set<string> | null> {
    if (this.fields) return this.fields;
    const out = new Map<string, Set<string> | null>();
    const add = ({ field, value }: { field: string; value: string }) => {
      const known = out.get(field);
      if (known === null) return;
      if (value === '?') out.set(field, null);
      else if (known) known.add(value);
      else out.set(field, new Set([value]));
    };
    for (const list of this.tree.summaries.values()) for (const s of list) for (const st of s.stores ?? []) add(st);
    for (const symbols of this.tree.symbols.values()) for (const st of symbols.stores ?? []) add(st);
    this.fields = out;
    return out;
  }

  /** A constant expression's value; undefined when it reads anything that is not a constant. */
  private evaluate(text: string): bigint | undefined {
    const known = this.expressions.get(text);
    if (known !== undefined) return known ?? undefined;
    if (this.evaluating.has(text)) return undefined; // a macro defined through itself
    this.evaluating.add(text);
    const tree = parseC(`int __lockreview_value = (${text});`);
    try {
      const value = tree.rootNode.descendantsOfType('init_declarator')[0]?.childForFieldName('value');
      const out = value && !value.hasError ? this.node(value) : undefined;
      this.expressions.set(text, out ?? null);
      return out;
    } finally {
      tree.delete();
      this.evaluating.delete(text);
    }
  }

  private constant(name: string): bigint | undefined {
    const expr = this.tree.index.constantExpr(name);
    return expr === undefined ? undefined : this.evaluate(expr);
  }

  private node(n: SyntaxNode): bigint | undefined {
    switch (n.type) {
      case 'number_literal': return integer(n.text);
      case 'true': return 1n;
      case 'false': return 0n;
      case 'identifier': return this.constant(n.text);
      case 'parenthesized_expression': return n.namedChild(0) ? this.node(n.namedChild(0)!) : undefined;
      case 'cast_expression': return n.childForFieldName('value') ? this.node(n.childForFieldName('value')!) : undefined;
      case 'unary_expression': {
        const v = n.childForFieldName('argument') ? this.node(n.childForFieldName('argument')!) : undefined;
        if (v === undefined) return undefined;
        switch (n.child(0)?.type) {
          case '!': return v === 0n ? 1n : 0n;
          case '~': return ~v;
          case '-': return -v;
          case '+': return v;
          default: return undefined;
        }
      }
      case 'binary_expression': {
        const a = n.childForFieldName('left') ? this.node(n.childForFieldName('left')!) : undefined;
        const b = n.childForFieldName('right') ? this.node(n.childForFieldName('right')!) : undefined;
        return a === undefined || b === undefined ? undefined : binary(n.child(1)?.type ?? '', a, b);
      }
      case 'conditional_expression': {
        const c = n.childForFieldName('condition') ? this.node(n.childForFieldName('condition')!) : undefined;
        const arm = c === undefined ? undefined : n.childForFieldName(c !== 0n ? 'consequence' : 'alternative');
        return arm ? this.node(arm) : undefined;
      }
      case 'call_expression': {
        // BIT(n): the kernel's one-bit mask, common in flag definitions.
        const fn = n.childForFieldName('function')?.text;
        const arg = n.childForFieldName('arguments')?.namedChild(0);
        const v = (fn === 'BIT' || fn === 'BIT_ULL') && arg ? this.node(arg) : undefined;
        return v === undefined ? undefined : 1n << v;
      }
      default:
        return undefined;
    }
  }
}

function integer(text: string): bigint | undefined {
  const t = text.replace(/[uUlL]+$/, '');
  try {
    if (/^0[0-7]+$/.test(t)) return BigInt(`0o${t.slice(1)}`);
    return BigInt(t);
  } catch {
    return undefined;
  }
}

function binary(op: string, a: bigint, b: bigint): bigint | undefined {
  const bool = (x: boolean) => (x ? 1n : 0n);
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '<<': return b < 0n || b > 128n ? undefined : a << b;
    case '>>': return b < 0n || b > 128n ? undefined : a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&&': return bool(a !== 0n && b !== 0n);
    case '||': return bool(a !== 0n || b !== 0n);
    case '==': return bool(a === b);
    case '!=': return bool(a !== b);
    case '<': return bool(a < b);
    case '>': return bool(a > b);
    case '<=': return bool(a <= b);
    case '>=': return bool(a >= b);
    default: return undefined;
  }
}
