// Reading the text around a repair: lines, indentation, a call at an offset, the statement an
// offset starts. Plain text work, as the fix is made on the buffer the reviewer is editing.
import { LineMap } from '../source/lineMap';

export interface CallText {
  readonly name: string;
  /** The arguments as written, split at top-level commas, trimmed. */
  readonly args: readonly string[];
  /** Offset just past the closing parenthesis. */
  readonly end: number;
  /** `idx = srcu_read_lock(…)`: the variable the call's value is stored in. */
  readonly result?: string;
}

/** The call whose name starts at `offset` (as summaries record acquisition sites). */
export function callAt(text: string, offset: number): CallText | undefined {
  const m = /^([A-Za-z_]\w*)\s*\(/.exec(text.slice(offset, offset + 200));
  if (!m) return undefined;
  let depth = 0;
  let i = offset + m[0].length - 1;
  const args: string[] = [];
  let start = i + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) break;
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  const last = text.slice(start, i).trim();
  if (last !== '' || args.length > 0) args.push(last);
  const before = text.slice(text.lastIndexOf('\n', offset) + 1, offset);
  const assigned = /([A-Za-z_]\w*)\s*=\s*$/.exec(before);
  return { name: m[1]!, args, end: i + 1, ...(assigned && { result: assigned[1]! }) };
}

export class Lines {
  private readonly map: LineMap;
  readonly lines: readonly string[];

  constructor(readonly text: string) {
    this.map = new LineMap(text);
    this.lines = text.split('\n');
  }

  lineOf(offset: number): number {
    return this.map.position(offset).line;
  }

  position(offset: number): { line: number; column: number } {
    return this.map.position(offset);
  }

  indentOf(line: number): string {
    return /^\s*/.exec(this.lines[line] ?? '')![0];
  }

  /** The offset just past the `;` that ends the statement starting at `offset` (depth 0). */
  statementEnd(offset: number): number | undefined {
    let depth = 0;
    for (let i = offset; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      else if (c === ';' && depth === 0) return i + 1;
      if (depth < 0) return undefined;
    }
    return undefined;
  }

  /**
   * The statement starting at `from` is the bare body of an `if`/`else`/loop head (a second
   * statement there needs braces): the code just before it ends no statement (`;`), block (`{`,
   * `}`) or label (`:`). Gives the head's first line, and the offset just past the head.
   */
  bareBody(from: number): { head: number; after: number } | undefined {
    let i = from - 1;
    for (;;) {
      while (i >= 0 && /\s/.test(this.text[i]!)) i--;
      if (i >= 1 && this.text[i] === '/' && this.text[i - 1] === '*') {
        i = this.text.lastIndexOf('/*', i - 2) - 1; // a comment between head and body
        continue;
      }
      break;
    }
    if (i < 0 || ';{}:'.includes(this.text[i]!)) return undefined;
    const after = i + 1;
    // `else`, or `if (…)`/`while (…)`/`for (…)`: the head begins at its keyword.
    if (this.text.slice(i - 3, i + 1) === 'else') return { head: this.lineOf(i), after };
    if (this.text[i] !== ')') return undefined;
    let depth = 0;
    for (; i >= 0; i--) {
      if (this.text[i] === ')') depth++;
      else if (this.text[i] === '(' && --depth === 0) break;
    }
    return i >= 0 ? { head: this.lineOf(i), after } : undefined;
  }

  /** The statement at `from` is the only code on its line (it may be moved or removed whole). */
  aloneOnLine(from: number, end: number): boolean {
    const start = from - this.position(from).column;
    const eol = this.text.indexOf('\n', end);
    return this.text.slice(start, from).trim() === '' && this.text.slice(end, eol < 0 ? this.text.length : eol).trim() === '';
  }
}

/** The text with `edits` (all of one file, not overlapping) applied. */
export function applyEdits(text: string, edits: readonly { start: { line: number; column: number }; end: { line: number; column: number }; newText: string }[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: { line: number; column: number }) => (starts[p.line] ?? text.length) + p.column;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.start) - offset(a.start))) out = out.slice(0, offset(e.start)) + e.newText + out.slice(offset(e.end));
  return out;
}
