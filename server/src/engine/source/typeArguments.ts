// Types passed as macro arguments: `container_of(p, struct vfio_group, dev)`,
// `min_t(unsigned int, a, b)`, `va_arg(ap, char *)`. C has no expression that reads like a type,
// so Tree-sitter cannot parse them. The type is joined into one identifier by replacing its blanks
// and stars with `_` (`struct_vfio_group`): the argument then parses, and its range in the original
// text still says exactly which type it is.

import { matchBracket, skipBlank } from './lexer';

/** The text of a type that can be joined in place: words, blanks, stars. */
const JOINABLE_TYPE = /^\s*(?:const\s+)?(?:(?:struct|union|enum)\s+)?[A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*[\s*]*$/;
const TAG_WORDS = /\b(?:const|struct|union|enum)\b|\*/g;

/**
 * Replaces the blanks and stars inside a type argument by `_`, keeping its outer blanks. A type
 * broken over lines (`struct\n\t\tfoo`) keeps its line break: its tag words and stars are
 * blanked instead, leaving the type's name as the identifier.
 */
export function joinType(arg: string): string | undefined {
  if (!JOINABLE_TYPE.test(arg)) return undefined;
  if (arg.trim().includes('\n')) {
    const blanked = arg.replace(TAG_WORDS, (w) => ' '.repeat(w.length));
    return /^\s*[A-Za-z_]\w*\s*$/.test(blanked) ? blanked : undefined;
  }
  const m = /^(\s*)(.*?)(\s*)$/s.exec(arg)!;
  const core = m[2]!;
  if (!/[\s*]/.test(core)) return undefined; // already one identifier
  return m[1]! + core.replace(/[\s*]/g, '_') + m[3]!;
}

/** Arguments of the call whose name ends at `nameEnd`, as [start, end) ranges; none if not a call. */
export function callArguments(text: string, nameEnd: number): [number, number][] {
  const open = skipBlank(text, nameEnd);
  if (text[open] !== '(') return [];
  const commas: number[] = [];
  const close = matchBracket(text, open, commas);
  if (close < 0) return [];
  const bounds = [open, ...commas, close];
  return bounds.slice(0, -1).map((b, k) => [b + 1, bounds[k + 1]!]);
}

/** Words after which a `name(` is a call in an expression, not a declarator. */
const EXPRESSION_WORDS = new Set(['return', 'case', 'else', 'do']);
/** Operators that take types natively; Tree-sitter reads them as they are. */
const TYPE_OPERATORS = new Set([
  'sizeof', 'typeof', '__typeof__', '__typeof', 'typeof_unqual', 'alignof', '_Alignof',
  '__alignof__', 'offsetof', '__builtin_offsetof', '_Generic', '__builtin_types_compatible_p',
  'if', 'while', 'for', 'switch', 'return', '__attribute__', 'asm', '__asm__',
]);

/**
 * For a `struct`/`union`/`enum` keyword at `kw`: if it starts a whole argument of a call in an
 * expression (not a prototype's parameter, not a cast), that argument's range.
 */
export function structArgumentAt(text: string, kw: number): [number, number] | undefined {
  // Must start an argument: preceded by `(` or `,`.
  let i = kw - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  const before = text[i];
  if (before !== '(' && before !== ',') return undefined;
  // And end one: `struct name` with stars, then `,` or `)`.
  const rest = /^(?:struct|union|enum)\s+[A-Za-z_]\w*[\s*]*(?=[,)])/.exec(text.slice(kw, kw + 200));
  if (!rest) return undefined;
  const open = before === '(' ? i : enclosingParen(text, i);
  if (open < 0 || !isCallInExpression(text, open)) return undefined;
  return [kw, kw + rest[0].length];
}

/** The `(` that encloses offset `from`, looking back at most a few lines; -1 when not found. */
function enclosingParen(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i >= 0 && from - i < 800; i--) {
    const c = text[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) return c === '(' ? i : -1;
      depth--;
    } else if (c === ';') return -1;
  }
  return -1;
}

/** True when the `(` at `open` follows a callee name that stands in an expression. */
function isCallInExpression(text: string, open: number): boolean {
  let i = open - 1;
  while (i >= 0 && /[ \t]/.test(text[i]!)) i--;
  const nameEnd = i + 1;
  while (i >= 0 && /\w/.test(text[i]!)) i--;
  const name = text.slice(i + 1, nameEnd);
  if (!name || /^\d/.test(name) || TYPE_OPERATORS.has(name)) return false;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  if (i < 0) return true; // a statement at the top of the file
  const c = text[i]!;
  if (/\w/.test(c)) {
    let j = i;
    while (j >= 0 && /\w/.test(text[j]!)) j--;
    return EXPRESSION_WORDS.has(text.slice(j + 1, i + 1));
  }
  return c !== '*'; // `struct foo *name(` declares
}
