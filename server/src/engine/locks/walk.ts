// The path-sensitive walk of one function body. It carries a small set of states (locks held, in
// order) through the syntax tree: if/else and switch split and join them, loops run to a fixpoint
// (never unrolled), `goto` carries states to its label (a backward goto reruns the walk), and a
// condition on a trylock or interruptible result — negated, compared or through a variable —
// decides on which branch the lock is held. Guards release at the end of their scope.

import { isTry, PURE_TESTS, succeedsWhenTrue } from './catalog';
import type { SyntaxNode } from '../source/parser';
import { acquire, applyCall, applyCallback, applyGuard, args, calleeName, parameterOf, type CallContext } from './calls';
import { decidableTemplate, template } from './conditions';
import { dedupe, dropAllGuards, dropGuards, dropGuardsLeaving, elementOf, forget, forgetReleases, isSet, mergeFacts, rootedAt, withFact, withPending, type State } from './state';
import { readDeclarator } from '../index/declarators';
import { storesOf } from '../index/stores';
import { assignedIn, constantTruth, isPure, previousPass, unwrap, walkCompleted, walkEmpty } from './walkHelpers';

interface Flow {
  readonly breakTo?: State[];
  readonly continueTo?: State[];
  /** End of the loop or switch a `break` leaves: guards scoped inside it release. */
  readonly breakEnd?: number;
  /** End of the innermost block: where a `guard()` declared here releases. */
  readonly blockEnd: number;
}

export type WalkContext = CallContext;

const MAX_LOOP_ROUNDS = 4;
/** Calls whose value in a condition is their argument's. */
const TRANSPARENT_CONDITIONS = new Set(['likely', 'unlikely', 'WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE', '__builtin_expect']);
/** Literal nodes a condition may be: constant, one way only. */
const LITERALS = new Set(['true', 'false', 'number_literal', 'null']);
/** Tests of the kernel configuration: constants of one build. */
const CONFIG_TESTS = new Set(['IS_ENABLED', 'IS_BUILTIN', 'IS_MODULE', 'IS_REACHABLE']);
const MAX_GOTO_ROUNDS = 3;

/** Calls that store their second argument into their first. */
const STORE_MACROS = new Set(['WRITE_ONCE', 'smp_store_release', 'smp_store_mb', 'atomic_set', 'atomic_long_set']);

/**
 * The states entering at `case V:`: those that may hold V, now knowing they do. A path that knows
 * the value is not V (`if (mode == MODE_LOCKED)` false), or is another case's, does not enter.
 */
function caseStates(entry: readonly State[], tested: string, value: string): State[] {
  const key = `${tested}==${value}`;
  const prefix = `${tested}==`;
  const out: State[] = [];
  for (const s of entry) {
    if (s.facts.get(key) === false) continue;
    let other = false;
    for (const [k, v] of s.facts) if (v && k !== key && k.startsWith(prefix) && /^[\w.>-]+$/.test(k.slice(prefix.length))) { other = true; break; }
    if (!other) out.push(withFact(s, key, true));
  }
  return out;
}

export class Walker {
  private readonly gotos = new Map<string, State[]>();
  private readonly labelsSeen = new Set<string>();
  private backEdge = false;
  partial = false;

  /** Cursors of the loops being walked, innermost last. */
  private readonly cursors: (readonly string[])[] = [];
  /** Per loop being walked: the cursor-rooted locks its body releases (an unlock walk). */
  private readonly setReleases: Set<string>[] = [];
  /** Per loop being walked: the cursor-rooted locks its body takes (a lock walk). */
  private readonly setAcquires: Set<string>[] = [];
  private readonly ctx: WalkContext;

  /** `labelNodes`: the body's labelled statements, when the caller has them already. */
  constructor(ctx: WalkContext, private readonly labelNodes?: readonly SyntaxNode[]) {
    this.ctx = {
      ...ctx,
      cursorRooted: (instance) => this.cursors.some((cs) => rootedAt(instance, cs)),
      onCursorRelease: (instance) => this.setReleases.at(-1)?.add(instance),
      onCursorAcquire: (instance) => this.setAcquires.at(-1)?.add(instance),
      inLoop: () => this.cursors.length > 0,
    };
  }

