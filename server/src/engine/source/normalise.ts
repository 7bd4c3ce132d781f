// Rewrites kernel idioms into C that Tree-sitter reads, without moving a single offset: every
// rewrite replaces characters by as many characters, and line breaks are never touched. A node's
// position in the normalised tree is therefore its position in the file as the developer sees it.

import { defaultIdioms, ruleFor, type IdiomRule, type IdiomTable } from './idioms';
import type { Edit, Rewrite, RewriteKind } from './rewrite';
import { Directives } from './directives';
import { blankOut, matchBracket, previousNonBlank, scanTokens, skipBlank, type Token } from './lexer';
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
  const directives = new Directives(original);
  const n = new Normaliser(original, idioms, directives);
  scanTokens(original, (token) => n.visit(token));
  const edits = [...n.edits, ...pruneUnbalancedConditionals(original, directives)];
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

const MACRO_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** C integer and floating literals with their suffixes (a float's `e+5` tail is a token apart). */
const C_NUMBER = /^(?:0[xX][0-9a-fA-F']*(?:\.[0-9a-fA-F']*)?|0[bB][01']+|[0-9][0-9']*(?:\.[0-9']*)?(?:[eE][0-9]+)?)(?:[uU]?(?:ll|LL|l|L)?[uU]?|[fFlL]|[wW][bB])?$/;
/** Words that take a parenthesised head and a block: never a block macro. */
const STATEMENT_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'do', 'else']);

class Normaliser {
  readonly edits: Edit[] = [];
  /** Brace depth in the original text: above 0 inside a function, struct or initializer. */
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly idioms: IdiomTable,
    private readonly directives: Directives,
  ) {}

  private inDirective(pos: number): boolean {
    return this.directives.at(pos) !== undefined;
  }

  visit(token: Token): number | void {
    switch (token.kind) {
      case 'brace':
        this.depth = Math.max(0, this.depth + (token.text === '{' ? 1 : -1));
        return;
      case 'ellipsis':
        if (isCaseRange(this.text, token.start)) this.replace('case-range', '...', token.start, token.end, ' | ');
        return;
      case 'identifier':
        return this.identifier(token);
      case 'number':
        // `dw_pcie_ver_is_ge(pci, 480A)`, `ETHTOOL_LINK_MODE(10000baseT_Full)`: an argument pasted
        // into a name by `##`, no C number. Its first digit becomes `_`: an identifier.
        if (!C_NUMBER.test(token.text) && !/[eEpP]$/.test(token.text)) {
          this.replace('token-paste', token.text, token.start, token.start + 1, '_');
        }
        return;
    }
  }

  private replace(kind: RewriteKind, name: string, start: number, end: number, replacement: string): void {
    this.edits.push({ kind, name, start, end, replacement });
  }

  private blank(kind: RewriteKind, name: string, start: number, end: number): void {
    this.replace(kind, name, start, end, blankOut(this.text.slice(start, end)));
  }

  private joinTypeArgument(name: string, start: number, end: number): void {
    const joined = joinType(this.text.slice(start, end));
    if (joined !== undefined) this.replace('type-arguments', name, start, end, joined);
  }

  private identifier(token: Token): number | void {
    const { text } = this;
    if (token.text === 'struct' || token.text === 'union' || token.text === 'enum') {
      const arg = structArgumentAt(text, token.start);
      if (arg) this.joinTypeArgument(token.text, arg[0], arg[1]);
      return;
    }
    const rule = ruleFor(this.idioms, token.text);
    if (rule) {
      if (NAMED_NOT_USED.test(text.slice(Math.max(0, token.start - 24), token.start))) return;
      return this.applyRule(rule, token);
    }
    if (MACRO_NAME.test(token.text)) {
      this.stringMacros(token);
      this.staticMacroDeclaration(token);
    }
    this.blockMacro(token, false);
  }

  private applyRule(rule: IdiomRule, token: Token): number | void {
    const { text } = this;
    switch (rule.kind) {
      case 'annotation':
        this.blank(rule.kind, token.text, token.start, token.end);
        return;
      case 'alias':
        if (rule.to.length === token.text.length) this.replace(rule.kind, token.text, token.start, token.end, rule.to);
        return;
      case 'loop-tail': {
        // `} while_each_thread(g, t);` ends a `do` loop: it reads as `} while (g, t);`, and
        // `} while_each_subsys_mask();` as `} while(0);`.
        const open = skipBlank(text, token.end);
        const empty = text[open] === '(' && text[skipBlank(text, open + 1)] === ')';
        const end = empty ? skipBlank(text, open + 1) + 1 : token.end;
        if (empty && text.slice(token.start, end).includes('\n')) return;
        this.replace(rule.kind, token.text, token.start, end, (empty ? 'while(0)' : 'while').padEnd(end - token.start));
        return;
      }
      case 'annotation-call': {
        const open = skipBlank(text, token.end);
        const close = text[open] === '(' ? matchBracket(text, open) : -1;
        const end = close >= 0 ? close + 1 : token.end;
        this.blank(rule.kind, token.text, token.start, end);
        return end;
      }
      case 'type-arguments': {
        const args = callArguments(text, token.end);
        for (const index of rule.args) {
          const arg = args[index];
          if (arg) this.joinTypeArgument(token.text, arg[0], arg[1]);
        }
        return;
      }
      case 'block-macro':
        this.blockMacro(token, true);
        return;
      case 'declaration-macro':
        this.staticMacroDeclaration(token);
        return;
    }
  }

  /**
   * A block macro heads a statement: `list_for_each_entry(…) {` or, known by name, a single
   * statement on the next line. A `;` goes in the first blank after its `)`. Unknown names qualify
   * only when the `{` follows on the same line inside a function, which plain C never writes.
   */
  private blockMacro(token: Token, known: boolean): void {
    const { text } = this;
    // At file scope a `name(…) {` is a function definition (`int bus_for_each_dev(…) {`).
    if (this.depth === 0 || (!known && STATEMENT_KEYWORDS.has(token.text))) return;
    const open = skipBlank(text, token.end);
    if (text.charCodeAt(open) !== 40 /* ( */) return;
    if (!known && !atStatementStart(text, token.start)) return;
    if (this.inDirective(token.start)) return;
    const close = matchBracket(text, open);
    if (close < 0) return;
    const next = skipBlank(text, close + 1);
    const c = text.charCodeAt(next);
    const headsStatement = c === 123 /* { */ || (known && (isIdentStart(c) || c === 42 /* * */));
    if (!headsStatement) return;
    if (!known && text.slice(close + 1, next).includes('\n')) return;
    for (let i = close + 1; i < next; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 32 || ch === 9) {
        this.replace('block-macro', token.text, i, i + 1, ';');
        return;
      }
      if (ch === 47) i = skipBlank(text, i) - 1; // a comment: its inside is not ours to change
    }
  }

  /**
   * `static DECLARE_WORK(w, fn);`, `static DEVICE_ATTR(x, 0644, show, store);`: no C declaration,
   * but without `static` a call Tree-sitter reads. The index reads `static` back from the text.
   */
  private staticMacroDeclaration(token: Token): void {
    if ((this.depth > 0 && !this.idioms.rules.has(token.text)) || this.inDirective(token.start)) return;
    const before = STATIC_BEFORE.exec(this.text.slice(Math.max(0, token.start - 40), token.start));
    if (!before || this.text.charCodeAt(skipBlank(this.text, token.end)) !== 40) return;
    const start = token.start - before[0].length;
    this.blank('declaration-macro', 'static', start, start + 'static'.length);
  }

  /**
   * `printk(KERN_ERR PFX "failed\n")`: two string macros before a literal. Tree-sitter reads one
   * identifier before a string but not two; the blank between them becomes `_`.
   */
  private stringMacros(token: Token): void {
    const next = this.text.charCodeAt(token.end);
    if (next !== 32 && next !== 9) return; // most macro names are followed by `)`, `,` or `;`
    const m = STRING_MACROS_AFTER.exec(this.text.slice(token.end, token.end + 200));
    if (!m || this.inDirective(token.start)) return;
    const gap = token.end;
    this.replace('string-macros', token.text, gap, gap + m[1]!.length, '_'.repeat(m[1]!.length));
  }
}

