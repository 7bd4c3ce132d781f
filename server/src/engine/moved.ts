// Where the positions of one file went, after an edit that left its locking as it was
// (TreeModel.update): the findings and the lock graph of the old text are those of the new one,
// moved. Built from the summaries before and after, function by function: every position the graph
// and the checks can name is a position in a summary.

import type { Finding, RelatedLocation, Repair } from './findings';
import type { FileSymbols, Location } from './index/symbols';
import { lockShape, positionsOf, type LockShape } from './locks/relocate';
import type { FunctionSummary, Site } from './locks/summary';
import { summaryKey } from './locks/targets';

/** A position of the file that the edit took away or that no summary holds. */
export class Unmoved extends Error {}

/** The places of what a file declares (every Location in it), in order, as Sites. */
function locations(s: FileSymbols): Site[] {
  const out: Site[] = [];
  JSON.stringify(s, (_k, v: unknown) => {
    const l = v as Location;
    if (typeof v === 'object' && v !== null && typeof l.start === 'number' && typeof l.line === 'number' && typeof l.column === 'number') {
      out.push({ offset: l.start, line: l.line, column: l.column });
      return 0;
    }
    return v;
  });
  return out;
}

export class Moved {
  private readonly byOffset = new Map<number, Site>();
  private readonly byLine = new Map<string, Site>();

  private constructor(readonly file: string) {}

  /**
   * The moves from `before` to `after`, the summaries of `file`'s functions: undefined unless they
   * are the same functions, in the same order, each with the same lock shape, and every position
   * keeps its place relative to the others (a call moved above an assignment is not a move).
   */
  static between(
    file: string, before: readonly FunctionSummary[], after: readonly FunctionSummary[],
    /** What the file declares, before and after (alike but for where): declarations' places move too. */
    was: FileSymbols, now: FileSymbols,
    /** Summaries of `after` that are ones of `before` shifted (shiftSummary): alike by construction. */
    shifted: ReadonlySet<FunctionSummary>,
  ): Moved | undefined {
    if (before.length !== after.length) return undefined;
    const moved = new Moved(file);
    const pairs: [number, number][] = [];
    const declared = locations(was);
    const declaredNow = locations(now);
    if (declared.length !== declaredNow.length) return undefined;
    declared.forEach((p, i) => {
      pairs.push([p.offset, declaredNow[i]!.offset]);
      moved.add(p, declaredNow[i]!);
    });
    for (let i = 0; i < before.length; i++) {
      const a = before[i]!;
      const b = after[i]!;
      if (summaryKey(a) !== summaryKey(b)) return undefined;
      let from: LockShape['positions'];
      let to: LockShape['positions'];
      if (shifted.has(b)) {
        from = positionsOf(a);
        to = positionsOf(b);
      } else {
        const x = lockShape(a);
        const y = lockShape(b);
        if (x.shape !== y.shape) return undefined;
        from = x.positions;
        to = y.positions;
      }
      from.forEach((p, j) => {
        const q = to[j]!;
        pairs.push([p.offset, q.offset]);
        if ('line' in p && 'line' in q) moved.add(p, q);
      });
    }
    pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (let i = 1; i < pairs.length; i++) {
      const [o0, n0] = pairs[i - 1]!;
      const [o1, n1] = pairs[i]!;
      if (o1 === o0 ? n1 !== n0 : n1 <= n0) return undefined;
    }
    return moved;
  }

  private add(from: Site, to: Site): void {
    this.byOffset.set(from.offset, to);
    this.byLine.set(`${from.line}:${from.column}`, to);
  }

  /** These moves, then `next`'s: from the positions before this edit to those after the next. */
  then(next: Moved): Moved {
    const out = new Moved(this.file);
    for (const [offset, mid] of this.byOffset) {
      const to = next.byOffset.get(mid.offset);
      if (to) out.byOffset.set(offset, to);
    }
    for (const [line, mid] of this.byLine) {
      const to = next.byOffset.get(mid.offset);
      if (to) out.byLine.set(line, to);
    }
    return out;
  }

  site(file: string, at: Site): Site {
    if (file !== this.file) return at;
    const to = this.byOffset.get(at.offset);
    if (!to) throw new Unmoved(`${file}: offset ${at.offset} has no new place`);
    return to;
  }

  private offset(file: string, offset: number): number {
    if (file !== this.file) return offset;
    const to = this.byOffset.get(offset);
    if (!to) throw new Unmoved(`${file}: offset ${offset} has no new place`);
    return to.offset;
  }

  private lineColumn(file: string, line: number, column: number): { line: number; column: number } {
    if (file !== this.file) return { line, column };
    const to = this.byLine.get(`${line}:${column}`);
    if (!to) throw new Unmoved(`${file}:${line}:${column} has no new place`);
    return { line: to.line, column: to.column };
  }

  /** `f` at its new place. Throws Unmoved when one of its positions in the file has none. */
  finding(f: Finding): Finding {
    if (f.file !== this.file && !f.related.some((r) => r.file === this.file) && !(f.repairs ?? []).some((r) => r.file === this.file)) return f;
    if (f.fixes.some((x) => x.edits.some((e) => e.file === this.file))) throw new Unmoved(`${f.file}: a fix's edits cannot be moved`);
    const at = this.lineColumn(f.file, f.line, f.column);
    const end = f.endLine === f.line
      ? { line: at.line, column: at.column + (f.endColumn - f.column) }
      : { line: at.line + (f.endLine - f.line), column: f.endColumn };
    const related = f.related.map((r): RelatedLocation => ({ ...r, ...this.lineColumn(r.file, r.line, r.column) }));
    const repairs = f.repairs?.map((r) => this.repair(r));
    return { ...f, line: at.line, column: at.column, endLine: end.line, endColumn: end.column, related, ...(repairs && { repairs }) };
  }

  private repair(r: Repair): Repair {
    const o = (x: number) => this.offset(r.file, x);
    switch (r.kind) {
      case 'release-before-exit': return { ...r, exit: o(r.exit), acquired: o(r.acquired) };
      case 'release-around-call': return { ...r, call: o(r.call), ...(r.acquired !== undefined && { acquired: o(r.acquired) }) };
      case 'trylock': return { ...r, acquired: o(r.acquired) };
      case 'synchronize-after-release': return { ...r, sync: o(r.sync), acquired: o(r.acquired) };
    }
  }
}
