// The language server: a thin adapter over the engine. It indexes each workspace folder on every
// core with work-done progress, keeps the tree current as buffers change (debounced), and
// publishes the findings as diagnostics (pushed, or pulled where the client asks for them).
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, type CodeAction, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checks } from '../engine/checks/registry';
import type { FindingCode } from '../engine/findings';
import { initParser } from '../engine/source/parser';
import { TreeCache } from '../host/cache';
import { FileSystemReader } from '../host/fsReader';
import { LoadCancelled } from '../host/parallelTree';
import { codeActionOf, diagnosticOf, skippedDiagnostic, uriOf } from './convert';
import { fixesOf, isSuppression } from '../engine/fixes';
import { BufferReader } from './documents';
import { hoverAt, lensesOf } from './lens';
import { FolderSession } from './session';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings';
import type { LoadedTree } from '../engine/workspace';

const CODES = checks.map((c) => c.code) as FindingCode[];

const pathOf = (uri: string): string | undefined => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const disk = new FileSystemReader();
  const reader = new BufferReader(documents, disk);
  let settings: Settings = DEFAULT_SETTINGS;
  let sessions: FolderSession[] = [];
  let folders: string[] = [];
  let pull = false;
  let refreshSupport = false;
  let configurationSupport = false;
  let storage: string | undefined;
  /** What was last published for each file (its document version and diagnostics, as JSON). */
  let published = new Map<string, string>();
  const timers = new Map<string, NodeJS.Timeout>();

  const sessionOf = (file: string) => sessions.find((s) => s.owns(file));
  const diagnosticsOf = (s: FolderSession, file: string) => {
    const p = s.problem(file);
    return [...(p ? [skippedDiagnostic(p)] : []), ...s.findings(file).map((f) => diagnosticOf(f, settings))];
  };

  const publishAll = (): void => {
    void connection.sendNotification('lockreview/status', { state: 'ready', findings: sessions.reduce((n, s) => n + s.count, 0) });
    if (pull) {
      if (refreshSupport) void connection.languages.diagnostics.refresh();
      return;
    }
    // Every file with something to show, and every open document (with its version, so that the
    // editor knows which text the diagnostics are for), even when it has nothing.
    const now = new Set<string>();
    const versions = new Map<string, number>();
    for (const d of documents.all()) {
      const file = pathOf(d.uri);
      if (file && sessionOf(file)?.indexed) versions.set(file, d.version);
    }
    for (const s of sessions) for (const file of s.filesWithFindings) now.add(file);
    for (const file of versions.keys()) now.add(file);
    // Sent again only when they changed, or when the document's text did.
    const sent = new Map<string, string>();
    for (const file of now) {
      const s = sessionOf(file);
      const version = versions.get(file);
      const diagnostics = s ? diagnosticsOf(s, file) : [];
      const key = `${version ?? ''}#${JSON.stringify(diagnostics)}`;
      sent.set(file, key);
      if (published.get(file) !== key) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics, ...(version !== undefined && { version }) });
    }
    for (const file of published.keys()) if (!now.has(file)) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
    published = sent;
  };

  const index = async (s: FolderSession): Promise<void> => {
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Indexing locks', 0, `0 files`, true);
    let cancelled = false;
    progress.token.onCancellationRequested(() => { cancelled = true; });
    const open = documents.all().map((d) => pathOf(d.uri)).filter((f): f is string => f !== undefined);
    const cache = cacheFor(s);
    let fresh: LoadedTree | undefined;
    try {
      const t0 = performance.now();
      const result = await s.index({
        report: (done, total) => {
          progress.report(Math.round((done / total) * 100), `${done.toLocaleString('en')}/${total.toLocaleString('en')} files`);
          void connection.sendNotification('lockreview/status', { state: 'indexing', done, total });
        },
        cancelled: () => cancelled,
      }, open, cache);
      fresh = result.fresh;
      for (const p of s.problems) connection.console.warn(`lockreview: ${p.file}: skipped: ${p.reason}`);
      connection.console.info(`lockreview: ${s.folder}: ${s.count} findings (read from ${result.from} in ${Math.round(performance.now() - t0)} ms)`);
    } catch (e) {
      if (e instanceof LoadCancelled) connection.console.info(`lockreview: indexing ${s.folder} cancelled`);
      else connection.console.error(`lockreview: indexing ${s.folder} failed: ${(e as Error).message}`);
    } finally {
      progress.done();
    }
    publishAll();
    // Written after the diagnostics are out: the next start reads this instead of the folder.
    if (fresh) {
      try {
        cache.save(fresh);
      } catch (e) {
        connection.console.warn(`lockreview: cannot write the cache in ${cache.directory}: ${(e as Error).message}`);
      }
    }
  };

  /**
   * Where a folder's tree is cached: the editor's storage folder when it gives one, else
   * `.cache/lockreview/` in the folder (with its own .gitignore); LOCKREVIEW_CACHE_DIR overrides.
   */
  const cacheFor = (s: FolderSession): TreeCache => {
    const base = process.env.LOCKREVIEW_CACHE_DIR ?? storage;
    const dir = base ? path.join(base, crypto.createHash('sha1').update(s.folder).digest('hex').slice(0, 12)) : path.join(s.folder, '.cache', 'lockreview');
    return new TreeCache(dir, s.cacheKey);
  };

  const readConfiguration = async (): Promise<void> => {
    if (!configurationSupport) return;
    const raw: unknown = await connection.workspace.getConfiguration('lockreview');
    const problems: string[] = [];
    settings = readSettings(raw, CODES, problems);
    for (const p of problems) connection.console.warn(p);
  };

  const analyse = (file: string): void => {
    const s = sessionOf(file);
    if (!s?.indexed) return;
    const u = s.change(file);
    if (u?.problem) connection.console.warn(`lockreview: ${file}: skipped: ${u.problem.reason}`);
    publishAll();
    // What the file declares for the others changed: read the folder again, in the background.
    if (u?.declarationsChanged) void index(s);
  };

  const schedule = (uri: string): void => {
    const file = pathOf(uri);
    if (!file) return;
    clearTimeout(timers.get(file));
    timers.set(file, setTimeout(() => {
      timers.delete(file);
      try {
        analyse(file);
      } catch (e) {
        connection.console.error(`lockreview: ${file}: ${(e as Error).message}`);
      }
    }, settings.debounceMs));
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pull = caps.textDocument?.diagnostic !== undefined;
    refreshSupport = caps.workspace?.diagnostics?.refreshSupport === true;
    configurationSupport = caps.workspace?.configuration === true;
    folders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri)).filter((f): f is string => f !== undefined);
    const opts = params.initializationOptions as { storagePath?: unknown } | undefined;
    storage = typeof opts?.storagePath === 'string' ? opts.storagePath : undefined;
    if (folders.length === 0 && params.rootUri) folders = [pathOf(params.rootUri)].filter((f): f is string => f !== undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(pull && { diagnosticProvider: { identifier: 'lockreview', interFileDependencies: true, workspaceDiagnostics: false } }),
      },
      serverInfo: { name: 'lockreview' },
    };
  });

  connection.onInitialized(async () => {
    if (configurationSupport) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'lockreview' });
    await initParser();
    await readConfiguration();
    sessions = folders.map((f) => new FolderSession(f, settings, reader, disk));
    for (const s of sessions) await index(s);
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (configurationSupport) await readConfiguration();
    else settings = readSettings((change.settings as { lockreview?: unknown } | undefined)?.lockreview, CODES, []);
    for (const s of sessions) s.withSettings(settings);
    publishAll();
  });

  connection.languages.diagnostics.on((params) => {
    const file = pathOf(params.textDocument.uri);
    const s = file ? sessionOf(file) : undefined;
    return { kind: 'full', items: s && file ? diagnosticsOf(s, file) : [] };
  });

  connection.onCodeAction((params) => {
    const file = pathOf(params.textDocument.uri);
    const s = file ? sessionOf(file) : undefined;
    if (!file || !s) return [];
    const textOf = (f: string) => {
      try {
        return reader.readFile(f);
      } catch {
        return undefined;
      }
    };
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      if (d.source !== 'lockreview') continue;
      const f = s.findings(file).find((x) => x.code === d.code && x.line === d.range.start.line && x.column === d.range.start.character);
      if (!f) continue;
      const fixes = fixesOf(f, textOf);
      const repairs = fixes.filter((x) => !isSuppression(x));
      for (const fix of fixes) actions.push(codeActionOf(fix, d, repairs.length === 1 && !isSuppression(fix)));
    }
    return actions;
  });

  const treeOf = (uri: string) => {
    const file = pathOf(uri);
    const tree = file ? sessionOf(file)?.tree : undefined;
    return file && tree ? { file, tree } : undefined;
  };
  connection.onHover((params) => {
    const t = treeOf(params.textDocument.uri);
    return t ? hoverAt(t.tree, t.file, params.position) ?? null : null;
  });
  connection.onCodeLens((params) => {
    const t = treeOf(params.textDocument.uri);
    return t ? lensesOf(t.tree, t.file) : [];
  });

  documents.onDidChangeContent((e) => schedule(e.document.uri));
  // Closed unsaved: the disk's text is the file's again.
  documents.onDidClose((e) => schedule(e.document.uri));
  connection.onDidChangeWatchedFiles((e) => { for (const c of e.changes) schedule(c.uri); });

  documents.listen(connection);
  connection.listen();
}
