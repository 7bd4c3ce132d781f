// Summaries of every function defined in a parsed file, computed while its syntax tree is alive.

import { functionScope, type Scope } from '../index/scope';
import { addressTaken, initializerStores } from '../index/stores';
import type { SymbolIndex } from '../index/symbolIndex';
import type { FileSymbols, FunctionSymbol } from '../index/symbols';
import { LineMap } from '../source/lineMap';
import { parseC, type SyntaxNode } from '../source/parser';
import type { ParsedSource } from '../source/sourceFile';
import { effectsOf, NULL_PASSING, type Catalog } from './catalog';
import { args, calleeName, parameterOf, SECTION_CLASS, unalias, type CallContext } from './calls';
import { lockName } from './classes';
import { Recorder } from './recorder';
import { EMPTY } from './state';
import type { Call, Downcast, FunctionSummary, Requirement, Site } from './summary';
import { Walker } from './walk';
import { isPure } from './walkHelpers';

const LOCK_ANNOTATIONS = new Set(['__acquires', '__releases', '__must_hold', '__cond_acquires']);

/** `__must_hold(&p->lock)` → `&p->lock`. */
function annotationArgument(text: string): string {
  const open = text.indexOf('(');
  return open < 0 ? '' : text.slice(open + 1, text.lastIndexOf(')')).trim();
}

/**
 * Summaries of every function defined in `source`. With `previous`, only the functions `redo`
 * selects are walked again; the others keep their previous summary.
 */
export function summariseFile(
  source: ParsedSource, symbols: FileSymbols, index: SymbolIndex, catalog: Catalog,
  helpers?: CallContext['helpers'], previous?: readonly FunctionSummary[], redo?: (s: FunctionSummary) => boolean,
): FunctionSummary[] {
  const before = new Map((previous ?? []).map((s) => [s.at.offset, s]));
  const lines = new LineMap(source.text);
  const site = (offset: number): Site => ({ offset, ...lines.position(offset) });
  const out: FunctionSummary[] = [];
  const root = source.tree.rootNode;
  const done = new Set<number>();
  // The index found every definition already: go to each rather than search the whole tree.
  for (const fn of symbols.functions) {
    if (!fn.isDefinition || done.has(fn.start)) continue;
    done.add(fn.start);
    let node: SyntaxNode | null = root.descendantForIndex(fn.start, Math.max(fn.start, fn.end - 1));
    while (node && !(node.type === 'function_definition' && node.startIndex === fn.start)) node = node.parent;
    const body = node?.childForFieldName('body');
    if (!node || !body) continue;
    const old = before.get(fn.location.start);
    if (old && redo && !redo(old)) out.push(old);
    else out.push(summariseFunction(node, body, fn, source, index, catalog, site, helpers));
  }
  return out;
}

