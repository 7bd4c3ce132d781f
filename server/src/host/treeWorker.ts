// One worker of loadTreeParallel (parallelTree.ts): it reads, parses and indexes the files it is
// handed, keeps the syntax trees of the analysed ones, and summarises them when told, round by
// round. Nothing it meets may stop it: a file that fails is a problem, sent back like any result.
import { parentPort, workerData } from 'node:worker_threads';
import { SymbolIndex } from '../engine/index/symbolIndex';
import type { FileSymbols } from '../engine/index/symbols';
import type { Catalog } from '../engine/locks/catalog';
import { summariseSources, type RoundEffects } from '../engine/locks/rounds';
import type { FunctionSummary } from '../engine/locks/summary';
import type { IdiomTable } from '../engine/source/idioms';
import { initParser } from '../engine/source/parser';
import type { FileProblem, ParsedSource } from '../engine/source/sourceFile';
import { indexFile, resolveInclude } from '../engine/workspace';
import type { SourceReader } from '../engine/source/reader';
import { FileSystemReader } from './fsReader';

// Symbols and summaries cross threads as JSON text: a string is copied whole, and JSON.parse
// builds the objects faster than the structured clone would; this thread forwards the symbols
// one worker indexed to the other without reading them.
export type ToWorker =
  /** `text`: the file's text when it is not the disk's (an editor's unsaved buffer). */
  | { readonly type: 'index'; readonly file: string; readonly keep: boolean; readonly text?: string }
  /** The first round: the symbols (JSON) of the files other workers indexed, and the order of all. */
  | { readonly type: 'summarise'; readonly order: readonly string[]; readonly symbols: ReadonlyMap<string, string>; readonly round?: RoundEffects }
  | { readonly type: 'done' };

export type FromWorker =
  | { readonly type: 'ready' }
  /** `symbols`: the file's FileSymbols as JSON. */
  | { readonly type: 'indexed'; readonly file: string; readonly symbols?: string; readonly problem?: FileProblem; readonly headers: readonly string[] }
  /** `summaries`: `[file, FunctionSummary[]][]` as JSON. */
  | { readonly type: 'summaries'; readonly summaries: string; readonly problems: readonly FileProblem[] }
  | { readonly type: 'fatal'; readonly error: string };

const { root, idioms, catalog, followIncludes } = workerData as { root: string; idioms: IdiomTable; catalog: Catalog; followIncludes: boolean };
const reader = new FileSystemReader();
const kept: ParsedSource[] = [];
const own = new Map<string, FileSymbols>();
const summaries = new Map<string, FunctionSummary[]>();
let symbols: ReadonlyMap<string, FileSymbols> = new Map();
let index: SymbolIndex | undefined;
const post = (m: FromWorker) => parentPort!.postMessage(m);

/** The disk, but `text` for `file`. */
const withText = (file: string, text: string): SourceReader => ({
  readFile: (p) => (p === file ? text : reader.readFile(p)),
  isFile: (p) => p === file || reader.isFile(p),
  isDirectory: (p) => reader.isDirectory(p),
  readDirectory: (p) => reader.readDirectory(p),
});

function handle(m: ToWorker): void {
  switch (m.type) {
    case 'index': {
      const from = m.text === undefined ? reader : withText(m.file, m.text);
      const r = indexFile(m.file, from, idioms, undefined, m.keep ? (s) => kept.push(s) : undefined);
      if ('reason' in r) return post({ type: 'indexed', file: m.file, problem: r, headers: [] });
      const headers = followIncludes
        ? r.includes.map((inc) => resolveInclude(inc, m.file, root, reader)).filter((h): h is string => h !== undefined)
        : [];
      own.set(m.file, r);
      return post({ type: 'indexed', file: m.file, symbols: JSON.stringify(r), headers });
    }
    case 'summarise': {
      // The first round brings the other files' symbols; later rounds only the effects.
      if (!m.round) {
        symbols = new Map(m.order.map((f) => [f, own.get(f) ?? (JSON.parse(m.symbols.get(f)!) as FileSymbols)]));
        index = new SymbolIndex(symbols);
      }
      const problems: FileProblem[] = [];
      const before = new Map(summaries);
      summariseSources(kept, symbols, index!, catalog, summaries, problems, m.round);
      const changed = [...summaries].filter(([file, list]) => before.get(file) !== list);
      return post({ type: 'summaries', summaries: JSON.stringify(changed), problems });
    }
    case 'done':
      for (const s of kept) s.tree.delete();
      kept.length = 0;
      parentPort!.close();
  }
}

initParser().then(() => {
  parentPort!.on('message', (m: ToWorker) => {
    try {
      handle(m);
    } catch (e) {
      post({ type: 'fatal', error: String((e as Error)?.stack ?? e) });
    }
  });
  post({ type: 'ready' });
}, (e) => post({ type: 'fatal', error: String(e?.stack ?? e) }));
