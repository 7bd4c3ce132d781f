// How much of a file Tree-sitter reads cleanly, raw and after normalisation: the front end's
// figure of merit (bench/parse and `lockreview parse-stats` print it).

import { defaultIdioms, type IdiomTable } from './idioms';
import { normalise } from './normalise';
import { parseC, type SyntaxTree } from './parser';

export interface Coverage {
  files: number;
  /** UTF-16 code units parsed (= bytes for the ASCII that kernel C nearly always is). */
  chars: number;
  rawFunctions: number;
  rawFunctionsWithErrors: number;
  functions: number;
  functionsWithErrors: number;
  rawParseMs: number;
  normaliseMs: number;
  parseMs: number;
}

export function emptyCoverage(): Coverage {
  return {
    files: 0, chars: 0, rawFunctions: 0, rawFunctionsWithErrors: 0, functions: 0,
    functionsWithErrors: 0, rawParseMs: 0, normaliseMs: 0, parseMs: 0,
  };
}

function countFunctions(tree: SyntaxTree): [total: number, withErrors: number] {
  const defs = tree.rootNode.descendantsOfType('function_definition');
  let bad = 0;
  for (const d of defs) if (d?.hasError) bad++;
  return [defs.length, bad];
}

/** Adds one file's figures to `into`. The parser must be initialised. */
export function measureFile(text: string, into: Coverage, idioms: IdiomTable = defaultIdioms): void {
  let t0 = performance.now();
  const raw = parseC(text);
  into.rawParseMs += performance.now() - t0;
  const [rawTotal, rawBad] = countFunctions(raw);
  raw.delete();

  t0 = performance.now();
  const normalised = normalise(text, idioms).text;
  const t1 = performance.now();
  const tree = parseC(normalised);
  into.parseMs += performance.now() - t1;
  into.normaliseMs += t1 - t0;
  const [total, bad] = countFunctions(tree);
  tree.delete();

  into.files++;
  into.chars += text.length;
  into.rawFunctions += rawTotal;
  into.rawFunctionsWithErrors += rawBad;
  into.functions += total;
  into.functionsWithErrors += bad;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0.00%' : `${((100 * part) / whole).toFixed(2)}%`;
}

export function mbPerSecond(chars: number, ms: number): number {
  return ms === 0 ? 0 : chars / 1e6 / (ms / 1000);
}
