// The tree as an editor sees it: loaded once (by loadTree, or on several cores), then kept
// current one file at a time as buffers change. Re-reading a file re-parses and re-indexes it,
// summarises its functions again, and then, round by round as loadTree does, the callers of those
// whose effects on their callers changed (a function that now returns holding a lock). What a file
// declares for the others (its structs, prototypes, ops tables) changing is reported, for the
// caller to re-read the whole tree: summaries elsewhere resolve types and calls through it.

import type { SymbolIndex as SymbolIndexType } from './index/symbolIndex';
import { SymbolIndex } from './index/symbolIndex';
import type { FileSymbols } from './index/symbols';
import type { Catalog } from './locks/catalog';
import { callerEffects, type CallerEffect } from './locks/effects';
import { MAX_EFFECT_ROUNDS, summariseSources } from './locks/rounds';
import type { FunctionSummary } from './locks/summary';
import { shiftSummary } from './locks/relocate';
import { functionKey, summaryKey } from './locks/targets';
import { Moved } from './moved';
import type { IdiomTable } from './source/idioms';
import type { SourceReader } from './source/reader';
import type { FileProblem, ParsedSource } from './source/sourceFile';
import { indexFile, resolveInclude, type LoadedTree } from './workspace';

/** Files whose syntax trees are kept between edits (the ones being typed in). */
const MAX_PARSED = 8;

export interface ModelOptions {
  readonly reader: SourceReader;
  readonly idioms: IdiomTable;
  readonly catalog: Catalog;
}

export interface Update {
  /** Files whose summaries were made again (the file itself first). */
  readonly resummarised: readonly string[];
  /** What the file declares for other files changed: their summaries may be stale. */
  readonly declarationsChanged: boolean;
  /** The file could not be read or parsed: it is left out until it can. */
  readonly problem?: FileProblem;
  /**
   * The edit left the tree's locking as it was: only positions in the file moved, and the old
   * findings and lock graph are the new ones, moved (moved.ts).
   */
  readonly moved?: Moved;
}

export class TreeModel {
  private current: LoadedTree;
  /** Every function's effects on its callers, by key, as JSON (compared between rounds). */
  private readonly effects = new Map<string, readonly CallerEffect[]>();
  private readonly effectsJson = new Map<string, string>();
  /** The files edited last, as parsed: the next edit of one parses only what changed. */
  private readonly parsed = new Map<string, ParsedSource>();

  constructor(tree: LoadedTree, private readonly options: ModelOptions) {
    this.current = tree;
    for (const [file, list] of tree.summaries) this.noteEffects(file, list, tree.symbols);
  }

  /** The tree as it stands: a new object after each update, so per-tree memos start afresh. */
  get tree(): LoadedTree {
    return this.current;
  }

  /**
   * Reads `file` again through the reader and brings the tree up to date: an analysed file's
   * summaries too; a header's declarations only (its change is then for the caller to weigh).
   */
  update(file: string): Update {
    const old = this.current;
    const kept: ParsedSource[] = [];
    const analysed = old.files.includes(file);
    const earlier = this.parsed.get(file);
    this.parsed.delete(file);
    const read = indexFile(file, this.options.reader, this.options.idioms, undefined, (s) => kept.push(s), earlier);
    earlier?.tree.delete();
    try {
      const symbols = new Map(old.symbols);
      const summaries = new Map(old.summaries) as Map<string, FunctionSummary[]>;
      const problems = old.problems.filter((p) => p.file !== file);
      if ('reason' in read) {
        symbols.delete(file);
        summaries.delete(file);
        this.current = { ...old, symbols, summaries, problems: [...problems, read], index: new SymbolIndex(symbols) };
        return { resummarised: [], declarationsChanged: old.symbols.has(file), problem: read };
      }
      symbols.set(file, read);
      // A header the tree has not read is declarations it lacks, as much as a changed one (an
      // analysed file's own headers are all read; deeper ones may be left out on purpose).
      const newHeader = analysed && read.includes.some((inc) => {
        const h = resolveInclude(inc, file, old.root, this.options.reader);
        return h !== undefined && !symbols.has(h) && !old.problems.some((p) => p.file === h);
      });
      const declarationsChanged = newHeader || shape(old.symbols.get(file)) !== shape(read);
      // Declarations as they were but for where: the index answers as it did (it reads no positions).
      const index = declarationsChanged || !old.symbols.has(file) ? new SymbolIndex(symbols) : old.index.over(symbols);
      const before = old.summaries.get(file);
      const reusedList = analysed && before && !declarationsChanged ? shifted(before, old.symbols.get(file), read) : undefined;
      if (reusedList) summaries.set(file, reusedList);
      const reused = reusedList && new Set(reusedList);
      const resummarised = this.resummarise(analysed ? kept : [], symbols, index, summaries, problems, reused);
      this.current = { ...old, symbols, index, summaries, problems };
      // Only this file walked again, and its locking as it was: the rest is where things are.
      const after = summaries.get(file);
      const moved = reused && after && resummarised.length === 1 ? Moved.between(file, before!, after, old.symbols.get(file)!, read, reused) : undefined;
      return { resummarised, declarationsChanged, ...(moved && { moved }) };
    } finally {
      // The file as parsed now is kept for its next edit; the least recently edited make way.
      const source = kept.find((s) => s.path === file);
      if (source) this.parsed.set(file, source);
      for (const s of kept) if (s !== source) s.tree.delete();
      for (const [f, s] of this.parsed) {
        if (this.parsed.size <= MAX_PARSED) break;
        s.tree.delete();
        this.parsed.delete(f);
      }
    }
  }

