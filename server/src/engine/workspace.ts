// The model of a source tree: which files are analysed, the headers they include (each read
// once), what every file declares, and the files that could not be read. A file that cannot be
// read or parsed is reported with its reason and skipped; it never stops the run.

import * as path from 'node:path';
import { collectFileSymbols } from './index/collect';
import type { Catalog } from './locks/catalog';
import { summariseAll } from './locks/rounds';
import type { FunctionSummary } from './locks/summary';
import { SymbolIndex } from './index/symbolIndex';
import type { FileSymbols } from './index/symbols';
import { defaultIdioms, type IdiomTable } from './source/idioms';
import { initParser } from './source/parser';
import type { SourceReader } from './source/reader';
import { parseSource, type FileProblem, type ParsedSource } from './source/sourceFile';

export interface TreeOptions {
  /** The kernel tree: headers are searched under it. */
  readonly root: string;
  readonly reader: SourceReader;
  readonly idioms?: IdiomTable;
  /** Read the headers the files include (default true). */
  readonly followIncludes?: boolean;
  /**
   * How deep to follow includes: 1 reads the headers the analysed files include, 2 also the
   * headers those include (the default, INCLUDE_DEPTH), 0 every header reachable.
   */
  readonly includeDepth?: number;
  /** Called with each parsed file while its syntax tree is alive (it is deleted after). */
  readonly onParsed?: (source: ParsedSource, symbols: FileSymbols) => void;
  /** Summarise the locking of every function of the analysed files with this catalog. */
  readonly catalog?: Catalog;
}

export interface LoadedTree {
  readonly root: string;
  /** The files asked for (directories expanded), in order. */
  readonly files: readonly string[];
  /** Symbols of those files and of every header read for them. */
  readonly symbols: ReadonlyMap<string, FileSymbols>;
  readonly index: SymbolIndex;
  readonly problems: readonly FileProblem[];
  /** Lock summaries of the functions of the analysed files (with `catalog`), by file. */
  readonly summaries: ReadonlyMap<string, readonly FunctionSummary[]>;
  /** Where the time went: reading, parsing and indexing; summarising (all rounds). */
  readonly timings: { readonly indexMs: number; readonly summariseMs: number };
}

const SOURCE_FILE = /\.[ch]$/;

/** The nearest ancestor of `start` (itself included) that holds `include/linux`, if any. */
export function findKernelRoot(start: string, reader: SourceReader): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (reader.isDirectory(path.join(dir, 'include', 'linux'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `.c` and `.h` files under `dir`, sorted, hidden folders skipped. */
export function listSourceFiles(dir: string, reader: SourceReader): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = [...reader.readDirectory(d)].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.directory) walk(p);
      else if (SOURCE_FILE.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Folders searched for `#include <…>` (and for `"…"` after the including file's folder). */
export function includeDirectories(root: string): string[] {
  return [
    path.join(root, 'include'),
    path.join(root, 'arch', 'x86', 'include'),
    path.join(root, 'arch', 'x86', 'include', 'generated'),
    path.join(root, 'include', 'uapi'),
    path.join(root, 'arch', 'x86', 'include', 'uapi'),
    path.join(root, 'arch', 'x86', 'include', 'generated', 'uapi'),
  ];
}

export function resolveInclude(
  include: { path: string; system: boolean },
  fromFile: string,
  root: string,
  reader: SourceReader,
): string | undefined {
  const dirs = include.system ? includeDirectories(root) : [path.dirname(fromFile), ...includeDirectories(root)];
  for (const dir of dirs) {
    const candidate = path.join(dir, include.path);
    try {
      if (reader.isFile(candidate)) return candidate;
    } catch {
      // A reader that cannot tell (a name too long, a loop) has not found it.
    }
  }
  return undefined;
}

/**
 * How deep includes are followed by default: a file's own headers and theirs. The structs, types
 * and constants a driver's locking names live there (`struct pci_dev` in linux/pci.h, its
 * `struct device` in linux/device.h); the headers below those (asm, the types of the types) add
 * nothing the lock summaries read, and are a third of the text. `includeDepth: 0` reads them all.
 */
export const INCLUDE_DEPTH = 2;

/** The depth limit as a number of levels (Infinity for 0: every header). */
export function depthLimit(includeDepth: number | undefined): number {
  const d = includeDepth ?? INCLUDE_DEPTH;
  return d <= 0 ? Infinity : d;
}

/** Reads, parses and indexes `files` (absolute paths) and the headers they include. */
export async function loadTree(files: readonly string[], options: TreeOptions): Promise<LoadedTree> {
  await initParser();
  const started = performance.now();
  const { root, reader } = options;
  const idioms = options.idioms ?? defaultIdioms;
  const symbols = new Map<string, FileSymbols>();
  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  const queue = [...files];
  // Breadth first, so each file is met at its least depth.
  const depth = new Map<string, number>(files.map((f) => [f, 0]));
  const limit = depthLimit(options.includeDepth);
  const analysed = new Set(files);
  /** Trees of the analysed files, kept until the index is complete for the summaries. */
  const kept: ParsedSource[] = [];

  for (let next = 0; next < queue.length; next++) {
    const file = queue[next]!;
    if (seen.has(file)) continue;
    seen.add(file);
    const keep = options.catalog !== undefined && analysed.has(file) ? (s: ParsedSource) => kept.push(s) : undefined;
    const result = indexFile(file, reader, idioms, options.onParsed, keep);
    if ('reason' in result) {
      problems.push(result);
      continue;
    }
    symbols.set(file, result);
    if (options.followIncludes === false) continue;
    const d = depth.get(file) ?? 0;
    if (d >= limit) continue;
    for (const inc of result.includes) {
      const header = resolveInclude(inc, file, root, reader);
      if (!header || seen.has(header)) continue;
      if (!depth.has(header)) depth.set(header, d + 1);
      queue.push(header);
    }
  }
  const index = new SymbolIndex(symbols);
  const indexed = performance.now();
  const summaries = options.catalog ? summariseAll(kept, symbols, index, options.catalog, problems) : new Map();
  for (const source of kept) source.tree.delete();
  const timings = { indexMs: indexed - started, summariseMs: performance.now() - indexed };
  return { root, files, symbols, index, problems, summaries, timings };
}


/** One file read, parsed and indexed; its problem instead when any step fails. */
export function indexFile(
  file: string,
  reader: SourceReader,
  idioms: IdiomTable,
  onParsed?: TreeOptions['onParsed'],
  /** Takes the parsed file over: its tree is then the taker's to delete. */
  keep?: (source: ParsedSource) => void,
  /** The file as parsed before: only what changed is parsed again (its tree is spent, the caller's to delete). */
  earlier?: ParsedSource,
): FileSymbols | FileProblem {
  let text: string;
  try {
    text = reader.readFile(file);
  } catch (e) {
    return { file, reason: `cannot read: ${(e as Error).message}` };
  }
  let source: ParsedSource;
  try {
    source = parseSource(file, text, idioms, earlier);
  } catch (e) {
    return { file, reason: `cannot parse: ${(e as Error).message}` };
  }
  let kept = false;
  try {
    const symbols = collectFileSymbols(source, idioms);
    onParsed?.(source, symbols);
    if (keep) {
      keep(source);
      kept = true;
    }
    return symbols;
  } catch (e) {
    return { file, reason: `cannot index: ${(e as Error).message}` };
  } finally {
    if (!kept) source.tree.delete();
  }
}
