// Fixes as text edits: each repair a check proposed (findings.ts `Repair`), written against the
// text the adapter hands in, in the function's own style — a `goto` to the label that already
// unlocks where there is one, braces where a bare `if` body grows a second statement. A repair
// the text does not support (not the call it was, no statement to wrap) gives no fix.
import type { Finding, Fix, Repair, TextEdit } from '../findings';
import { RELEASE_BY_PRIMITIVE, RELEASE_OF, TRYLOCK_OF } from '../locks/catalog';
import { callAt, Lines, type CallText } from './text';

export type TextOf = (file: string) => string | undefined;

/** The fixes of a finding's repairs, then the comment that silences it. */
export function fixesOf(f: Finding, textOf: TextOf): Fix[] {
  const out: Fix[] = [];
  for (const r of f.repairs ?? []) {
    const text = textOf(r.file);
    const fix = text === undefined ? undefined : REPAIRS[r.kind](r as never, new Lines(text));
    if (fix) out.push(fix);
  }
  const text = textOf(f.file);
  if (text !== undefined) out.push(suppression(f, new Lines(text)));
  return out;
}

/** The fix that only silences the finding: not a repair, so never the preferred one. */
export const isSuppression = (fix: Fix): boolean => fix.suppresses === true;

const REPAIRS: { [K in Repair['kind']]: (r: Extract<Repair, { kind: K }>, t: Lines) => Fix | undefined } = {
  'release-before-exit': releaseBeforeExit,
  'release-around-call': releaseAroundCall,
  trylock: trylock,
  'synchronize-after-release': synchronizeAfterRelease,
};

const edit = (file: string, t: Lines, from: number, to: number, newText: string): TextEdit => ({ file, start: t.position(from), end: t.position(to), newText });

/** The release of what `acq` took: `mutex_unlock(&l)`, `spin_unlock_irqrestore(&l, flags)`, `srcu_read_unlock(&s, idx)`. */
function releaseOf(acq: CallText): string | undefined {
  const r = RELEASE_OF[acq.name];
  if (!r) return undefined;
  const args = r.args === 'none' ? [] : r.args === 'all' ? acq.args : r.args === 'first' ? acq.args.slice(0, 1) : acq.result ? [acq.args[0]!, acq.result] : undefined;
  return args && `${r.call}(${args.join(', ')})`;
}

/** `acq` taken again as it was: `down_read(&ctrl->reset_lock)`, `idx = srcu_read_lock(&s)`. */
const retake = (acq: CallText) => `${acq.result ? `${acq.result} = ` : ''}${acq.name}(${acq.args.join(', ')})`;

/**
 * `stmts` in place of the statement [from, to): braced when it is the bare body of an
 * `if`/`else`/loop (one statement per line, the kernel's style) — on lines of their own under the
 * head, whether the body was on the head's line or below it.
 */
function replaceStatement(file: string, t: Lines, line: number, from: number, to: number, stmts: readonly string[]): TextEdit[] {
  const indent = t.indentOf(line);
  if (stmts.length === 1) return [edit(file, t, from, to, stmts[0]!)];
  const bare = t.bareBody(from);
  if (!bare) return [edit(file, t, from, to, stmts.join(`\n${indent}`))];
  const outer = t.indentOf(bare.head);
  // On the head's line: the body goes on lines of its own. Below it: braces around it, what lies
  // between (a comment) kept.
  if (t.lineOf(from) === t.lineOf(bare.after - 1)) return [edit(file, t, bare.after, to, ` {\n${outer}\t${stmts.join(`\n${outer}\t`)}\n${outer}}`)];
  return [edit(file, t, bare.after, bare.after, ' {'), edit(file, t, from, to, `${stmts.join(`\n${indent}`)}\n${outer}}`)];
}

