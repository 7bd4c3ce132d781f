// Just enough of a C lexer for the normaliser: find identifiers outside comments and strings,
// match parentheses, split macro arguments. Positions are UTF-16 offsets into the text.

/** Comments, strings and character literals are matched whole so nothing inside them is seen. */
const TOKEN =
  /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?|[A-Za-z_][A-Za-z0-9_]*|\.\.\.|[{}]|[0-9][A-Za-z0-9_.]*/g;

export interface Token {
  readonly kind: 'identifier' | 'ellipsis' | 'brace' | 'number';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Calls `visit` for every identifier, number, `...`, `{` and `}` in code. `visit` may return an offset to resume
 * scanning from (to skip text it has consumed); it must not go backwards.
 */
export function scanTokens(text: string, visit: (token: Token) => number | void): void {
  const re = new RegExp(TOKEN.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const c = m[0].charCodeAt(0);
    const kind: Token['kind'] | undefined =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 'identifier'
        : c >= 48 && c <= 57 ? 'number'
          : c === 123 || c === 125 ? 'brace'
            : m[0] === '...' ? 'ellipsis' : undefined;
    if (!kind) continue;
    const resume = visit({
      kind,
      text: m[0],
      start: m.index,
      end: m.index + m[0].length,
    });
    if (typeof resume === 'number' && resume > re.lastIndex) re.lastIndex = resume;
  }
}

/** Offset just past a comment starting at `i`, or `i` when there is none. */
export function skipComment(text: string, i: number): number {
  if (text.charCodeAt(i) !== 47 /* / */) return i;
  const next = text.charCodeAt(i + 1);
  if (next === 47) {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl;
  }
  if (next === 42) {
    const close = text.indexOf('*/', i + 2);
    return close < 0 ? text.length : close + 2;
  }
  return i;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** The first offset at or after `i` that is neither white space nor a comment. */
export function skipBlank(text: string, i: number): number {
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const after = skipComment(text, i);
    if (after === i) return i;
    i = after;
  }
}

/** Offset just past a string or character literal starting at `i`, or `i` if none does. */
export function skipLiteral(text: string, i: number): number {
  const quote = text.charCodeAt(i);
  if (quote !== 34 && quote !== 39) return i;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === quote || c === 10) return j + 1;
  }
  return text.length;
}

/**
 * The offset of the bracket closing the one at `open` (`(`, `[` or `{`), with comments and
 * literals skipped, or -1 when it is not closed. `commas` collects top-level commas.
 */
export function matchBracket(text: string, open: number, commas?: number[]): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth === 0) return i;
    } else if (c === 44 && depth === 1) commas?.push(i);
    else if (c === 47 || c === 34 || c === 39) {
      const after = c === 47 ? skipComment(text, i) : skipLiteral(text, i);
      if (after !== i) i = after - 1;
    }
  }
  return -1;
}

/** The offset of the last character before `i` that is not white space (comments not skipped). */
export function previousNonBlank(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
  return j;
}

/** A space for every character but line breaks, so lines and columns stay where they were. */
export function blankOut(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}