  /** Walks `body` from `entry`; the exits are recorded, the states falling off the end returned. */
  private body: SyntaxNode | undefined;

  run(body: SyntaxNode, entry: State[]): State[] {
    this.body = body;
    let end: State[] = [];
    for (let round = 0; round < MAX_GOTO_ROUNDS; round++) {
      this.labelsSeen.clear();
      this.backEdge = false;
      end = this.exec(body, entry, { blockEnd: body.endIndex });
      if (!this.backEdge) break;
    }
    return end;
  }

  private dedupe(states: readonly State[]): State[] {
    return dedupe(states, () => (this.partial = true));
  }

  private exec(node: SyntaxNode, states: State[], flow: Flow): State[] {
    switch (node.type) {
      case 'compound_statement':
        return this.block(node, states, flow);
      case 'expression_statement': {
        const e = node.namedChild(0);
        return e ? this.expr(e, states, flow) : states;
      }
      case 'declaration':
        return this.declaration(node, states, flow);
      case 'if_statement':
        return this.ifStatement(node, states, flow);
      case 'switch_statement':
        return this.switchStatement(node, states, flow);
      case 'while_statement':
        return this.loop(node, states, flow, { cond: node.childForFieldName('condition'), body: node.childForFieldName('body') });
      case 'do_statement':
        return this.loop(node, states, flow, { cond: node.childForFieldName('condition'), body: node.childForFieldName('body'), bodyFirst: true });
      case 'for_statement': {
        const init = node.childForFieldName('initializer');
        const start = init ? this.exec(init, states, flow) : states;
        const update = node.childForFieldName('update');
        return this.loop(node, start, flow, {
          cond: node.childForFieldName('condition'), body: node.childForFieldName('body'), update, cursors: assignedIn(update),
        });
      }
      case 'return_statement': {
        const value = node.namedChild(0);
        const out = value ? this.expr(value, states, flow) : states;
        const text = value ? this.ctx.text.slice(value.startIndex, value.endIndex) : undefined;
        for (const s of out) {
          this.ctx.recorder.exit({ at: this.ctx.site(node.startIndex), held: dropAllGuards(s).held, released: s.released, ...(text !== undefined && { value: text }) });
        }
        return [];
      }
      case 'break_statement':
        flow.breakTo?.push(...states.map((s) => dropGuards(s, flow.breakEnd ?? flow.blockEnd)));
        return [];
      case 'continue_statement':
        flow.continueTo?.push(...states.map((s) => dropGuards(s, flow.breakEnd ?? flow.blockEnd)));
        return [];
      case 'goto_statement': {
        const label = node.childForFieldName('label')?.text;
        if (label) {
          // Jumping out of a guard's scope releases it.
          const target = this.labelAt(label);
          const out = target === undefined ? states : states.map((s) => dropGuardsLeaving(s, target));
          if (this.labelsSeen.has(label)) this.backEdge ||= this.addGotoStates(label, out);
          else this.addGotoStates(label, out);
        }
        return [];
      }
      case 'labeled_statement':
        // The labelled statement (comments may stand between it and the label).
        return this.sequence(node.namedChildren.filter((c) => c !== null && c.type !== 'statement_identifier'), this.arriveAt(node, states), flow);
      case 'preproc_if': case 'preproc_ifdef': case 'preproc_else': case 'preproc_elif': case 'preproc_elifdef':
        return this.preprocessor(node, states, flow);
      case 'comment': case 'preproc_call': case 'preproc_def': case 'preproc_function_def': case 'type_definition': case ';':
        return states;
      case 'ERROR':
        this.partial = true;
        return this.sequence(node.namedChildren, states, flow);
      default:
        return this.expr(node, states, flow);
    }
  }

  private labels: Map<string, number> | undefined;

