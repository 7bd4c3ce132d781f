// Preprocessor conditionals. Tree-sitter reads `#if/#else/#endif` whose branches are each whole
// statements or declarations, and the engine then walks every branch, so both sides are analysed.
// A branch that opens a brace or parenthesis the other side closes (a function head or an `if`
// split by `#ifdef`) defeats that; for such a group only, the first live branch is kept inline and
// the other branches and the directives are blanked. `#if 0` code is dead by definition: blanked.

import { blankOut, skipComment, skipLiteral } from './lexer';
import type { Edit } from './rewrite';

interface Line {
  readonly start: number;
  /** Offset of the line break (or the text's end); continuation lines are folded in. */
  readonly end: number;
  readonly directive?: string;
  readonly condition?: string;
}

interface Group {
  /** The directive lines `#if…`, `#elif`/`#else`…, `#endif`, in order. */
  readonly directives: Line[];
}

const DIRECTIVE = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(.*)$/;

function directiveLines(text: string): Line[] {
  const lines: Line[] = [];
  let i = 0;
  while (i < text.length) {
    const hash = text.indexOf('#', i);
    if (hash < 0) break;
    const start = text.lastIndexOf('\n', hash - 1) + 1;
    let end = text.indexOf('\n', hash);
    if (end < 0) end = text.length;
    while (end > 0 && end < text.length && text.charCodeAt(end - 1) === 92) {
      const next = text.indexOf('\n', end + 1);
      end = next < 0 ? text.length : next;
    }
    const m = DIRECTIVE.exec(text.slice(start, end));
    if (m && start >= i) lines.push({ start, end, directive: m[1]!, condition: m[2]!.trim() });
    i = end + 1;
  }
  return lines;
}

function groups(lines: Line[]): Group[] {
  const done: Group[] = [];
  const open: Group[] = [];
  for (const line of lines) {
    const d = line.directive!;
    if (d.startsWith('if')) open.push({ directives: [line] });
    else if (d === 'endif') {
      const g = open.pop();
      if (g) {
        g.directives.push(line);
        done.push(g); // inner groups complete first
      }
    } else open.at(-1)?.directives.push(line);
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
 * that starts or ends with `else`, ends with a condition whose statement follows the group or in
 * the middle of a list or an expression (`,`, `&&`), or a
 * group right after a label or an `if (…)`/`else` that expects a statement.
 */
const DANGLING_END = /(?:\belse|[),=?]|&&|\|\||(?:^|\n)[ \t]*[A-Za-z_]\w*[ \t]*:)\s*$/;
const DANGLING_START = /^\s*else\b/;
const LABEL_OR_HEAD_BEFORE = /(?:\belse|\)|^[ \t]*[A-Za-z_]\w*[ \t]*:)[ \t]*$/;

function codeOf(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '').replace(/^[ \t]*#.*$/gm, '');
}

/** The last line with code before `pos`, or undefined when a directive comes first. */
function codeLineBefore(text: string, pos: number): string | undefined {
  let end = pos - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    if (/^\s*#/.test(line)) return undefined;
    const code = codeOf(text, start, end);
    if (code.trim() !== '') return code;
    end = start - 1;
  }
  return undefined;
}

function splitsAStatement(text: string, group: Group, branches: { start: number; end: number }[]): boolean {
  const before = codeLineBefore(text, group.directives[0]!.start);
  if (before !== undefined && LABEL_OR_HEAD_BEFORE.test(before) && !/^\s*default\s*:/.test(before)) {
    return true;
  }
  return branches.some((br) => {
    const code = codeOf(text, br.start, br.end);
    return DANGLING_START.test(code) || DANGLING_END.test(code);
  });
}

const isDeadCondition = (d: string, cond: string): boolean =>
  (d === 'if' || d === 'elif') && /^0\b/.test(cond);

/** The edits that make every conditional group in `text` readable by Tree-sitter. */
export function pruneUnbalancedConditionals(text: string): Edit[] {
  if (!text.includes('#')) return [];
  const edits: Edit[] = [];
  /** Regions already blanked, with the balance they had: subtracted from enclosing branches. */
  const blanked: { start: number; end: number; b: [number, number] }[] = [];

  const blank = (name: string, start: number, end: number): void => {
    if (end <= start) return;
    blanked.push({ start, end, b: balance(text, start, end) });
    edits.push({ kind: 'conditional-branch', name, start, end, replacement: blankOut(text.slice(start, end)) });
  };
  const liveBalance = (start: number, end: number): [number, number] => {
    const [b, p] = balance(text, start, end);
    let braces = b;
    let parens = p;
    for (const r of blanked) {
      if (r.start >= start && r.end <= end) {
        braces -= r.b[0];
        parens -= r.b[1];
      }
    }
    return [braces, parens];
  };

  for (const g of groups(directiveLines(text))) {
    const ds = g.directives;
    const branches = ds.slice(0, -1).map((d, k) => ({ d, start: d.end, end: ds[k + 1]!.start }));
    const dead = branches.filter((br) => isDeadCondition(br.d.directive!, br.d.condition!));
    for (const br of dead) blank(`#${br.d.directive} ${br.d.condition}`, br.start, br.end);
    const live = branches.filter((br) => !dead.includes(br));
    const unbalanced = live.some((br) => {
      const [b, p] = liveBalance(br.start, br.end);
      return b !== 0 || p !== 0;
    });
    if (!unbalanced && !splitsAStatement(text, g, live)) continue;
    // Keep the first live branch inline; blank the rest and every directive line of the group.
    const name = `#${ds[0]!.directive} ${ds[0]!.condition}`;
    for (const br of live.slice(1)) blank(name, br.start, br.end);
    for (const d of ds) blank(name, d.start, d.end);
  }
  return edits;
}
