// loadTree on several cores: worker threads read, parse and index the files (the headers they
// include found as they go), then each summarises the files it parsed, round by round, while
// this thread computes the effects between rounds. The result is the LoadedTree the sequential
// loadTree gives, in the same order, so findings do not depend on which worker did what.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SymbolIndex } from '../engine/index/symbolIndex';
import type { FileSymbols } from '../engine/index/symbols';
import { defaultCatalog, type Catalog } from '../engine/locks/catalog';
import { MAX_EFFECT_ROUNDS, nextRound, type RoundEffects } from '../engine/locks/rounds';
import type { FunctionSummary } from '../engine/locks/summary';
import { defaultIdioms, type IdiomTable } from '../engine/source/idioms';
import { initParser } from '../engine/source/parser';
import type { FileProblem } from '../engine/source/sourceFile';
import { depthLimit, type LoadedTree } from '../engine/workspace';
import type { FromWorker, ToWorker } from './treeWorker';

export interface ParallelOptions {
  readonly root: string;
  readonly idioms?: IdiomTable;
  readonly catalog?: Catalog;
  readonly followIncludes?: boolean;
  /** As TreeOptions.includeDepth. */
  readonly includeDepth?: number;
  /** Worker threads; by default one per core. */
  readonly workers?: number;
  /** Told as the analysed files are indexed (`done` of `total`), then as the summaries' rounds run. */
  readonly onProgress?: (stage: 'index' | 'summarise', done: number, total: number) => void;
  /** Texts to read instead of the disk's (an editor's unsaved buffers). */
  readonly overlay?: ReadonlyMap<string, string>;
  /** Asked between files: true stops the load (it then rejects with a `LoadCancelled`). */
  readonly cancelled?: () => boolean;
}

/** The load was stopped by `cancelled()`. */
export class LoadCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** A worker and the replies it owes. */
class Helper {
  private readonly worker: Worker;
  private waiting: ((m: FromWorker) => void)[] = [];
  private failed: Error | undefined;

  constructor(data: object) {
    this.worker = new Worker(path.join(__dirname, 'treeWorker.js'), { workerData: data });
    this.worker.on('message', (m: FromWorker) => this.waiting.shift()?.(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => { if (code !== 0) this.fail(new Error(`worker exited with ${code}`)); });
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const w of this.waiting.splice(0)) w({ type: 'fatal', error: e.message });
  }

  /** The next message from the worker, after sending `m` (if any). */
  next(m?: ToWorker): Promise<FromWorker> {
    if (this.failed) return Promise.reject(this.failed);
    const reply = new Promise<FromWorker>((resolve, reject) => this.waiting.push((r) => (r.type === 'fatal' ? reject(new Error(r.error)) : resolve(r))));
    if (m) this.worker.postMessage(m);
    return reply;
  }

  done(): void {
    this.worker.postMessage({ type: 'done' } satisfies ToWorker);
  }
}

/** Files handed to one worker at a time, so it never waits for this thread between two. */
const IN_FLIGHT = 3;

/** The analysed files split among the workers by size, largest first to the least loaded. */
function deal(files: readonly string[], helpers: readonly Helper[]): Map<Helper, string[]> {
  const size = (f: string) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0; // unreadable: the worker reports it
    }
  };
  const load = new Map(helpers.map((h) => [h, 0]));
  const out = new Map(helpers.map((h) => [h, [] as string[]]));
  for (const [file, bytes] of files.map((f) => [f, size(f)] as const).sort((a, b) => b[1] - a[1])) {
    const h = helpers.reduce((a, b) => (load.get(b)! < load.get(a)! ? b : a));
    load.set(h, load.get(h)! + bytes);
    out.get(h)!.push(file);
  }
  return out;
}