  /** Lets go of the syntax trees kept for the next edits. */
  dispose(): void {
    for (const s of this.parsed.values()) s.tree.delete();
    this.parsed.clear();
  }

  /**
   * The edited file's functions, then round by round the callers of functions whose effects
   * changed (their files parsed again for it), as summariseAll does for the whole tree. The trees
   * of `first` are the caller's to delete; those parsed here are deleted here.
   */
  private resummarise(
    first: ParsedSource[], symbols: ReadonlyMap<string, FileSymbols>, index: SymbolIndexType,
    summaries: Map<string, FunctionSummary[]>, problems: FileProblem[],
    /** Summaries of the first file kept as they are (moved already): only the others are walked. */
    reused?: ReadonlySet<FunctionSummary>,
  ): string[] {
    const { catalog } = this.options;
    const done: string[] = [];
    let sources = [...first];
    const dropParsedHere = () => { for (const s of sources) if (!first.includes(s)) s.tree.delete(); };
    const round = () => ({ effects: this.effects, changed: new Set(this.effects.keys()) });
    for (let r = 0; r < MAX_EFFECT_ROUNDS && sources.length > 0; r++) {
      // Walked once plain, once with every callee's effects: the summaries loadTree would make.
      const only = r === 0 && reused ? (s: FunctionSummary) => !reused.has(s) : undefined;
      summariseSources(sources, symbols, index, catalog, summaries, problems, undefined, only);
      summariseSources(sources, symbols, index, catalog, summaries, problems, round(), only);
      const changed = new Set<string>();
      for (const s of sources) {
        if (!done.includes(s.path)) done.push(s.path);
        for (const k of this.noteEffects(s.path, summaries.get(s.path) ?? [], symbols)) changed.add(k);
      }
      if (changed.size === 0) break;
      const callers = [...summaries].filter(([f, list]) => list.some((fn) => fn.calls.some((c) => c.targets.some((t) => changed.has(t)))) && symbols.has(f)).map(([f]) => f);
      dropParsedHere();
      sources = [];
      for (const f of callers) {
        const again = indexFile(f, this.options.reader, this.options.idioms, undefined, (s) => sources.push(s));
        if ('reason' in again) problems.push(again);
      }
    }
    dropParsedHere();
    return done;
  }

  /** Records the effects of `file`'s functions; returns the keys whose effects changed. */
  private noteEffects(file: string, list: readonly FunctionSummary[], symbols: ReadonlyMap<string, FileSymbols>): string[] {
    const byStart = new Map((symbols.get(file)?.functions ?? []).filter((f) => f.isDefinition).map((f) => [f.location.start, f]));
    const changed: string[] = [];
    const seen = new Set<string>();
    for (const s of list) {
      const key = summaryKey(s);
      seen.add(key);
      const fn = byStart.get(s.at.offset);
      const e = fn ? callerEffects(s, fn) : [];
      const json = e.length > 0 ? JSON.stringify(e) : '';
      if ((this.effectsJson.get(key) ?? '') !== json) changed.push(key);
      if (json) {
        this.effects.set(key, e);
        this.effectsJson.set(key, json);
      } else {
        this.effects.delete(key);
        this.effectsJson.delete(key);
      }
    }
    // Functions the file no longer defines have no effects any more.
    const prefix = `${file}#`;
    for (const key of [...this.effectsJson.keys()]) {
      if (key.startsWith(prefix) && !seen.has(key)) {
        this.effects.delete(key);
        this.effectsJson.delete(key);
        changed.push(key);
      }
    }
    return changed;
  }
}

/**
 * The summaries of functions whose text is as it was (from the start of the line they start on,
 * so their columns are too), moved to where the function is now. Others are left out, to walk.
 */
function shifted(before: readonly FunctionSummary[], was: FileSymbols | undefined, now: FileSymbols): FunctionSummary[] {
  const definitions = (s: FileSymbols | undefined) => new Map((s?.functions ?? []).filter((f) => f.isDefinition).map((f) => [functionKey(f), f]));
  const then = definitions(was);
  const nowByKey = definitions(now);
  const out: FunctionSummary[] = [];
  for (const s of before) {
    const key = summaryKey(s);
    const a = then.get(key);
    const b = nowByKey.get(key);
    if (!a?.digest || a.digest !== b?.digest) continue;
    const moved = shiftSummary(s, b.start - a.start, b.location.line - a.location.line, a.start, a.end);
    if (moved) out.push(moved);
  }
  return out;
}

/** What a file declares for others, without where: an edit inside a body leaves it as it was. */
function shape(s: FileSymbols | undefined): string {
  if (!s) return '';
  return JSON.stringify(s, (k, v) => (POSITIONAL.has(k) ? undefined : v));
}
const POSITIONAL = new Set(['location', 'start', 'end', 'line', 'column', 'hasSyntaxError', 'suppressions', 'digest']);