function releaseBeforeExit(r: Extract<Repair, { kind: 'release-before-exit' }>, t: Lines): Fix | undefined {
  const acq = callAt(t.text, r.acquired);
  const release = acq && releaseOf(acq);
  if (!acq || !release) return undefined;
  const line = t.lineOf(r.exit);
  // Falling off the end: the release goes on a line of its own before the closing brace.
  if (t.text[r.exit] === '}') {
    const at = r.exit - t.position(r.exit).column;
    return { title: `Release with ${release} before the function ends`, edits: [edit(r.file, t, at, at, `\t${release};\n`)] };
  }
  if (!t.text.startsWith('return', r.exit)) return undefined;
  const end = t.statementEnd(r.exit);
  if (end === undefined) return undefined;
  const value = t.text.slice(r.exit + 'return'.length, end - 1).trim();
  // The function's own way out: a label after which it releases this lock, and the variable it returns there.
  const label = unlockLabel(t, r.exit, release);
  if (label) {
    const stmts = value === '' || value === label.returns ? [`goto ${label.name};`] : label.returns ? [`${label.returns} = ${value};`, `goto ${label.name};`] : undefined;
    if (stmts) return { title: `Go to ${label.name}, which releases with ${release}`, edits: replaceStatement(r.file, t, line, r.exit, end, stmts) };
  }
  return { title: `Release with ${release} before this return`, edits: replaceStatement(r.file, t, line, r.exit, end, [`${release};`, t.text.slice(r.exit, end)]) };
}

/** A line that releases some lock: a call of one of the catalog's releasing functions. */
const RELEASES = new RegExp(`^(?:${[...new Set(Object.values(RELEASE_OF).map((r) => r.call))].join('|')})\\(`);

/** A label below `from` in the same function whose code releases with `release`, and what the function returns after it. */
function unlockLabel(t: Lines, from: number, release: string): { name: string; returns?: string } | undefined {
  const first = t.lineOf(from);
  for (let l = first + 1; l < t.lines.length; l++) {
    const line = t.lines[l]!;
    if (/^}/.test(line)) return undefined; // the function's end
    const m = /^\s*([A-Za-z_]\w*):\s*$/.exec(line);
    if (!m) continue;
    // The label's code must release this very lock before any other (not an outer rung of
    // an unwinding ladder, not a lock whose name starts like this one's).
    let releases = false;
    const wanted = `${release.replace(/\s+/g, '')};`;
    for (let k = l + 1; k < t.lines.length && !/^}/.test(t.lines[k]!); k++) {
      const code = t.lines[k]!.replace(/\s+/g, '');
      if (!releases && code.startsWith(wanted)) releases = true;
      else if (!releases && RELEASES.test(code)) break;
      const ret = /^\s*return\s+([A-Za-z_]\w*)\s*;/.exec(t.lines[k]!);
      if (releases && ret) return { name: m[1]!, returns: ret[1]! };
      if (releases && /^\s*return\s*;/.test(t.lines[k]!)) return { name: m[1]! };
    }
  }
  return undefined;
}

/** The release and re-take of a held lock: from its acquisition's call, or by its primitive. */
function releaseAndTake(r: Extract<Repair, { kind: 'release-around-call' }>, t: Lines): { release: string; take: string; lock: string } | undefined {
  if (r.acquired !== undefined) {
    const acq = callAt(t.text, r.acquired);
    const release = acq && releaseOf(acq);
    return acq && release ? { release, take: retake(acq), lock: acq.args[0] ?? 'the lock' } : undefined;
  }
  if (!r.held) return undefined;
  const calls = RELEASE_BY_PRIMITIVE[`${r.held.primitive}:${r.held.mode}`] ?? RELEASE_BY_PRIMITIVE[r.held.primitive];
  const lock = r.held.primitive === 'device' ? r.held.instance.replace(/(->|\.)mutex$/, '') : r.held.instance;
  return calls && { release: `${calls.release}(&${lock})`, take: `${calls.take}(&${lock})`, lock: `&${lock}` };
}

