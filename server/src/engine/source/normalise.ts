// Rewrites kernel idioms into C that Tree-sitter reads, without moving a single offset: every
// rewrite replaces characters by as many characters, and line breaks are never touched. A node's
// position in the normalised tree is therefore its position in the file as the developer sees it.

import { defaultIdioms, ruleFor, type IdiomTable } from './idioms';
import type { Edit, Rewrite, RewriteKind } from './rewrite';
import { blankOut, inDirective, matchBracket, scanTokens, skipBlank } from './lexer';
import { callArguments, joinType, structArgumentAt } from './typeArguments';
import { pruneUnbalancedConditionals } from './conditionals';

export type { Rewrite, RewriteKind } from './rewrite';

export interface NormalisedText {
  /** Same length and same line breaks as the original. */
  readonly text: string;
  /** In order of `start`. */
  readonly rewrites: readonly Rewrite[];
}


export function normalise(original: string, idioms: IdiomTable = defaultIdioms): NormalisedText {
  const edits: Edit[] = [];
  const blank = (kind: RewriteKind, name: string, start: number, end: number): void => {
    edits.push({ kind, name, start, end, replacement: blankOut(original.slice(start, end)) });
  };

  const joinTypeArgument = (kind: RewriteKind, name: string, start: number, end: number): void => {
    const joined = joinType(original.slice(start, end));
    if (joined !== undefined) edits.push({ kind, name, start, end, replacement: joined });
  };

  scanTokens(original, (token) => {
    if (token.kind === 'ellipsis') {
      if (isCaseRange(original, token.start)) {
        edits.push({ kind: 'case-range', name: '...', start: token.start, end: token.end, replacement: ' | ' });
      }
      return;
    }
    if (token.text === 'struct' || token.text === 'union' || token.text === 'enum') {
      const arg = structArgumentAt(original, token.start);
      if (arg) joinTypeArgument('type-arguments', token.text, arg[0], arg[1]);
      return;
    }
    const rule = ruleFor(idioms, token.text);
    if (!rule) return;
    switch (rule.kind) {
      case 'annotation':
        blank(rule.kind, token.text, token.start, token.end);
        return;
      case 'annotation-call': {
        const open = skipBlank(original, token.end);
        const close = original[open] === '(' ? matchBracket(original, open) : -1;
        const end = close >= 0 ? close + 1 : token.end;
        blank(rule.kind, token.text, token.start, end);
        return end;
      }
      case 'type-arguments': {
        const args = callArguments(original, token.end);
        for (const index of rule.args) {
          const arg = args[index];
          if (arg) joinTypeArgument(rule.kind, token.text, arg[0], arg[1]);
        }
        return;
      }
      case 'block-macro': {
        const at = blockMacroSemicolon(original, token.end);
        if (at >= 0 && !inDirective(original, token.start)) {
          edits.push({ kind: rule.kind, name: token.text, start: at, end: at + 1, replacement: ';' });
        }
        return;
      }
      case 'declaration-macro': {
        // `static DECLARE_WORK(w, fn);` is no C declaration; without `static` it parses as a call.
        const m = STORAGE_BEFORE.exec(original.slice(Math.max(0, token.start - 40), token.start));
        if (m) blank(rule.kind, m[1]!, token.start - m[0].length, token.start - m[0].length + m[1]!.length);
        return;
      }
    }
  });

  edits.push(...pruneUnbalancedConditionals(original));
  // Outer first where two start together, so a blanked branch swallows the edits inside it.
  edits.sort((a, b) => a.start - b.start || b.end - a.end);
  return applyEdits(original, edits);
}

/** Applies sorted same-length edits; an edit overlapping an applied one is dropped. */
function applyEdits(original: string, edits: Edit[]): NormalisedText {
  const parts: string[] = [];
  const rewrites: Rewrite[] = [];
  let at = 0;
  for (const { replacement, ...rewrite } of edits) {
    if (rewrite.start < at) continue;
    parts.push(original.slice(at, rewrite.start), replacement);
    rewrites.push(rewrite);
    at = rewrite.end;
  }
  parts.push(original.slice(at));
  return { text: parts.join(''), rewrites };
}

const STORAGE_BEFORE = /(static)\s+$/;

/**
 * Where to put the `;` that ends a block macro's head: the first blank (not a line break, not in a
 * comment) between its `)` and the statement it heads, or -1 when it heads none.
 */
function blockMacroSemicolon(text: string, nameEnd: number): number {
  const open = skipBlank(text, nameEnd);
  if (text[open] !== '(') return -1;
  const close = matchBracket(text, open);
  if (close < 0) return -1;
  const next = skipBlank(text, close + 1);
  const c = text.charCodeAt(next);
  const headsStatement = c === 123 /* { */ || c === 42 /* * */ || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  if (!headsStatement) return -1;
  for (let i = close + 1; i < next; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9) return i;
    if (ch === 47) i = skipBlank(text, i) - 1; // a comment: its inside is not ours to change
  }
  return -1;
}

/** `case A ... B:` — the ellipsis belongs to a case label when `case` starts its statement. */
function isCaseRange(text: string, pos: number): boolean {
  const lineStart = text.lastIndexOf('\n', pos) + 1;
  return /(^|[;{}:]\s*|\s)case\s[^;{}]*$/.test(text.slice(lineStart, pos));
}
