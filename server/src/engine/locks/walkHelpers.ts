// Pure helpers of the walk: loop cursors and the shapes of conditions.
import type { SyntaxNode } from '../source/parser';
import { eachOf, rootedAt, type State } from './state';

export function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChild(0)) n = n.namedChild(0)!;
  return n;
}

/** Variables a `for` update assigns: `i` of `i++`, `p` of `p = p->next`. */
export function assignedIn(update: SyntaxNode | null): string[] {
  if (!update) return [];
  const out: string[] = [];
  for (const n of [update, ...update.descendantsOfType(['update_expression', 'assignment_expression'])]) {
    const target = n?.type === 'update_expression' ? n.childForFieldName('argument') : n?.type === 'assignment_expression' ? n.childForFieldName('left') : null;
    if (target?.type === 'identifier') out.push(target.text);
  }
  return out;
}


/**
 * Back at the loop head, a lock reached through the cursor belongs to the objects of earlier
 * passes: `dev->dev.mutex` becomes `each:dev->dev.mutex`, one entry for all of them — another
 * instance of the class than the next pass's `dev`.
 */
export function previousPass(s: State, cursors: readonly string[]): State {
  const rooted = (instance: string) => rootedAt(instance, cursors);
  if (!s.held.some((h) => rooted(h.instance)) && !s.released.some(rooted)) return s;
  const held: typeof s.held[number][] = [];
  for (const h of s.held) {
    const instance = rooted(h.instance) ? eachOf(h.instance) : h.instance;
    if (!held.some((x) => x.instance === instance)) held.push(instance === h.instance ? h : { ...h, instance });
  }
  // What an unlock loop released on earlier passes was other objects too.
  return { ...s, held, released: [...new Set(s.released.map((r) => (rooted(r) ? eachOf(r) : r)))].sort() };
}

/** An expression without calls or assignments: testing it twice gives the same answer. */
export function isPure(node: SyntaxNode): boolean {
  const type = node.type;
  if (type === 'identifier') return true;
  if (!PURE_SHAPES.has(type)) return false;
  // Without a parenthesis, `=`, `++` or `--` in its text it can hold no call or assignment.
  if (!/[(=]|\+\+|--/.test(node.text)) return true;
  return node.descendantsOfType(['call_expression', 'assignment_expression', 'update_expression']).length === 0;
}
const PURE_SHAPES = new Set(['field_expression', 'binary_expression', 'subscript_expression', 'unary_expression']);

/** The truth of a constant (`true`, `1`, `NULL`, `false`, `0`), or undefined for anything else. */
export function constantTruth(node: SyntaxNode): boolean | undefined {
  const t = node.text.trim();
  if (t === 'true' || /^[1-9]\d*[uUlL]*$/.test(t)) return true;
  if (t === 'false' || t === 'NULL' || /^0+[uUlL]*$/.test(t)) return false;
  return undefined;
}

/**
 * What tells, after a list walk, whether it ran to its end: `list_for_each_entry(pos, head,
 * member)` leaves `pos` at the head's container unless a `break` left it early, and code tests
 * `list_entry_is_head(pos, head, member)` to know (vfio_pci_dev_set_hot_reset()). The fact's key
 * is that test as a condition reads (blanks removed).
 */
export function walkCompleted(macro: string, args: readonly string[]): string | undefined {
  if (!macro.startsWith('list_for_each_entry') || args.length < 3) return undefined;
  const text = (x: string) => x.replace(/\s+/g, '');
  return `list_entry_is_head(${text(args[0]!)},${text(args[args.length - 2]!)},${text(args[args.length - 1]!)})`;
}

/**
 * The fact a list walk decides about its list, `list_empty(head)` as a condition reads it:
 * `list_for_each_entry(pos, head, member)` makes no pass exactly when the list is empty. Walks
 * that start part way (`_continue`, `_from`) say nothing; `_safe` walks may empty the list.
 */
export function walkEmpty(macro: string, args: readonly string[]): { key: string; mayEmpty: boolean } | undefined {
  const m = /^list_for_each_entry(_safe)?(_reverse)?$/.exec(macro);
  if (!m || args.length < 3) return undefined;
  return { key: `list_empty(${args[args.length - 2]!.replace(/\s+/g, '')})`, mayEmpty: m[1] !== undefined };
}