  /** Where label `name` stands in the function being walked. */
  private labelAt(name: string): number | undefined {
    if (!this.labels) {
      this.labels = new Map();
      for (const l of this.labelNodes ?? this.body?.descendantsOfType('labeled_statement') ?? []) {
        const n = l?.childForFieldName('label')?.text;
        if (n && l) this.labels.set(n, l.startIndex);
      }
    }
    return this.labels.get(name);
  }

  /** The states at a label: those falling into it and those its `goto`s brought. */
  private arriveAt(labelled: SyntaxNode, states: State[]): State[] {
    const label = labelled.childForFieldName('label')?.text;
    if (!label) return states;
    this.labelsSeen.add(label);
    return this.dedupe([...states, ...(this.gotos.get(label) ?? [])]);
  }

  /** Records states arriving at a label by `goto`; true when any is new there. */
  private addGotoStates(label: string, states: State[]): boolean {
    const before = this.gotos.get(label) ?? [];
    const after = this.dedupe([...before, ...states]);
    this.gotos.set(label, after);
    return after.length > before.length;
  }

  private sequence(nodes: readonly (SyntaxNode | null)[], states: State[], flow: Flow): State[] {
    let cur = states;
    for (const n of nodes) if (n) cur = this.exec(n, cur, flow);
    return cur;
  }

