// Preprocessor conditionals. Tree-sitter reads `#if/#else/#endif` whose branches are each whole
// statements or declarations, and the engine then walks every branch, so both sides are analysed.
// A branch that opens a brace or parenthesis the other side closes (a function head or an `if`
// split by `#ifdef`) defeats that; for such a group only, the first live branch is kept inline and
// the other branches and the directives are blanked. `#if 0` code is dead by definition: blanked.

import type { Directive, Directives } from './directives';
import { blankOut, scanTokens, skipComment, skipLiteral } from './lexer';
import type { Edit } from './rewrite';

const OPENS = new Set(['if', 'ifdef', 'ifndef']);
const CONTINUES = new Set(['elif', 'elifdef', 'elifndef', 'else']);

/** Groups `#if … #elif/#else … #endif`, innermost first (in the order they close). */
function groups(directives: readonly Directive[]): Directive[][] {
  const done: Directive[][] = [];
  const open: Directive[][] = [];
  for (const d of directives) {
    if (OPENS.has(d.name)) open.push([d]);
    else if (CONTINUES.has(d.name)) open.at(-1)?.push(d);
    else if (d.name === 'endif') {
      const g = open.pop();
      if (g) done.push([...g, d]);
    }
  }
  return done;
}

/**
 * Net `{}` and `()` depth of code in [start, end), comments and literals skipped. A branch that
 * closes what it did not open (`} else {`) reports -1 even when its net is 0.
 */
function balance(text: string, start: number, end: number): [number, number] {
  let braces = 0;
  let parens = 0;
  let dipped = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) braces++;
    else if (c === 125) dipped ||= --braces < 0;
    else if (c === 40) parens++;
    else if (c === 41) dipped ||= --parens < 0;
    else if (c === 47 || c === 34 || c === 39) {
      const after = c === 47 ? skipComment(text, i) : skipLiteral(text, i);
      if (after !== i) i = Math.min(after, end) - 1;
    }
  }
  return dipped && braces === 0 && parens === 0 ? [-1, 0] : [braces, parens];
}

/**
 * Statement shapes that cannot be split by a directive even though brackets balance: a branch
 * that starts or ends with `else`, ends with a condition whose statement follows the group, a
 * label, or the middle of a list or an expression (`,`, `&&`); or a group right after a label or
 * an `if (…)`/`else` that expects a statement. Only inside braces: at file scope a `)` ends a
 * macro call (`subsys_initcall(f)`), not a condition.
 */
const DANGLING_END = /(?:\belse|[),=?]|&&|\|\||(?:^|\n)[ \t]*[A-Za-z_]\w*[ \t]*:)\s*$/;
const DANGLING_START = /^\s*else\b/;
const LABEL_OR_HEAD_BEFORE = /(?:\belse|\)|^[ \t]*[A-Za-z_]\w*[ \t]*:)[ \t]*$/;

/** Code of [start, end) without comments and directive lines (continuations included). */
function codeOf(text: string, start: number, end: number): string {
  return text
    .slice(start, end)
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '')
    .replace(/^[ \t]*#(?:[^\n]*\\\r?\n)*[^\n]*$/gm, '');
}

/** The last line with code before `pos`, or undefined when a directive comes first. */
function codeLineBefore(text: string, pos: number): string | undefined {
  let end = pos - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    if (/^\s*#/.test(text.slice(start, end))) return undefined;
    const code = codeOf(text, start, end);
    if (code.trim() !== '') return code;
    end = start - 1;
  }
  return undefined;
}

function splitsAStatement(text: string, first: Directive, branches: readonly { start: number; end: number }[]): boolean {
  const before = codeLineBefore(text, first.start);
  if (before !== undefined && LABEL_OR_HEAD_BEFORE.test(before) && !/^\s*default\s*:/.test(before)) {
    return true;
  }
  return branches.some((br) => {
    const code = codeOf(text, br.start, br.end);
    return DANGLING_START.test(code) || DANGLING_END.test(code);
  });
}

/**
 * At file scope: branches that each end in a function head (`int f(int a)`) whose body follows
 * the group. A branch ending in `)` before anything else is a macro call (`subsys_initcall(f)`).
 */
function splitsAFunctionHead(text: string, endif: Directive, branches: readonly { start: number; end: number }[]): boolean {
  const after = codeOf(text, endif.end, Math.min(text.length, endif.end + 400));
  return /^\s*\{/.test(after) && branches.some((br) => /\)\s*$/.test(codeOf(text, br.start, br.end)));
}

/** Brace depth of code at any offset: `{`/`}` outside comments, literals and directives. */
function braceDepth(text: string, directives: Directives): (pos: number) => number {
  const at: number[] = [];
  const depth: number[] = [];
  let d = 0;
  scanTokens(text, (t) => {
    if (t.kind !== 'brace' || directives.at(t.start)) return;
    d = Math.max(0, d + (t.text === '{' ? 1 : -1));
    at.push(t.start);
    depth.push(d);
  });
  return (pos) => {
    let lo = 0;
    let hi = at.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! < pos) { found = depth[mid]!; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  };
}

const isDeadCondition = (d: Directive): boolean =>
  (d.name === 'if' || d.name === 'elif') && /^\s*0\b/.test(d.rest);

/** The edits that make every conditional group in `text` readable by Tree-sitter. */
export function pruneUnbalancedConditionals(text: string, directives: Directives): Edit[] {
  const all = groups(directives.all);
  if (all.length === 0) return [];
  const edits: Edit[] = [];
  /** Regions already blanked, with the balance they had: subtracted from enclosing branches. */
  const blanked: { start: number; end: number; b: [number, number] }[] = [];
  let depthAt: ((pos: number) => number) | undefined;

  const blank = (name: string, start: number, end: number): void => {
    if (end <= start) return;
    blanked.push({ start, end, b: balance(text, start, end) });
    edits.push({ kind: 'conditional-branch', name, start, end, replacement: blankOut(text.slice(start, end)) });
  };
  const liveBalance = (start: number, end: number): [number, number] => {
    let [braces, parens] = balance(text, start, end);
    for (const r of blanked) {
      if (r.start >= start && r.end <= end) {
        braces -= r.b[0];
        parens -= r.b[1];
      }
    }
    return [braces, parens];
  };

  for (const ds of all) {
    const branches = ds.slice(0, -1).map((d, k) => ({ d, start: d.end, end: ds[k + 1]!.start }));
    const dead = branches.filter((br) => isDeadCondition(br.d));
    for (const br of dead) blank(`#${br.d.name} ${br.d.rest.trim()}`, br.start, br.end);
    const live = branches.filter((br) => !dead.includes(br));
    const unbalanced = live.some((br) => {
      const [b, p] = liveBalance(br.start, br.end);
      return b !== 0 || p !== 0;
    });
    if (!unbalanced) {
      depthAt ??= braceDepth(text, directives);
      const split = depthAt(ds[0]!.start) === 0
        ? splitsAFunctionHead(text, ds.at(-1)!, live)
        : splitsAStatement(text, ds[0]!, live);
      if (!split) continue;
    }
    // Keep the first live branch inline; blank the rest and every directive line of the group.
    const name = `#${ds[0]!.name} ${ds[0]!.rest.trim()}`;
    for (const br of live.slice(1)) blank(name, br.start, br.end);
    for (const d of ds) blank(name, d.start, d.end);
  }
  return edits;
}
