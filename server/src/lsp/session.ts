// One workspace folder under analysis: its files, the tree kept current as buffers change
// (engine/model.ts), and the findings by file. The server asks; this answers in engine terms.
import * as path from 'node:path';
import { checks } from '../engine/checks/registry';
import { CONFIG_FILE, ConfigError, treeVocabulary } from '../engine/config';
import type { Finding, FindingCode } from '../engine/findings';
import { defaultCatalog, type Catalog } from '../engine/locks/catalog';
import { TreeModel, type Update } from '../engine/model';
import { carryDependencies } from '../engine/graph/carried';
import { Unmoved, type Moved } from '../engine/moved';
import { identityKey, identityOf, unaccounted } from '../engine/identity';
import { reviewTree, unsuppressed } from '../engine/review';
import { defaultIdioms, type IdiomTable } from '../engine/source/idioms';
import { readOrUndefined, type SourceReader } from '../engine/source/reader';
import type { FileProblem } from '../engine/source/sourceFile';
import { findKernelRoot, listSourceFiles, type LoadedTree } from '../engine/workspace';
import type { TreeCache } from '../host/cache';
import { loadTreeParallel } from '../host/parallelTree';
import { HeadBaseline, type Baseline } from './headBaseline';
import type { Settings } from './settings';

/** More files changed since the cache was made than this: a full load is quicker than edits. */
const MAX_CHANGED_SINCE_CACHE = 40;

export interface Progress {
  report(done: number, total: number): void;
  readonly cancelled: () => boolean;
}

export class FolderSession {
  readonly root: string;
  private model: TreeModel | undefined;
  private vocabulary: { idioms: IdiomTable; catalog: Catalog } | undefined;
  private config: FileProblem | undefined;
  private files = new Set<string>();
  /** Every finding of the enabled checks, those an ignore comment silences too. */
  private all: readonly Finding[] = [];
  /** HEAD's findings and dependencies, to tell what the working tree adds (issue 9). */
  private readonly head: HeadBaseline;
  /** Files that differ from HEAD on disk (git status), and those edited in the editor since. */
  private diskChanged: string[] = [];
  private readonly touched = new Set<string>();
  private baseline: Baseline | undefined;
  private fresh = new Set<Finding>();
  private byFile = new Map<string, readonly Finding[]>();

  constructor(readonly folder: string, private settings: Settings, private readonly reader: SourceReader, private readonly disk: SourceReader) {
    this.root = findKernelRoot(folder, disk) ?? folder;
    this.head = new HeadBaseline(folder);
  }

  /** The files the settings put in scope: the scope folders' .c and .h files, less the excluded. */
  private scopeFiles(): string[] {
    const dirs = this.settings.scope.length > 0 ? this.settings.scope.map((d) => path.resolve(this.folder, d)) : [this.folder];
    const excluded = this.settings.exclude.map((e) => path.resolve(this.folder, e));
    const out: string[] = [];
    for (const d of dirs) {
      if (!this.disk.isDirectory(d)) continue;
      for (const f of listSourceFiles(d, this.disk)) if (!excluded.some((e) => f === e || f.startsWith(e + path.sep))) out.push(f);
    }
    return [...new Set(out)];
  }

  /**
   * Reads the folder: from the cache when it holds this tree (the files changed since read again,
   * as edits), else the whole folder on every core — with the text of unsaved buffers where they
   * differ from the disk (a header edited in the editor reaches every file). The open buffers are
   * asked for once the load is done, so what was opened or typed meanwhile is in. Returns how the
   * tree was had, and the tree to cache when it is the disk's.
   */
  async index(progress: Progress, open: () => readonly string[], cache?: TreeCache): Promise<{ from: 'cache' | 'disk'; fresh?: LoadedTree; stale?: boolean }> {
    const files = this.scopeFiles();
    this.vocabulary = this.readVocabulary();
    const modelOptions = { reader: this.reader, ...this.vocabulary };
    const overlay = this.unsaved(open());
    const cached = overlay.size === 0 ? cache?.load(this.root, files) : undefined;
    let model: TreeModel | undefined;
    if (cached && cached.changed.length <= MAX_CHANGED_SINCE_CACHE) {
      model = new TreeModel(cached.tree, modelOptions);
      for (const f of cached.changed) {
        // A declaration others read changed: the cached summaries elsewhere may be stale.
        if (model.update(f).declarationsChanged) {
          model.dispose();
          model = undefined;
          break;
        }
      }
    }
    let fresh: LoadedTree | undefined;
    if (!model) {
      fresh = await loadTreeParallel(files, {
        root: this.root, ...this.vocabulary, ...(this.settings.includeDepth !== undefined && { includeDepth: this.settings.includeDepth }),
        overlay, onProgress: (stage, done, total) => { if (stage === 'index') progress.report(done, total); },
        cancelled: progress.cancelled,
      });
      model = new TreeModel(fresh, modelOptions);
    } else {
      progress.report(files.length, files.length);
    }
    this.files = new Set(files);
    // The model replaced lets go of the syntax trees it kept (they live outside the JS heap).
    if (this.model !== model) this.model?.dispose();
    this.model = model;
    // What was typed while the load ran: buffers whose text is not what was read.
    let declarations = false;
    for (const [f, text] of this.unsaved(open())) {
      if (overlay.get(f) !== text && this.model.update(f).declarationsChanged) declarations = true;
    }
    this.diskChanged = this.head.changedOnDisk(this.folder);
    this.review();
    return { from: fresh ? 'disk' : 'cache', ...(fresh && overlay.size === 0 && { fresh }), ...(declarations && { stale: true }) };
  }