  private block(node: SyntaxNode, states: State[], outer: Flow): State[] {
    const flow: Flow = { ...outer, blockEnd: node.endIndex };
    const children = node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    let cur = states;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      // `err_undo: list_for_each_entry_from_reverse(…)` — the label holds the macro's head, the
      // block's next statement its body.
      const labelled = child.type === 'labeled_statement' ? child.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'statement_identifier' && c.type !== 'comment') : [];
      const last = labelled.at(-1) ?? child;
      const head = this.blockMacroHead(last);
      const body = head ? children[i + 1] : undefined;
      if (head && body) {
        if (child.type === 'labeled_statement') cur = this.arriveAt(child, cur);
        cur = this.sequence(labelled.slice(0, -1), cur, flow);
        cur = this.blockMacro(head, body, cur, flow);
        i++;
      } else {
        cur = this.exec(child, cur, flow);
      }
    }
    return this.dedupe(cur.map((s) => dropGuards(s, node.endIndex)));
  }

  /** The call of a block macro whose `;` the normaliser put in (`list_for_each_entry(…) {`). */
  private blockMacroHead(stmt: SyntaxNode): SyntaxNode | undefined {
    if (stmt.type !== 'expression_statement') return undefined;
    const call = stmt.namedChild(0);
    if (call?.type !== 'call_expression' || call.childForFieldName('function')?.type !== 'identifier') return undefined;
    // The normaliser's `;` stands where the original has a blank; a real `;` ends a plain call.
    return /\s/.test(this.ctx.text[stmt.endIndex - 1] ?? '') ? call : undefined;
  }

  private blockMacro(call: SyntaxNode, body: SyntaxNode, states: State[], flow: Flow): State[] {
    const name = call.childForFieldName('function')!.text;
    const a = args(call);
    if (name === 'scoped_guard' || name === 'scoped_cond_guard') {
      // scoped_guard(T, &l) { … }: held for the body, released after it.
      const guardClass = a[0]?.text ?? '';
      const lockArg = name === 'scoped_guard' ? a[1] : a[2];
      const inside = applyGuard(states, guardClass, lockArg, call, this.ctx, body.endIndex);
      const out = this.exec(body, inside, flow);
      return out.map((s) => dropGuards(s, body.endIndex));
    }
    // An iterator: its arguments are evaluated, then the body runs zero or more times, its
    // cursor (`pos` of list_for_each_entry) naming another object on each pass.
    let cur = states;
    for (const x of a) cur = this.expr(x, cur, flow);
    const cursor = a[0]?.type === 'identifier' ? [a[0].text] : [];
    const texts = a.map((x) => this.ctx.text.slice(x.startIndex, x.endIndex));
    // What the walk tells of its list serves pairing locks with unlocks: none in a lock-free function.
    const completed = this.ctx.lockFree ? undefined : walkCompleted(name, texts);
    const parts = { cond: null, body, mayNotRun: true, cursors: cursor, ...(completed && { completed }) };
    const empty = this.ctx.lockFree ? undefined : walkEmpty(name, texts);
    if (!empty) return this.loop(body, cur, flow, parts);
    // A walk over a list known empty makes no pass, one over a list known not to makes one at
    // least: a second walk of the same list (vfio_pci_dev_set_hot_reset() locks each device in
    // one, then wakes each in another) passes over what the first did.
    const none = cur.filter((s) => s.facts.get(empty.key) !== false).map((s) => withFact(s, empty.key, true));
    const some = cur.filter((s) => s.facts.get(empty.key) !== true).map((s) => withFact(s, empty.key, false));
    const ran = some.length > 0 ? this.loop(body, some, flow, { ...parts, atLeastOnce: true }) : [];
    const skipped = completed ? none.map((s) => withFact(s, completed, true)) : none;
    const out = this.dedupe([...skipped, ...ran]);
    // A walk that may delete its entries (`_safe`) may leave the list empty.
    return empty.mayEmpty ? out.map((s) => withFact(s, empty.key, undefined)) : out;
  }

  private declaration(node: SyntaxNode, states: State[], flow: Flow): State[] {
    let cur = states;
    for (const d of node.childrenForFieldName('declarator')) {
      if (d?.type !== 'init_declarator') continue;
      const value = d.childForFieldName('value');
      // `int (*func)(…) = NULL;`, `struct x *p = …;`: the name under the declarator chain.
      const name = d.childForFieldName('declarator');
      if (!value) continue;
      const declared = name?.type === 'identifier' ? name.text : name ? readDeclarator(name)?.name : undefined;
      cur = declared !== undefined ? this.assign(declared, value, cur, flow) : this.expr(value, cur, flow);
    }
    return cur;
  }

  /** `x = call(…)`: a fallible acquisition's result, or an SRCU index, lands in `x`. */
  private assign(name: string, value: SyntaxNode, assigned: State[], flow: Flow): State[] {
    // A new value: what was known of `name`, and what its old object released, no longer holds.
    let states = assigned.map((s) => forgetReleases(forget(s, name), name));
    const v = unwrap(value);
    // `locked = true;` … `if (locked) mutex_unlock(&l);`: a constant is remembered as a fact.
    const truth = constantTruth(v);
    // (A local function pointer's NULL is kept too: calls through it read what it holds.)
    if (truth !== undefined && (this.useful(name) || (this.ctx.scope.assignedTo?.(name).length ?? 0) > 0)) {
      states = states.map((s) => withFact(s, name, truth));
    }
    // A local function pointer given a function: later calls through it reach that one.
    if (v.type === 'identifier' && this.ctx.index.lookupFunction(v.text, this.ctx.file) && this.ctx.scope.assignedTo?.(name).includes(v.text)) {
      states = states.map((s) => withFact(withFact(s, name, true), `${name}==${v.text}`, true));
    }
    if (v.type === 'call_expression') {
      let cur = states;
      for (const a of args(v)) cur = this.expr(a, cur, flow);
      return applyCall(cur, v, this.ctx, name);
    }
    return this.expr(value, states.map((s) => (s.pending.has(name) ? withPending(s, name, undefined) : s)), flow);
  }

  private expr(node: SyntaxNode, states: State[], flow: Flow): State[] {
    switch (node.type) {
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        // guard(mutex)(&l): scope-based, released at the end of the enclosing block.
        if (fn?.type === 'call_expression' && fn.childForFieldName('function')?.text === 'guard') {
          const guardClass = args(fn)[0]?.text ?? '';
          return applyGuard(states, guardClass, args(node)[0], node, this.ctx, flow.blockEnd);
        }
        let cur = states;
        const given = args(node);
        for (const a of given) cur = this.expr(a, cur, flow);
        // `WRITE_ONCE(v->irq_type, X)`: a store into the field like an assignment.
        if (STORE_MACROS.has(fn?.text ?? '') && given[0]?.type === 'field_expression') this.store(given[0], given[1]);
        return applyCall(cur, node, this.ctx);
      }
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type === 'identifier' && right) {
          this.noteGlobal(node, left.text, right);
          return this.assign(left.text, right, states, flow);
        }
        const target = left ? this.ctx.text.slice(left.startIndex, left.endIndex).replace(/\s+/g, '') : '';
        if (left?.type === 'field_expression') this.store(left, node.childForFieldName('operator')?.text === '=' ? right : null);
        // `d->poller = kthread_run(…)`: the call learns where its result is kept.
        if (left?.type === 'field_expression' && right?.type === 'call_expression' && this.startsThread(right)) {
          let cur = states.map((s) => forget(s, target));
          for (const a of args(right)) cur = this.expr(a, cur, flow);
          return this.expr(left, applyCall(cur, right, this.ctx, undefined, left), flow);
        }
        return this.sequence([right, left], states.map((s) => forget(s, target)), flow);
      }
      case 'update_expression': {
        // `i++`: what was known of conditions on `i` no longer holds.
        const target = node.childForFieldName('argument');
        if (target?.type === 'field_expression') this.store(target, null);
        const name = target ? this.ctx.text.slice(target.startIndex, target.endIndex).replace(/\s+/g, '') : '';
        return this.sequence(node.namedChildren, states.map((s) => forget(s, name)), flow);
      }
      case 'identifier': case 'number_literal': case 'string_literal': case 'char_literal':
      case 'true': case 'false': case 'null': case 'field_identifier': case 'sizeof_expression':
      case 'concatenated_string': case 'type_descriptor':
        return states;
      case 'conditional_expression': {
        const { t, f } = this.cond(node.childForFieldName('condition')!, states, flow);
        const a = node.childForFieldName('consequence');
        const b = node.childForFieldName('alternative');
        return this.dedupe([...(a ? this.expr(a, t, flow) : t), ...(b ? this.expr(b, f, flow) : f)]);
      }
      default:
        return this.sequence(node.namedChildren, states, flow);
    }
  }

  /** A store into a struct field: its value when a constant expression (`cond ? A : B` too), else `?`. */
  private store(field: SyntaxNode, value: SyntaxNode | null | undefined): void {
    const name = field.childForFieldName('field')?.text;
    if (!name) return;
    for (const st of value ? storesOf(name, value, this.ctx.text) : [{ field: name, value: '?' }]) this.ctx.recorder.store(st.field, st.value);
  }

  /**
   * `xenwatch_pid = current->pid;` at the function's top level: what the callees it then calls
   * test of that variable is this function's choice (needs.ts). One under a condition or in a
   * loop is not on every path, so it does not count.
   */
  private noteGlobal(node: SyntaxNode, name: string, value: SyntaxNode): void {
    if (this.ctx.scope.localAt(name, node.startIndex) !== undefined) return;
    const v = this.ctx.index.lookupVariable(name, this.ctx.file);
    const statement = node.parent;
    if (!v || statement?.type !== 'expression_statement' || statement.parent?.id !== this.body?.id) return;
    const stored = storesOf(name, value, this.ctx.text);
    const constant = stored.length === 1 && stored[0]!.value !== '?' ? stored[0]!.value : undefined;
    this.ctx.recorder.assigns({
      name, offset: node.startIndex, ...(constant !== undefined && { value: constant }), ...(v.isStatic && { file: this.ctx.file }),
    });
  }

  /** Splits states on a condition: where it is true, where it is false. */
  private cond(node: SyntaxNode, states: State[], flow: Flow): { t: State[]; f: State[] } {
    const n = unwrap(node);
    // `while (true)`, `while (1)`, `do { } while (0)`: one way only.
    const truth = LITERALS.has(n.type) ? constantTruth(n) : undefined;
    if (truth !== undefined) return truth ? { t: states, f: [] } : { t: [], f: states };
    if (n.type === 'unary_expression' && n.child(0)?.type === '!') {
      const { t, f } = this.cond(n.childForFieldName('argument')!, states, flow);
      return { t: f, f: t };
    }
    if (n.type === 'binary_expression') {
      const op = n.child(1)?.type;
      const left = n.childForFieldName('left')!;
      const right = n.childForFieldName('right')!;
      if (op === '&&') {
        const l = this.cond(left, states, flow);
        const r = this.cond(right, l.t, flow);
        return { t: r.t, f: this.dedupe([...l.f, ...r.f]) };
      }
      if (op === '||') {
        const l = this.cond(left, states, flow);
        const r = this.cond(right, l.f, flow);
        return { t: this.dedupe([...l.t, ...r.t]), f: r.f };
      }
      // `ret < 0`, `ret != 0`, `!= NULL`: true when `ret` is; `== 0` the other way round.
      if (constantTruth(right) === false && (op === '!=' || op === '<' || op === '==')) {
        const inner = this.cond(left, states, flow);
        return op === '==' ? { t: inner.f, f: inner.t } : inner;
      }
    }
    if (n.type === 'assignment_expression' && n.childForFieldName('left')?.type === 'identifier') {
      const name = n.childForFieldName('left')!.text;
      return this.testVariable(name, this.assign(name, n.childForFieldName('right')!, states, flow));
    }
    if (n.type === 'call_expression') {
      const callee = calleeName(n, this.ctx);
      // `unlikely(!mutex_trylock(&l))`, `WARN_ON(ret)`: the condition is their argument.
      if (TRANSPARENT_CONDITIONS.has(callee) && args(n).length === 1) return this.cond(args(n)[0]!, states, flow);
      // `IS_ENABLED(CONFIG_FOO)`: a constant of the build, the same each time it is tested.
      if (CONFIG_TESTS.has(callee) || PURE_TESTS.has(callee)) return this.remember(this.ctx.text.slice(n.startIndex, n.endIndex).replace(/\s+/g, ''), states);
      const callback = this.ctx.catalog.functions.get(callee)?.find((e) => e.kind === 'callback-if-true');
      if (callback?.kind === 'callback-if-true') {
        let cur = states;
        for (const a of args(n)) cur = this.expr(a, cur, flow);
        return { t: applyCallback(cur, callback.arg, n, this.ctx), f: cur };
      }
      const fallible = this.fallibleAcquire(n);
      if (fallible) {
        const tmp = `\0${n.startIndex}`;
        let cur = states;
        for (const a of args(n)) cur = this.expr(a, cur, flow);
        return this.testVariable(tmp, applyCall(cur, n, this.ctx, tmp));
      }
    }
    if (n.type === 'identifier' && states.some((s) => s.pending.has(n.text))) return this.testVariable(n.text, states);
    // A flag, pointer or comparison tested again later: each path remembers which way it went.
    if (isPure(n)) return this.remember(this.ctx.text.slice(n.startIndex, n.endIndex).replace(/\s+/g, ''), states);
    const out = this.expr(n, states, flow);
    return { t: out, f: out };
  }

  private remember(key: string, states: State[]): { t: State[]; f: State[] } {
    const t: State[] = [];
    const f: State[] = [];
    const keep = this.useful(key);
    for (const s of states) {
      const known = s.facts.get(key);
      if (known === undefined && !keep) {
        t.push(s);
        f.push(s);
        continue;
      }
      if (known !== false) t.push(known === true ? s : withFact(s, key, true));
      if (known !== true) f.push(known === false ? s : withFact(s, key, false));
    }
    return { t, f };
  }

  private stripped: string | undefined;
  private readonly usefulness = new Map<string, boolean>();

  /**
   * A condition worth remembering: the function reads its subject again (to pair an unlock with
   * its lock), or it tests a parameter or a global (callers' needs). One that names nothing the
   * body mentions twice only multiplies paths.
   */
  private useful(key: string): boolean {
    let out = this.usefulness.get(key);
    if (out === undefined) {
      this.stripped ??= this.body ? this.ctx.text.slice(this.body.startIndex, this.body.endIndex).replace(/\s+/g, '') : '';
      const first = this.stripped.indexOf(key);
      const pairs = !this.ctx.lockFree && first >= 0 && this.stripped.indexOf(key, first + 1) >= 0;
      out = pairs || this.decidesForCallers(key);
      this.usefulness.set(key, out);
    }
    return out;
  }

  /** The condition tests a parameter in a way some caller could decide, or a global. */
  private decidesForCallers(key: string): boolean {
    const k = this.ctx.parameterFact?.(key);
    if (k === undefined) return false;
    if (k.startsWith('@')) return true;
    const param = this.ctx.parameters ? parameterOf(k, this.ctx.parameters) : undefined;
    return param !== undefined && decidableTemplate(template(k, param));
  }

  private startsThread(call: SyntaxNode): boolean {
    return this.ctx.catalog.functions.get(calleeName(call, this.ctx))?.some((e) => e.kind === 'thread') ?? false;
  }

  private fallibleAcquire(call: SyntaxNode): boolean {
    const name = calleeName(call, this.ctx);
    const effects = this.ctx.catalog.functions.get(name) ?? this.ctx.helpers?.(name);
    return effects?.some((e) => e.kind === 'acquire' && e.fallible !== undefined) ?? false;
  }

  /** Where variable `name` holds a pending acquisition: true/false decides whether it happened. */
  private testVariable(name: string, states: State[]): { t: State[]; f: State[] } {
    const t: State[] = [];
    const f: State[] = [];
    for (const s of states) {
      const p = s.pending.get(name);
      if (!p) {
        t.push(s);
        f.push(s);
        continue;
      }
      const rest = withPending(s, name, undefined);
      const taken = acquire([rest], p.lock, isTry(p.fallible), p.call, this.ctx, p.helper)[0]!;
      // A trylock returns true on success; down_trylock() and an interruptible lock return 0.
      if (succeedsWhenTrue(p.fallible)) { t.push(taken); f.push(rest); } else { t.push(rest); f.push(taken); }
    }
    return { t: this.dedupe(t), f: this.dedupe(f) };
  }

  private ifStatement(node: SyntaxNode, states: State[], flow: Flow): State[] {
    const { t, f } = this.cond(node.childForFieldName('condition')!, states, flow);
    const then = this.exec(node.childForFieldName('consequence')!, t, flow);
    const alt = node.childForFieldName('alternative');
    const otherwise = alt ? this.exec(alt.type === 'else_clause' ? alt.namedChild(0)! : alt, f, flow) : f;
    return this.dedupe(mergeFacts([...then, ...otherwise]));
  }

  private switchStatement(node: SyntaxNode, states: State[], flow: Flow): State[] {
    const condition = node.childForFieldName('condition')!;
    const entry = this.expr(condition, states, flow);
    const inner0 = unwrap(condition);
    // The fact reads as the condition `(flags&MASK)==V` would: an operand, or one in parentheses.
    const operand = isPure(inner0) ? this.ctx.text.slice(inner0.startIndex, inner0.endIndex).replace(/\s+/g, '') : undefined;
    const tested = operand === undefined || /^[\w.>-]+$/.test(operand) ? operand : `(${operand})`;
    const body = node.childForFieldName('body');
    const breaks: State[] = [];
    const inner: Flow = { ...flow, breakTo: breaks, breakEnd: node.endIndex, ...(body && { blockEnd: body.endIndex }) };
    let through: State[] = [];
    let hasDefault = false;
    const children = (body?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null);
    // A path that knows the value is one of the cases goes to that case, not to `default` or past.
    const values = tested ? children.map((c) => (c.type === 'case_statement' ? c.childForFieldName('value')?.text.replace(/\s+/g, '') : undefined)) : [];
    const keys = values.filter((v): v is string => v !== undefined).map((v) => `${tested}==${v}`);
    const unmatched = keys.length === 0 ? entry : entry.filter((s) => !keys.some((k) => s.facts.get(k) === true));
    for (const c of children) {
      if (c.type !== 'case_statement') {
        through = this.exec(c, through, inner);
        continue;
      }
      const value = c.childForFieldName('value');
      if (!value) hasDefault = true;
      // Entering at `case V:` the switch's value is V; falling in from above, whatever it was.
      const here = value && tested ? caseStates(entry, tested, value.text.replace(/\s+/g, '')) : unmatched;
      through = this.sequence(c.namedChildren.filter((x) => x !== value), this.dedupe([...here, ...through]), inner);
    }
    return this.dedupe([...through, ...breaks, ...(hasDefault ? [] : unmatched)]);
  }

  private loop(
    node: SyntaxNode, states: State[], flow: Flow,
    parts: {
      cond: SyntaxNode | null; body: SyntaxNode | null; update?: SyntaxNode | null; bodyFirst?: boolean;
      mayNotRun?: boolean; cursors?: readonly string[];
      /** A fact true when the loop ran to its end, false when a `break` left it. */
      completed?: string;
      /** The body runs at least once (a list walk over a list known not to be empty). */
      atLeastOnce?: boolean;
    },
  ): State[] {
    const breaks: State[] = [];
    const exits: State[] = [];
    const inner: Flow = { ...flow, breakTo: breaks, continueTo: [], breakEnd: node.endIndex };
    const released = new Set<string>();
    const acquired = new Set<string>();
    this.cursors.push(parts.cursors ?? []);
    this.setReleases.push(released);
    this.setAcquires.push(acquired);
    let head = states;
    for (let round = 0; round < MAX_LOOP_ROUNDS; round++) {
      let cur = head;
      if (parts.cond && !parts.bodyFirst) {
        const c = this.cond(parts.cond, cur, flow);
        exits.push(...c.f);
        cur = c.t;
      } else if (parts.mayNotRun && !parts.atLeastOnce) exits.push(...cur);
      const continues: State[] = [];
      cur = parts.body ? this.exec(parts.body, cur, { ...inner, continueTo: continues }) : cur;
      cur = [...cur, ...continues];
      if (parts.update) cur = this.expr(parts.update, cur, flow);
      if (parts.cursors?.length) cur = cur.map((st) => previousPass(st, parts.cursors!));
      if (parts.atLeastOnce) exits.push(...cur);
      if (parts.cond && parts.bodyFirst) {
        const c = this.cond(parts.cond, cur, flow);
        exits.push(...c.f);
        cur = c.t;
      }
      const next = this.dedupe([...head, ...cur]);
      if (next.length === head.length) break;
      head = next;
      if (round === MAX_LOOP_ROUNDS - 1) this.partial = true;
    }
    this.cursors.pop();
    this.setReleases.pop();
    this.setAcquires.pop();
    // A loop that takes and drops each element's lock is no unlock walk: what a pass kept (a
    // `continue` past the unlock) stays held.
    for (const a of acquired) released.delete(a);
    if (parts.completed) {
      const key = parts.completed;
      exits.splice(0, exits.length, ...exits.map((st) => withFact(st, key, true)));
      breaks.splice(0, breaks.length, ...breaks.map((st) => withFact(st, key, false)));
    }
    // An unlock walk over a list releases the set a lock walk took (`each:` entries), however
    // many passes either made: list lengths are not tracked.
    const walked = (h: { instance: string }) => isSet(h.instance) && released.has(elementOf(h.instance));
    const out = released.size === 0 ? [...exits, ...breaks] : [...exits, ...breaks].map((s) => {
      const gone = s.held.filter(walked).map((h) => h.instance);
      return gone.length === 0 ? s : { ...s, held: s.held.filter((h) => !walked(h)), released: [...new Set([...s.released, ...gone])].sort() };
    });
    return this.dedupe(out);
  }

  /** `#if/#else` inside a body: each branch is a path. */
  private preprocessor(node: SyntaxNode, states: State[], flow: Flow): State[] {
    const alt = node.childForFieldName('alternative');
    const own = node.namedChildren.filter((c) => c !== null && c !== alt && c !== node.childForFieldName('condition') && c !== node.childForFieldName('name'));
    const here = this.sequence(own, states, flow);
    return alt ? this.dedupe([...here, ...this.exec(alt, states, flow)]) : this.dedupe([...here, ...states]);
  }
}