function releaseAroundCall(r: Extract<Repair, { kind: 'release-around-call' }>, t: Lines): Fix | undefined {
  const calls = releaseAndTake(r, t);
  if (!calls) return undefined;
  const { release, take, lock } = calls;
  // The statement the call is in: from its line's first code to its `;`.
  const line = t.lineOf(r.call);
  const from = r.call - t.position(r.call).column + t.indentOf(line).length;
  const end = t.statementEnd(from);
  if (end === undefined || end < r.call) return undefined;
  const stmt = t.text.slice(from, end);
  // Around a plain statement only: a head (`if (call()) {`) or a return would move code in or out.
  if (/^(?:if|while|for|switch|return|do|else)\b/.test(stmt) || depthZeroBrace(stmt)) return undefined;
  const callee = /^([A-Za-z_][\w>.-]*)\s*\(/.exec(t.text.slice(r.call))?.[1] ?? 'the call';
  return {
    title: `Release ${lock} around ${callee}() (${release.slice(0, release.indexOf('('))} … ${take.slice(0, take.indexOf('('))})`,
    edits: replaceStatement(r.file, t, line, from, end, [`${release};`, stmt, `${take};`]),
  };
}

function depthZeroBrace(stmt: string): boolean {
  let depth = 0;
  for (const c of stmt) {
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '{' && depth === 0) return true;
  }
  return false;
}

function trylock(r: Extract<Repair, { kind: 'trylock' }>, t: Lines): Fix | undefined {
  const acq = callAt(t.text, r.acquired);
  const name = acq && TRYLOCK_OF[acq.name];
  if (!acq || !name || acq.result) return undefined;
  const line = t.lineOf(r.acquired);
  const end = t.statementEnd(r.acquired);
  if (end === undefined || t.text.slice(acq.end, end).trim() !== ';') return undefined;
  const indent = t.indentOf(line);
  return {
    title: `Try ${acq.args[0]} with ${name}, and back off with -EAGAIN`,
    edits: replaceStatement(r.file, t, line, r.acquired, end, [`if (!${name}(${acq.args.join(', ')}))\n${indent}\treturn -EAGAIN;`]),
  };
}

function synchronizeAfterRelease(r: Extract<Repair, { kind: 'synchronize-after-release' }>, t: Lines): Fix | undefined {
  const acq = callAt(t.text, r.acquired);
  const release = acq && releaseOf(acq);
  const sync = callAt(t.text, r.sync);
  if (!acq || !release || !sync) return undefined;
  const syncEnd = t.statementEnd(r.sync);
  // Moved whole only when it is a statement of its own: not a bare `if` body, not sharing a line.
  if (syncEnd === undefined || !t.aloneOnLine(r.sync, syncEnd) || t.bareBody(r.sync)) return undefined;
  // The release of the lock after the wait, in the same function.
  const syncLine = t.lineOf(r.sync);
  const call = release.slice(0, release.indexOf('('));
  for (let l = syncLine + 1; l < t.lines.length && !/^}/.test(t.lines[l]!); l++) {
    const at = t.lines[l]!.indexOf(`${call}(${acq.args[0]}`);
    if (at < 0) continue;
    const relFrom = t.lines.slice(0, l).reduce((n, x) => n + x.length + 1, 0) + at;
    const relEnd = t.statementEnd(relFrom);
    if (relEnd === undefined) return undefined;
    const lineStart = r.sync - t.position(r.sync).column;
    const stmt = t.text.slice(r.sync, syncEnd);
    return {
      title: `Wait for the readers (${sync.name}) after ${call}()`,
      edits: [edit(r.file, t, lineStart, syncEnd + 1, ''), edit(r.file, t, relEnd, relEnd, `\n${t.indentOf(l)}${stmt}`)],
    };
  }
  return undefined;
}

/**
 * `/* lockreview: ignore <code> *\/` alone on the line above the finding's, at its indent: a
 * comment at the line's end could land inside another comment, and a bare `if` body stays one.
 */
function suppression(f: Finding, t: Lines): Fix {
  const at = t.lines.slice(0, f.line).reduce((n, l) => n + l.length + 1, 0);
  const indent = t.indentOf(f.line);
  const eol = t.lines[f.line]?.endsWith('\r') ? '\r\n' : '\n';
  return { title: `Ignore ${f.code} on this line`, suppresses: true, edits: [edit(f.file, t, at, at, `${indent}/* lockreview: ignore ${f.code} */${eol}`)] };
}