function summariseFunction(
  node: SyntaxNode, body: SyntaxNode, fn: FunctionSymbol, source: ParsedSource, index: SymbolIndex,
  catalog: Catalog, site: (offset: number) => Site, helpers: CallContext['helpers'],
): FunctionSummary {
  const recorder = new Recorder();
  const nodes = bodyNodes(body);
  const scope = functionScope(body, fn.parameters, undefined, nodes);
  const parameters = new Set(fn.parameters.map((p) => p.name));
  const calls = nodes.calls;
  // Facts read as conditions on parameters, and the locals that alias them: worked out lazily.
  const facts = new Map<string, string | null>();
  let aliases: Map<string, string> | undefined;
  let ctx: CallContext = {
    index, file: source.path, functionName: fn.name, scope, text: source.text, catalog, recorder, site,
    parameters,
    parameterFact: (fact) => {
      let k = facts.get(fact);
      if (k === undefined) {
        aliases ??= aliasesOf(nodes, parameters);
        const text = aliases.size > 0 ? unalias(fact, aliases) : fact;
        k = parameterOf(text, parameters) !== undefined ? text : globalFact(fact, scope, index, source.path);
        facts.set(fact, k);
      }
      return k ?? undefined;
    },
    ...(helpers && { helpers }),
  };
  if (!calls.some((c) => changesHeld(calleeName(c, ctx), catalog, helpers))) ctx = { ...ctx, lockFree: true };

  // Lock annotations sit between the declarator and the body; the normaliser kept their text.
  const annotations = { acquires: [] as string[], releases: [] as string[] };
  const required: Requirement[] = [];
  for (const r of source.rewrites) {
    if (r.start < node.startIndex || r.start >= body.startIndex || !LOCK_ANNOTATIONS.has(r.name)) continue;
    const arg = annotationArgument(source.text.slice(r.start, r.end));
    if (r.name === '__acquires' || r.name === '__cond_acquires') annotations.acquires.push(arg);
    else if (r.name === '__releases') annotations.releases.push(arg);
    else {
      // Only the function's parameters and globals are in scope for its annotations.
      const atEntry = { localAt: (name: string) => scope.localAt(name, body.startIndex) };
      const requirement = mustHold(arg, r.start, { ...ctx, scope: atEntry }, site);
      if (requirement) {
        recorder.requirement(requirement);
        required.push(requirement);
      }
    }
  }
  // What the function asserts its caller holds, it holds from its first line: dropping and
  // retaking it (pciehp's up_read … down_read) is then balanced, and taking it again recursion.
  const entry = { ...EMPTY, held: [...required, ...assertedHeld(calls, ctx)].map((r) => ({ ...r.lock, at: r.at, fromCaller: true })) };
  // Stores the walk does not see as assignments: initializers, and fields whose address is taken.
  for (const pair of nodes.initializerPairs) for (const st of initializerStores(pair, source.text)) recorder.store(st.field, st.value);
  for (const field of addressTaken(source.text.slice(body.startIndex, body.endIndex))) recorder.store(field, '?');
  const walker = new Walker(ctx, nodes.labels);
  const end = walker.run(body, [entry]);
  for (const s of end) recorder.exit({ at: site(body.endIndex - 1), held: s.held.filter((h) => h.guardScopeEnd === undefined), released: s.released });

  return {
    name: fn.name,
    file: source.path,
    at: site(fn.location.start),
    isStatic: fn.isStatic,
    ...(fn.overload !== undefined && { overload: fn.overload }),
    parameters: fn.parameters.map((p) => p.name),
    ...downcastsOf(calls, body, fn, ctx),
    ...withUnwinding(recorder.facts(), body),
    annotations,
    partial: walker.partial || node.hasError,
  };
}

/** The nodes of a body the summary reads, by kind: one traversal of the body for all of them. */
interface BodyNodes {
  readonly calls: SyntaxNode[];
  readonly declarations: SyntaxNode[];
  readonly initDeclarators: SyntaxNode[];
  readonly assignments: SyntaxNode[];
  readonly updates: SyntaxNode[];
  readonly labels: SyntaxNode[];
  readonly initializerPairs: SyntaxNode[];
}

const BODY_NODE_TYPES = ['call_expression', 'declaration', 'init_declarator', 'assignment_expression', 'update_expression', 'labeled_statement', 'initializer_pair'];

function bodyNodes(body: SyntaxNode): BodyNodes {
  const out: BodyNodes = { calls: [], declarations: [], initDeclarators: [], assignments: [], updates: [], labels: [], initializerPairs: [] };
  for (const n of body.descendantsOfType(BODY_NODE_TYPES)) {
    if (!n) continue;
    switch (n.type) {
      case 'call_expression': out.calls.push(n); break;
      case 'declaration': out.declarations.push(n); break;
      case 'init_declarator': out.initDeclarators.push(n); break;
      case 'assignment_expression': out.assignments.push(n); break;
      case 'update_expression': out.updates.push(n); break;
      case 'initializer_pair': out.initializerPairs.push(n); break;
      default: out.labels.push(n);
    }
  }
  return out;
}

