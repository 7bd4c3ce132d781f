// How much of a file Tree-sitter reads cleanly, raw and after normalisation: the front end's
// figure of merit (bench/parse and `lockreview parse-stats` print it).

import { defaultIdioms, type IdiomTable } from './idioms';
import { normalise, type Rewrite } from './normalise';
import { parseC, type SyntaxNode, type SyntaxTree } from './parser';
import { readDeclarator } from '../index/declarators';

export interface Coverage {
  files: number;
  /** UTF-16 code units parsed (= bytes for the ASCII that kernel C nearly always is). */
  chars: number;
  rawFunctions: number;
  rawFunctionsWithErrors: number;
  functions: number;
  functionsWithErrors: number;
  /**
   * Definitions raw Tree-sitter reads cleanly that are gone after normalisation (matched by
   * name; `#if 0` code excepted, it is blanked on purpose): what the error share alone cannot
   * show, a rewrite that swallows code.
   */
  lostFunctions: number;
  /** A few of them, as `file: name`, to look at. */
  lostExamples: string[];
  rawParseMs: number;
  normaliseMs: number;
  parseMs: number;
}

export function emptyCoverage(): Coverage {
  return {
    files: 0, chars: 0, rawFunctions: 0, rawFunctionsWithErrors: 0, functions: 0,
    functionsWithErrors: 0, lostFunctions: 0, lostExamples: [], rawParseMs: 0, normaliseMs: 0, parseMs: 0,
  };
}

interface FunctionCount {
  total: number;
  withErrors: number;
  /** Names of the definitions; of the clean ones only, when `cleanOnly`. */
  names: Map<string, number>;
}

/** Raw error recovery also makes "definitions" of loop heads inside bodies and of keywords. */
const KEYWORDS = new Set(['void', 'int', 'char', 'long', 'short', 'unsigned', 'signed', 'bool', 'static', 'inline', 'const', 'struct', 'union', 'enum']);
const FILE_SCOPE = /^(translation_unit|preproc_\w+|linkage_specification)$/;

function atFileScope(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (!FILE_SCOPE.test(p.type)) return false;
  return true;
}

function countFunctions(tree: SyntaxTree, cleanOnly: boolean, dead: readonly Rewrite[] = []): FunctionCount {
  const defs = tree.rootNode.descendantsOfType('function_definition');
  const names = new Map<string, number>();
  let withErrors = 0;
  for (const d of defs) {
    if (!d) continue;
    if (d.hasError) withErrors++;
    if (cleanOnly && (d.hasError || !atFileScope(d))) continue;
    if (dead.some((r) => d.startIndex >= r.start && d.startIndex < r.end)) continue; // `#if 0` code
    const declarator = d.childForFieldName('declarator');
    const info = declarator ? readDeclarator(declarator) : undefined;
    // Raw recovery reads `struct __packed name {…}` as a "definition" with no parameter list.
    if (info?.parameters && !KEYWORDS.has(info.name)) names.set(info.name, (names.get(info.name) ?? 0) + 1);
  }
  return { total: defs.length, withErrors, names };
}

/** Adds one file's figures to `into`. The parser must be initialised. */
export function measureFile(text: string, into: Coverage, idioms: IdiomTable = defaultIdioms, file = ''): void {
  let t0 = performance.now();
  const raw = parseC(text);
  into.rawParseMs += performance.now() - t0;

  t0 = performance.now();
  const { text: normalised, rewrites } = normalise(text, idioms);
  const t1 = performance.now();
  const dead = rewrites.filter((r) => r.kind === 'conditional-branch' && /^#(el)?if\s+0\b/.test(r.name));
  const rawCount = countFunctions(raw, true, dead);
  raw.delete();
  into.normaliseMs += t1 - t0;
  const t2 = performance.now();
  const tree = parseC(normalised);
  into.parseMs += performance.now() - t2;
  const count = countFunctions(tree, false);
  tree.delete();

  into.files++;
  into.chars += text.length;
  into.rawFunctions += rawCount.total;
  into.rawFunctionsWithErrors += rawCount.withErrors;
  into.functions += count.total;
  into.functionsWithErrors += count.withErrors;
  for (const [name, n] of rawCount.names) {
    const lost = n - (count.names.get(name) ?? 0);
    if (lost <= 0) continue;
    into.lostFunctions += lost;
    if (into.lostExamples.length < 10) into.lostExamples.push(`${file}: ${name}`);
  }
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0.00%' : `${((100 * part) / whole).toFixed(2)}%`;
}

export function mbPerSecond(chars: number, ms: number): number {
  return ms === 0 ? 0 : chars / 1e6 / (ms / 1000);
}
