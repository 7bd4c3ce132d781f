// The preprocessor directive lines of a text, found once per text: `#` first on a line that is
// not inside a comment, with its backslash-continued lines (`\` before `\n` or `\r\n`), and a
// block comment opened on the directive's last line carried to its close, so whatever follows a
// directive starts on code.

export interface Directive {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset of the line break ending the directive (or of the text's end). */
  readonly end: number;
  /** `if`, `ifdef`, `define`, `include`, …; empty for a lone `#`. */
  readonly name: string;
  /** The text after the name, continuation lines joined, comments kept. */
  readonly rest: string;
}

const NAME = /^[ \t]*#[ \t]*([A-Za-z_]*)/;

/** Offsets of the line breaks that end a line continued by a backslash are skipped. */
function lineEnd(text: string, from: number): number {
  let end = text.indexOf('\n', from);
  for (;;) {
    if (end < 0) return text.length;
    const back = text.charCodeAt(end - 1) === 13 ? end - 2 : end - 1;
    if (text.charCodeAt(back) !== 92) return end;
    end = text.indexOf('\n', end + 1);
  }
}

export class Directives {
  readonly all: readonly Directive[];

  constructor(text: string) {
    const all: Directive[] = [];
    if (text.includes('#')) {
      let i = 0;
      let comment = false; // inside a block comment at the start of the line
      while (i < text.length) {
        let end = lineEnd(text, i);
        const line = text.slice(i, end);
        const m = comment ? null : NAME.exec(line);
        if (m) {
          // A block comment opened on the directive and closed later belongs to it.
          const open = line.lastIndexOf('/*');
          if (open >= 0 && line.indexOf('*/', open + 2) < 0) {
            const close = text.indexOf('*/', i + open + 2);
            end = close < 0 ? text.length : lineEnd(text, close + 2);
          }
          all.push({ start: i, end, name: m[1]!, rest: text.slice(i + m[0].length, end).replace(/\\\r?\n/g, ' ') });
        } else {
          comment = endsInComment(line, comment);
        }
        i = end + 1;
      }
    }
    this.all = all;
  }

  /** The directive whose lines contain `pos`, if any. */
  at(pos: number): Directive | undefined {
    let lo = 0;
    let hi = this.all.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.all[mid]!;
      if (pos < d.start) hi = mid - 1;
      else if (pos > d.end) lo = mid + 1;
      else return d;
    }
    return undefined;
  }
}

/** Whether a block comment is still open at the end of `line`, given its state at the start. */
function endsInComment(line: string, open: boolean): boolean {
  if (!line.includes('/') && !line.includes('*')) return open;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (open) {
      if (c === 42 && line.charCodeAt(i + 1) === 47) { open = false; i++; }
    } else if (c === 47 && line.charCodeAt(i + 1) === 42) { open = true; i++; }
    else if (c === 47 && line.charCodeAt(i + 1) === 47) return false;
    else if (c === 34 || c === 39) {
      // Skip a literal on this line so a `"/*"` opens nothing.
      for (i++; i < line.length && line.charCodeAt(i) !== c; i++) if (line.charCodeAt(i) === 92) i++;
    }
  }
  return open;
}