/** Effects that change what a path holds: a function calling none is lock-free. */
const HOLDING = new Set(['acquire', 'release', 'downgrade', 'callback-if-true', 'irq-disable', 'irq-enable', 'bh-disable', 'bh-enable', 'preempt-disable', 'preempt-enable']);
const GUARDS = new Set(['guard', 'scoped_guard', 'scoped_cond_guard']);

function changesHeld(name: string, catalog: Catalog, helpers: CallContext['helpers']): boolean {
  return GUARDS.has(name) || (effectsOf(catalog, name)?.some((e) => HOLDING.has(e.kind)) ?? false) || (helpers?.(name)?.length ?? 0) > 0;
}

/**
 * The condition as a fact on file-scope variables (`regmap_debugfs_root`, not a local of that
 * name), or null when it reads none.
 */
function globalFact(condition: string, scope: Scope, index: SymbolIndex, file: string): string | null {
  let found = false;
  let isStatic = false;
  for (const name of condition.match(IDENTIFIERS) ?? []) {
    const v = scope.declares(name) ? undefined : index.lookupVariable(name, file);
    if (!v) continue;
    found = true;
    isStatic ||= v.isStatic;
  }
  // A file's static is that file's: `@{file}cond`, so another file's assignment does not decide it.
  return !found ? null : isStatic ? `@{${file}}${condition}` : `@${condition}`;
}
const IDENTIFIERS = /(?<![\w.>])[A-Za-z_]\w*(?!\s*\()/g;

/**
 * Marks the calls of the error-unwinding ladder: top-level statements after the first top-level
 * `return` or `goto`, which only a `goto` reaches.
 */
function withUnwinding<T extends { calls: Call[] }>(facts: T, body: SyntaxNode): T {
  const end = body.namedChildren.find((s) => s?.type === 'return_statement' || s?.type === 'goto_statement');
  const ladder = end ? end.endIndex : -1;
  if (ladder < 0 || !facts.calls.some((c) => c.at.offset > ladder)) return facts;
  return { ...facts, calls: facts.calls.map((c) => (c.at.offset > ladder ? { ...c, unwinding: true } : c)) };
}

/**
 * Locals given one value in the whole body, a pure expression of a parameter (`struct
 * device_driver *drv = dev->driver;`): a condition on the local is one on the parameter.
 */
function aliasesOf(nodes: BodyNodes, parameters: ReadonlySet<string>): Map<string, string> {
  const values = new Map<string, string | undefined>();
  const set = (name: string, given: SyntaxNode | null | undefined) => {
    // `sp = bus_to_subsys(dev->bus)`: NULL exactly when its argument is, as a test reads it.
    const value = given?.type === 'call_expression' && NULL_PASSING.has(given.childForFieldName('function')?.text ?? '') && args(given).length === 1 ? args(given)[0] : given;
    const text = value && isPure(value) ? value.text.replace(/\s+/g, '') : undefined;
    const root = text !== undefined ? /^[A-Za-z_]\w*/.exec(text)?.[0] : undefined;
    values.set(name, values.has(name) || root === undefined || !parameters.has(root) || text === root ? undefined : text);
  };
  for (const n of [...nodes.initDeclarators, ...nodes.assignments, ...nodes.updates]) {
    if (n?.type === 'init_declarator') {
      const name = n.childForFieldName('declarator');
      if (name?.type === 'identifier') set(name.text, n.childForFieldName('value'));
      else if (name?.type === 'pointer_declarator') {
        const inner = name.childForFieldName('declarator');
        if (inner?.type === 'identifier') set(inner.text, n.childForFieldName('value'));
      }
    } else if (n?.type === 'assignment_expression') {
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier') set(left.text, n.childForFieldName('operator')?.text === '=' ? n.childForFieldName('right') : undefined);
    } else if (n?.type === 'update_expression') {
      const arg = n.childForFieldName('argument');
      if (arg?.type === 'identifier') values.set(arg.text, undefined);
    }
  }
  const out = new Map<string, string>();
  for (const [k, v] of values) if (v !== undefined && !parameters.has(k)) out.set(k, v);
  return out;
}

const CONTAINER_OF = new Set(['container_of', 'container_of_const']);

/**
 * Parameters the function downcasts: `struct pci_dev *pdev = to_pci_dev(dev);`,
 * `drv->remove(to_mdev_device(dev))` — a bus's or driver's callback taking its device to be of
 * its kind. A downcast under a test of that parameter (`if (dev_is_pci(dev)) … to_pci_dev(dev)`)
 * says nothing of every caller, so it does not count.
 */
function downcastsOf(calls: readonly SyntaxNode[], body: SyntaxNode, fn: FunctionSymbol, ctx: CallContext): { downcasts?: Downcast[] } {
  const out: Downcast[] = [];
  const tested = (node: SyntaxNode, name: string) => {
    const mentions = new RegExp(`(?<![\\w.>])${name}(?![\\w])`);
    for (let n = node.parent; n && n.id !== body.id; n = n.parent) {
      const condition = n.type === 'if_statement' || n.type === 'conditional_expression' || n.type === 'while_statement'
        ? n.childForFieldName('condition') : null;
      if (condition && mentions.test(condition.text)) return true;
    }
    return false;
  };
  for (const call of calls) {
    const callee = calleeName(call, ctx);
    const container0 = CONTAINER_OF.has(callee) ? undefined : ctx.index.containerHelper(callee);
    if (!CONTAINER_OF.has(callee) && !container0) continue;
    const [object, type] = args(call);
    if (object?.type !== 'identifier') continue;
    const param = fn.parameters.findIndex((p) => p.name === object.text);
    if (param < 0 || out.some((d) => d.param === param) || tested(call, object.text)) continue;
    const container = container0 ?? (type ? ctx.text.slice(type.startIndex, type.endIndex).replace(/\bconst\b/g, '').replace(/\s+/g, ' ').trim() : undefined);
    if (container?.startsWith('struct ')) out.push({ param, container });
  }
  return out.length > 0 ? { downcasts: out } : {};
}

/** `lockdep_assert_held(&l)` and the like anywhere in the body: locks the caller holds. */
function assertedHeld(calls: readonly SyntaxNode[], ctx: CallContext): Requirement[] {
  const out: Requirement[] = [];
  for (const call of calls) {
    for (const e of effectsOf(ctx.catalog, calleeName(call, ctx)) ?? []) {
      if (e.kind !== 'assert-held') continue;
      const arg = e.arg !== undefined ? args(call)[e.arg] : undefined;
      const section = e.primitive !== undefined ? SECTION_CLASS[e.primitive] : undefined;
      const name = arg ? lockName(arg, e.path ?? [], ctx) : section ? { class: section, instance: section } : undefined;
      if (name && !out.some((r) => r.lock.instance === name.instance)) {
        out.push({ lock: { ...name, primitive: e.primitive ?? 'mutex', mode: e.mode ?? 'exclusive' }, at: ctx.site(call.startIndex), via: 'lockdep_assert_held' });
      }
    }
  }
  return out;
}

/** `__must_hold(&p->lock)`: its argument parsed on its own and named like any lock. */
function mustHold(arg: string, at: number, ctx: Parameters<typeof lockName>[2], site: (offset: number) => Site): Requirement | undefined {
  const tree = parseC(`void f(void) { (${arg}); }`);
  try {
    const expr = tree.rootNode.descendantsOfType('parenthesized_expression')[0]?.namedChild(0);
    if (!expr) return undefined;
    const name = lockName(expr, [], { ...ctx, text: `void f(void) { (${arg}); }` });
    return name ? { lock: { ...name, primitive: 'mutex', mode: 'exclusive' }, at: site(at), via: '__must_hold' } : undefined;
  } finally {
    tree.delete();
  }
}