const STATIC_BEFORE = /\bstatic[ \t]+$/;
/**
 * An idiom's name where it is named, not used: defined or tested by the preprocessor
 * (`#define __iomem`, `#ifndef __rcu`, `defined(__user)`) or a field (`p->__head`).
 */
const NAMED_NOT_USED = /(?:#[ \t]*(?:define|undef|ifdef|ifndef|elifdef|elifndef)[ \t]+|\bdefined[ \t]*\(?[ \t]*|->[ \t]*|\.[ \t]*)$/;
/** Blanks, more macro names separated by blanks (on one line), then a string literal. */
const STRING_MACROS_AFTER = /^([ \t]+)[A-Z_][A-Z0-9_]*(?:[ \t]+[A-Z_][A-Z0-9_]*)*\s*"/;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** True when the token at `start` begins a statement: after `;`, `{`, `}`, a label or `)`. */
function atStatementStart(text: string, start: number): boolean {
  const p = previousNonBlank(text, start);
  if (p < 0) return true;
  const c = text[p]!;
  if (c === ';' || c === '{' || c === '}' || c === ':' || c === ')') return true;
  return text.slice(Math.max(0, p - 3), p + 1) === 'else' || (c === '/' && text[p - 1] === '*');
}

/** `case A ... B:` — the ellipsis belongs to a case label when `case` starts its statement. */
function isCaseRange(text: string, pos: number): boolean {
  // A label fits in a line's worth of text; looking no further keeps long lines linear.
  const lineStart = Math.max(text.lastIndexOf('\n', pos) + 1, pos - 160);
  return /(^|[;{}:]\s*|\s)case\s[^;{}]*$/.test(text.slice(lineStart, pos));
}