export async function loadTreeParallel(files: readonly string[], options: ParallelOptions): Promise<LoadedTree> {
  const started = performance.now();
  const { root } = options;
  const catalog = options.catalog ?? defaultCatalog;
  const followIncludes = options.followIncludes ?? true;
  const count = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), files.length));
  const helpers = Array.from({ length: count }, () => new Helper({ root, idioms: options.idioms ?? defaultIdioms, catalog, followIncludes }));
  try {
    // The graph evaluates constant expressions with the parser on this thread too (values.ts).
    await Promise.all([...helpers.map((h) => h.next()), initParser()]);

    // Index: hand out files one at a time; the headers each includes join the queue.
    const analysed = new Set(files);
    const indexed = new Map<string, { symbols?: string; problem?: FileProblem; headers: readonly string[] }>();
    const queue: string[] = []; // headers, as they are found; the analysed files are dealt below
    const seen = new Set<string>();
    const owner = new Map<string, Helper>();
    let inFlight = 0;
    // A worker that finds the queue empty while another is still indexing (whose headers may
    // join the queue) waits to be woken.
    let wake: (() => void)[] = [];
    // The analysed files are dealt out by size up front, so that each worker later summarises
    // about as much (it keeps the trees of what it parsed); headers go to whoever is free.
    const dealt = deal(files, helpers);
    // Each file at the least depth it is included from; headers deeper than the limit are not read.
    const limit = depthLimit(options.includeDepth);
    const depth = new Map<string, number>(files.map((f) => [f, 0]));
    const reachFrom = (file: string, d: number): void => {
      const r = indexed.get(file);
      if (!r || d >= limit) return;
      for (const header of r.headers) {
        const old = depth.get(header);
        if (old !== undefined && old <= d + 1) continue;
        depth.set(header, d + 1);
        if (d + 1 > limit) continue;
        if (indexed.has(header)) reachFrom(header, d + 1); // met nearer now: its own headers too
        else if (!seen.has(header)) queue.push(header);
      }
    };
    let analysedDone = 0;
    const work = async (h: Helper): Promise<void> => {
      for (;;) {
        if (options.cancelled?.()) throw new LoadCancelled();
        const file = dealt.get(h)!.shift() ?? queue.shift();
        if (file === undefined) {
          if (inFlight === 0) return;
          await new Promise<void>((resolve) => wake.push(resolve));
          continue;
        }
        if (seen.has(file)) continue;
        seen.add(file);
        inFlight++;
        const text = options.overlay?.get(file);
        const r = await h.next({ type: 'index', file, keep: analysed.has(file), ...(text !== undefined && { text }) });
        inFlight--;
        if (r.type !== 'indexed') throw new Error(`worker: expected an index result, got ${r.type}`);
        indexed.set(file, r);
        owner.set(file, h);
        if (analysed.has(file)) options.onProgress?.('index', ++analysedDone, files.length);
        reachFrom(file, depth.get(file) ?? 0);
        const waiting = wake;
        wake = [];
        for (const w of waiting) w();
      }
    };
    // Several files in flight per worker: it parses the next while this thread handles a reply.
    await Promise.all(helpers.flatMap((h) => Array.from({ length: IN_FLIGHT }, () => work(h))));

    // The order the sequential loadTree reads files in: the analysed files, then each one's
    // headers as they are first included.
    const symbolsJson = new Map<string, string>();
    const problems: FileProblem[] = [];
    const order: [string, number][] = files.map((f) => [f, 0]);
    const placed = new Set<string>();
    for (let i = 0; i < order.length; i++) {
      const [file, d] = order[i]!;
      if (placed.has(file)) continue;
      placed.add(file);
      const r = indexed.get(file);
      if (!r) continue;
      if (r.problem) problems.push(r.problem);
      if (!r.symbols) continue;
      symbolsJson.set(file, r.symbols);
      if (d < limit) for (const header of r.headers) order.push([header, d + 1]);
    }
    const indexedAt = performance.now();

    // Summaries: every worker summarises what it parsed; effects are computed here between rounds.
    const summaries = new Map<string, FunctionSummary[]>();
    const symbols = new Map<string, FileSymbols>();
    const summarise = async (round?: RoundEffects) => {
      // The first round tells each worker the symbols it has not indexed itself, and the order.
      const message = (h: Helper): ToWorker => round
        ? { type: 'summarise', order: [], symbols: new Map(), round }
        : { type: 'summarise', order: [...symbolsJson.keys()], symbols: new Map([...symbolsJson].filter(([f]) => owner.get(f) !== h)) };
      const pending = Promise.all(helpers.map((h) => h.next(message(h))));
      // This thread reads the symbols while the workers summarise.
      if (!round) for (const [file, json] of symbolsJson) symbols.set(file, JSON.parse(json) as FileSymbols);
      const replies = await pending;
      for (const r of replies) {
        if (r.type !== 'summaries') throw new Error(`worker: expected summaries, got ${r.type}`);
        for (const [file, list] of JSON.parse(r.summaries) as [string, FunctionSummary[]][]) summaries.set(file, list);
        for (const p of r.problems) {
          summaries.delete(p.file);
          if (!problems.some((x) => x.file === p.file)) problems.push(p);
        }
      }
    };
    await summarise();
    const known = new Map<string, string>();
    for (let round = 0; round < MAX_EFFECT_ROUNDS; round++) {
      options.onProgress?.('summarise', round + 1, MAX_EFFECT_ROUNDS + 1);
      if (options.cancelled?.()) throw new LoadCancelled();
      const next = nextRound(summaries, symbols, known);
      if (next.changed.size === 0) break;
      await summarise(next);
    }
    const ordered = new Map<string, FunctionSummary[]>();
    for (const file of symbols.keys()) {
      const list = summaries.get(file);
      if (list) ordered.set(file, list);
    }
    // Problems in the order the sequential loadTree meets the files, whichever worker found them.
    const rank = new Map(order.map(([f], i) => [f, i] as const).reverse());
    problems.sort((a, b) => (rank.get(a.file) ?? 0) - (rank.get(b.file) ?? 0));
    const index = new SymbolIndex(symbols);
    const timings = { indexMs: indexedAt - started, summariseMs: performance.now() - indexedAt };
    return { root, files, symbols, index, problems, summaries: ordered, timings };
  } finally {
    for (const h of helpers) h.done();
  }
}
