// The language server's cache of a loaded tree on disk: every file's symbols and every analysed
// file's summaries, with the content hash of each file read and the version of the engine that
// made them. A later start loads it, re-reads only the files whose hash changed (as edits), and
// falls back to a full load when the engine, the options or the set of files differ.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultGrammarPath } from '../engine/source/parser';
import type { FileSymbols } from '../engine/index/symbols';
import { SymbolIndex } from '../engine/index/symbolIndex';
import type { FunctionSummary } from '../engine/locks/summary';
import type { FileProblem } from '../engine/source/sourceFile';
import type { LoadedTree } from '../engine/workspace';

const FORMAT = 1;

interface Snapshot {
  readonly format: number;
  readonly engine: string;
  readonly options: string;
  readonly root: string;
  readonly files: readonly string[];
  readonly hashes: Readonly<Record<string, string>>;
  readonly symbols: readonly [string, FileSymbols][];
  readonly summaries: readonly [string, readonly FunctionSummary[]][];
  readonly problems: readonly FileProblem[];
}

export interface Cached {
  readonly tree: LoadedTree;
  /** Files read for the tree whose content is not what it was: to read again. */
  readonly changed: readonly string[];
}

let engineVersion: string | undefined;

/** The engine as built: a hash of its compiled code (the host's workers too) and the grammar, so that any change to them empties the cache. */
export function engineHash(): string {
  if (engineVersion) return engineVersion;
  const h = crypto.createHash('sha1');
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) h.update(e.name).update(fs.readFileSync(p));
    }
  };
  const engine = path.join(__dirname, '..', 'engine');
  if (fs.existsSync(engine)) {
    walk(engine);
    walk(__dirname);
  } else {
    // Bundled (the extension's dist/): this file is the server, its worker beside it.
    for (const f of [__filename, path.join(__dirname, 'treeWorker.js')]) if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  }
  h.update(fs.readFileSync(defaultGrammarPath()));
  return (engineVersion = h.digest('hex'));
}

const hashOf = (file: string): string | undefined => {
  try {
    return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
};

export class TreeCache {
  private readonly file: string;

  /** `dir`: where the cache lives; `key`: what else the tree depends on (options, config). */
  constructor(private readonly dir: string, private readonly key: string) {
    this.file = path.join(dir, 'tree.json');
  }

  get directory(): string {
    return this.dir;
  }

  /** The cached tree of `files` under `root`, if the cache has one made by this engine with these options. */
  load(root: string, files: readonly string[]): Cached | undefined {
    let snap: Snapshot;
    try {
      snap = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Snapshot;
    } catch {
      return undefined; // none yet, or unreadable: a full load makes it again
    }
    if (snap.format !== FORMAT || snap.engine !== engineHash() || snap.options !== this.key || snap.root !== root) return undefined;
    if (snap.files.length !== files.length || snap.files.some((f, i) => f !== files[i])) return undefined;
    const changed = Object.entries(snap.hashes).filter(([f, h]) => (hashOf(f) ?? '') !== h).map(([f]) => f);
    const symbols = new Map(snap.symbols);
    const tree: LoadedTree = {
      root, files, symbols, index: new SymbolIndex(symbols), problems: snap.problems,
      summaries: new Map(snap.summaries), timings: { indexMs: 0, summariseMs: 0 },
    };
    return { tree, changed };
  }

  /** Writes the tree (as loaded, before any buffer's edits), with the hash of each file it read. */
  save(tree: LoadedTree): void {
    const hashes: Record<string, string> = {};
    // An unreadable file's hash is empty: readable later, it counts as changed.
    for (const f of new Set([...tree.symbols.keys(), ...tree.problems.map((p) => p.file)])) hashes[f] = hashOf(f) ?? '';
    const snap: Snapshot = {
      format: FORMAT, engine: engineHash(), options: this.key, root: tree.root, files: tree.files, hashes,
      symbols: [...tree.symbols], summaries: [...tree.summaries], problems: tree.problems,
    };
    fs.mkdirSync(this.dir, { recursive: true });
    const ignore = path.join(this.dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# lockreview cache: never committed\n*\n');
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(snap));
    fs.renameSync(tmp, this.file);
  }
}
