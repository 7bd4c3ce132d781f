// Summaries of a tree's functions in rounds: each round applies what the previous one found that
// functions do to their callers' locks (unlock helpers, lock helpers, drop-and-retake), and walks
// again only the callers of what changed. The steps are separate so that the files can be
// summarised in several workers while one thread computes the effects between rounds.

import type { SymbolIndex } from '../index/symbolIndex';
import type { FileSymbols } from '../index/symbols';
import type { FileProblem, ParsedSource } from '../source/sourceFile';
import type { Catalog } from './catalog';
import { callerEffects, type CallerEffect } from './effects';
import { summariseFile } from './summarise';
import { functionKey, summaryKey } from './targets';
import type { FunctionSummary } from './summary';

/** Rounds of summaries: each applies what the previous found functions do to their callers' locks. */
export const MAX_EFFECT_ROUNDS = 4;

/** What a round hands the next: every function's effects on its callers, and which changed. */
export interface RoundEffects {
  readonly effects: ReadonlyMap<string, readonly CallerEffect[]>;
  readonly changed: ReadonlySet<string>;
}

/**
 * Summarises `sources` (all of them, or with `round` only the functions calling what changed)
 * into `summaries`; a file that fails is a problem, not an exception.
 */
export function summariseSources(
  sources: readonly ParsedSource[], symbols: ReadonlyMap<string, FileSymbols>, index: SymbolIndex, catalog: Catalog,
  summaries: Map<string, FunctionSummary[]>, problems: FileProblem[], round?: RoundEffects,
  /** Walk only these of the previous summaries (and functions that have none); keep the others. */
  only?: (s: FunctionSummary) => boolean,
): void {
  const helpers = round && ((file: string) => (callee: string) => {
    const fn = index.lookupFunction(callee, file);
    return fn ? round.effects.get(functionKey(fn)) : undefined;
  });
  const callsChanged = round && ((s: FunctionSummary) => s.calls.some((c) => c.targets.some((t) => round.changed.has(t))));
  const redo = round || only ? (s: FunctionSummary) => (!only || only(s)) && (!callsChanged || callsChanged(s)) : undefined;
  for (const source of sources) {
    const previous = summaries.get(source.path);
    if (round && !previous?.some(redo!)) continue;
    try {
      summaries.set(source.path, summariseFile(source, symbols.get(source.path)!, index, catalog, helpers?.(source.path), previous, redo));
    } catch (e) {
      summaries.delete(source.path);
      if (!problems.some((p) => p.file === source.path)) problems.push({ file: source.path, reason: `cannot summarise: ${(e as Error).message}` });
    }
  }
}

/**
 * The effects every summarised function has on its callers, and which differ from `known` (the
 * previous round's, as JSON by key): new, changed, or gone. `known` is updated.
 */
export function nextRound(
  summaries: ReadonlyMap<string, readonly FunctionSummary[]>, symbols: ReadonlyMap<string, FileSymbols>, known: Map<string, string>,
): RoundEffects {
  const effects = new Map<string, readonly CallerEffect[]>();
  for (const [file, list] of summaries) {
    const byStart = new Map((symbols.get(file)?.functions ?? []).filter((f) => f.isDefinition).map((f) => [f.location.start, f]));
    for (const s of list) {
      const fn = byStart.get(s.at.offset);
      const e = fn ? callerEffects(s, fn) : [];
      if (e.length > 0) effects.set(summaryKey(s), e);
    }
  }
  const keys = new Map([...effects].map(([k, v]) => [k, JSON.stringify(v)]));
  const changed = new Set([
    ...[...keys].filter(([k, v]) => known.get(k) !== v).map(([k]) => k),
    ...[...known.keys()].filter((k) => !keys.has(k)),
  ]);
  known.clear();
  for (const [k, v] of keys) known.set(k, v);
  return { effects, changed };
}

export function summariseAll(
  sources: readonly ParsedSource[], symbols: ReadonlyMap<string, FileSymbols>, index: SymbolIndex,
  catalog: Catalog, problems: FileProblem[],
): Map<string, FunctionSummary[]> {
  const summaries = new Map<string, FunctionSummary[]>();
  summariseSources(sources, symbols, index, catalog, summaries, problems);
  const known = new Map<string, string>();
  for (let round = 0; round < MAX_EFFECT_ROUNDS; round++) {
    const next = nextRound(summaries, symbols, known);
    if (next.changed.size === 0) break;
    summariseSources(sources, symbols, index, catalog, summaries, problems, next);
  }
  return summaries;
}