  /**
   * The idioms and catalog, with the folder's lockreview.json. A config that cannot be used is a
   * problem of that file (shown on it), and the folder is read with the built-in vocabulary.
   */
  private readVocabulary(): { idioms: IdiomTable; catalog: Catalog } {
    this.config = undefined;
    try {
      return treeVocabulary(this.root, this.disk);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.config = { file: path.join(this.root, CONFIG_FILE), reason: e.message };
      return { idioms: defaultIdioms, catalog: defaultCatalog };
    }
  }

  /** The folder's lockreview.json could not be used: why (the reason names the file and what is wrong). */
  get configProblem(): FileProblem | undefined {
    return this.config;
  }

  /** Open buffers of this folder's tree whose text differs from the disk. */
  private unsaved(open: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const f of open) {
      if (!this.inScope(f) && !(this.model?.tree.symbols.has(f) ?? false)) continue;
      const text = this.reader.readFile(f);
      if (text !== readOrUndefined(this.disk, f)) out.set(f, text);
    }
    return out;
  }

  /** A .c or .h file under the scope folders and not excluded: the folder's, once it is read. */
  inScope(file: string): boolean {
    if (!/\.[ch]$/.test(file)) return false;
    const dirs = this.settings.scope.length > 0 ? this.settings.scope.map((d) => path.resolve(this.folder, d)) : [this.folder];
    const under = (d: string) => file === d || file.startsWith(d + path.sep);
    return dirs.some(under) && !this.settings.exclude.map((e) => path.resolve(this.folder, e)).some(under) && !file.split(path.sep).some((p) => p.startsWith('.'));
  }

  /** Settings that change which files are read, or how: the folder must be read again. */
  needsIndex(next: Settings): boolean {
    const key = (s: Settings) => JSON.stringify([s.scope, s.exclude, s.includeDepth ?? null]);
    return key(next) !== key(this.settings);
  }

  /** What the cached tree depends on besides the files: the options and the folder's lockreview.json. */
  get cacheKey(): string {
    const config = readOrUndefined(this.disk, path.join(this.root, CONFIG_FILE)) ?? '';
    return JSON.stringify({ includeDepth: this.settings.includeDepth ?? null, config });
  }

  get indexed(): boolean {
    return this.model !== undefined;
  }

  get tree(): LoadedTree | undefined {
    return this.model?.tree;
  }

  owns(file: string): boolean {
    return this.files.has(file) || (this.model?.tree.symbols.has(file) ?? false) || file === this.configProblem?.file;
  }

  /** A file's text changed (an edit, a save, a file on disk): bring the tree and the findings up to date. */
  change(file: string): Update | undefined {
    if (!this.model || !this.owns(file)) return undefined;
    const before = this.model.tree;
    this.touched.add(file);
    const u = this.model.update(file);
    if (u.moved && this.move(u.moved)) carryDependencies(before, this.model.tree, u.moved);
    else this.review();
    return u;
  }

  /** The findings where an edit that kept the locking moved them; false when one cannot be. */
  private move(moved: Moved): boolean {
    try {
      this.all = this.all.map((f) => moved.finding(f));
    } catch (e) {
      if (e instanceof Unmoved) return false;
      throw e;
    }
    this.group();
    return true;
  }

  withSettings(settings: Settings): void {
    this.settings = settings;
    if (this.model) this.review();
  }

  /** Every check but those turned off, over the tree as it stands; findings grouped by file. */
  private review(): void {
    this.all = reviewTree(this.model!.tree, { checks: this.enabled, unfiltered: true }).findings;
    this.group();
  }

  /** Files changed on disk or HEAD moved (a save, a commit, a checkout): what HEAD had is read again. */
  refreshHead(): void {
    this.head.refresh();
    this.diskChanged = this.head.changedOnDisk(this.folder);
    if (this.model) this.group();
  }

  /** The findings no ignore comment silences, by file; and which of them HEAD does not have. */
  private group(): void {
    const tree = this.model!.tree;
    this.baseline = this.head.baseline(tree, [...this.diskChanged, ...this.touched], this.vocabulary!, this.enabled);
    const baseline = this.baseline;
    this.fresh = new Set(baseline ? unaccounted(this.all, (f) => identityKey(identityOf(tree, f)), baseline.findings) : []);
    const byFile = new Map<string, Finding[]>();
    for (const f of unsuppressed(this.model!.tree, this.all)) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    this.byFile = byFile;
  }

  /** Every check the settings do not turn off. */
  private get enabled(): ReadonlySet<FindingCode> {
    return new Set<FindingCode>(checks.map((c) => c.code).filter((c) => !this.settings.disabled.has(c)));
  }

  /** Not in HEAD: made by the working tree's changes (saved or not). */
  isNew(f: Finding): boolean {
    return this.fresh.has(f);
  }

  /** A dependency (diff.ts key) HEAD does not have; false outside git. */
  isAdded(key: string): boolean {
    return this.baseline !== undefined && !this.baseline.dependencies.has(key);
  }

  findings(file: string): readonly Finding[] {
    return this.byFile.get(file) ?? [];
  }

  /** Why an analysed file was left out (unreadable, not C, too large), if it was. */
  problem(file: string): FileProblem | undefined {
    return this.files.has(file) ? this.model?.tree.problems.find((p) => p.file === file) : undefined;
  }

  /** Analysed files left out, each with its reason. */
  get problems(): readonly FileProblem[] {
    return (this.model?.tree.problems ?? []).filter((p) => this.files.has(p.file));
  }

  /** Files with something to show now: findings, or the reason they were left out. */
  get filesWithFindings(): readonly string[] {
    return [...new Set([...this.byFile.keys(), ...this.problems.map((p) => p.file), ...(this.configProblem ? [this.configProblem.file] : [])])];
  }

  get count(): number {
    let n = 0;
    for (const list of this.byFile.values()) n += list.length;
    return n;
  }
}
