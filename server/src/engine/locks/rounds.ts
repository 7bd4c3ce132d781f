// Summaries of a tree's functions in rounds: each round applies what the previous one found that
// functions do to their callers' locks (unlock helpers, lock helpers, drop-and-retake), and walks
// again only the callers of what changed.

import type { SymbolIndex } from '../index/symbolIndex';
import type { FileSymbols } from '../index/symbols';
import type { FileProblem, ParsedSource } from '../source/sourceFile';
import type { Catalog } from './catalog';
import { callerEffects, type CallerEffect } from './effects';
import { summariseFile } from './summarise';
import { functionKey, summaryKey } from './targets';
import type { FunctionSummary } from './summary';

/** Rounds of summaries: each applies what the previous found functions do to their callers' locks. */
const MAX_EFFECT_ROUNDS = 4;

export function summariseAll(
  sources: readonly ParsedSource[], symbols: ReadonlyMap<string, FileSymbols>, index: SymbolIndex,
  catalog: Catalog, problems: FileProblem[],
): Map<string, FunctionSummary[]> {
  const summaries = new Map<string, FunctionSummary[]>();
  const summarise = (
    source: ParsedSource,
    helpers?: (file: string) => (callee: string) => readonly CallerEffect[] | undefined,
    redo?: (s: FunctionSummary) => boolean,
  ) => {
    try {
      const previous = summaries.get(source.path);
      summaries.set(source.path, summariseFile(source, symbols.get(source.path)!, index, catalog, helpers?.(source.path), previous, redo));
    } catch (e) {
      summaries.delete(source.path);
      if (!problems.some((p) => p.file === source.path)) problems.push({ file: source.path, reason: `cannot summarise: ${(e as Error).message}` });
    }
  };
  for (const source of sources) summarise(source);

  let known = new Map<string, string>();
  for (let round = 0; round < MAX_EFFECT_ROUNDS; round++) {
    const effects = new Map<string, readonly CallerEffect[]>();
    for (const [file, list] of summaries) {
      for (const s of list) {
        const fn = symbols.get(file)?.functions.find((f) => f.isDefinition && f.location.start === s.at.offset);
        const e = fn ? callerEffects(s, fn) : [];
        if (e.length > 0) effects.set(summaryKey(s), e);
      }
    }
    const keys = new Map([...effects].map(([k, v]) => [k, JSON.stringify(v)]));
    // New or changed effects, and effects that are gone (a helper found to drop and retake).
    const changed = new Set([
      ...[...keys].filter(([k, v]) => known.get(k) !== v).map(([k]) => k),
      ...[...known.keys()].filter((k) => !keys.has(k)),
    ]);
    if (changed.size === 0) break;
    known = keys;
    const helpers = (file: string) => (callee: string) => {
      const fn = index.lookupFunction(callee, file);
      return fn ? effects.get(functionKey(fn)) : undefined;
    };
    // Only the callers of what changed are walked again.
    const callsChanged = (s: FunctionSummary) => s.calls.some((c) => c.targets.some((t) => changed.has(t)));
    for (const source of sources) {
      if (summaries.get(source.path)?.some(callsChanged)) summarise(source, helpers, callsChanged);
    }
  }
  return summaries;
}
