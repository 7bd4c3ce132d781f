// The language server: a thin adapter over the engine. It indexes each workspace folder on every
// core with work-done progress, keeps the tree current as buffers change (debounced), and
// publishes the findings as diagnostics (pushed, or pulled where the client asks for them).
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, ErrorCodes, LSPErrorCodes, MessageType, type CodeAction, ProposedFeatures, ResponseError, ShowMessageNotification,
  TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checks } from '../engine/checks/registry';
import { CONFIG_FILE } from '../engine/config';
import type { FindingCode } from '../engine/findings';
import { initParser } from '../engine/source/parser';
import { readOrUndefined } from '../engine/source/reader';
import { TreeCache } from '../host/cache';
import { FileSystemReader } from '../host/fsReader';
import { LoadCancelled } from '../host/parallelTree';
import { codeActionOf, configDiagnostic, CYCLE_CODES, diagnosticOf, showCycleAction, skippedDiagnostic, uriOf } from './convert';
import { functionAt, graphData } from './graphData';
import { graphRequest, type GraphRequest } from '../protocol/graph';
import { fixesOf, isSuppression } from '../engine/fixes';
import { BufferReader } from './documents';
import { hoverAt, lensesOf } from './lens';
import { FolderSession } from './session';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings';
import type { LoadedTree } from '../engine/workspace';

const CODES = checks.map((c) => c.code) as FindingCode[];

const pathOf = (uri: string): string | undefined => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);

/** A URI's file path; undefined for another scheme, null for a file URI that names no path. */
function uriPath(uri: string): string | undefined | null {
  try {
    return pathOf(uri);
  } catch {
    return null;
  }
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const disk = new FileSystemReader();
  const reader = new BufferReader(documents, disk);
  let settings: Settings = DEFAULT_SETTINGS;
  /** The client has the lock graph view (`lockreview.showCycle`): code actions may open it. */
  let graphView = false;
  let sessions: FolderSession[] = [];
  let folders: string[] = [];
  let pull = false;
  let refreshSupport = false;
  let configurationSupport = false;
  let dynamicConfiguration = false;
  let storage: string | undefined;
  /** What was last published for each file (its document version and diagnostics, as JSON). */
  let published = new Map<string, string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const log = (e: unknown) => connection.console.error(`lockreview: ${(e as Error)?.message ?? String(e)}`);
  // A promise of the protocol's that fails (a client refusing a request) is logged, never fatal.
  process.on('unhandledRejection', log);
  const openFiles = () => documents.all().map((d) => pathOf(d.uri)).filter((f): f is string => f !== undefined);

  const sessionOf = (file: string) => sessions.find((s) => s.owns(file));
  const diagnosticsOf = (s: FolderSession, file: string) => {
    if (s.configProblem?.file === file) return [configDiagnostic(s.configProblem)];
    const p = s.problem(file);
    const shown = s.findings(file).filter((f) => !settings.onlyNew || s.isNew(f));
    return [...(p ? [skippedDiagnostic(p)] : []), ...shown.map((f) => diagnosticOf(f, settings, s.isNew(f)))];
  };

  const publishAll = (): void => {
    connection.sendNotification('lockreview/status', { state: 'ready', findings: sessions.reduce((n, s) => n + s.count, 0) }).catch(log);
    if (pull) {
      if (refreshSupport) connection.languages.diagnostics.refresh().catch(log);
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
      if (published.get(file) !== key) connection.sendDiagnostics({ uri: uriOf(file), diagnostics, ...(version !== undefined && { version }) }).catch(log);
    }
    for (const file of published.keys()) if (!now.has(file)) connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] }).catch(log);
    published = sent;
  };


  /** Progress the client may refuse to show (a failed `workDoneProgress/create`): then none. */
  const progressBar = async () => {
    try {
      return await connection.window.createWorkDoneProgress();
    } catch (e) {
      log(e);
      return undefined;
    }
  };

  // One index at a time per folder; asked again meanwhile, it runs once more after.
  const indexing = new Map<FolderSession, Promise<void>>();
  const rerun = new Set<FolderSession>();
  const index = (s: FolderSession): Promise<void> => {
    const running = indexing.get(s);
    if (running) {
      rerun.add(s);
      return running;
    }
    const p = indexOnce(s).catch(log).finally(() => {
      indexing.delete(s);
      if (rerun.delete(s)) void index(s);
    });
    indexing.set(s, p);
    return p;
  };

  const indexOnce = async (s: FolderSession): Promise<void> => {
    const progress = await progressBar();
    progress?.begin('Indexing locks', 0, `0 files`, true);
    let cancelled = false;
    progress?.token.onCancellationRequested(() => { cancelled = true; });
    const cache = cacheFor(s);
    let fresh: LoadedTree | undefined;
    try {
      const t0 = performance.now();
      const result = await s.index({
        report: (done, total) => {
          progress?.report(total > 0 ? Math.round((done / total) * 100) : 100, `${done.toLocaleString('en')}/${total.toLocaleString('en')} files`);
          connection.sendNotification('lockreview/status', { state: 'indexing', done, total }).catch(log);
        },
        cancelled: () => cancelled,
      }, openFiles, cache);
      fresh = result.fresh;
      // A header typed into meanwhile declares something else now: read again, with the buffers.
      if (result.stale) rerun.add(s);
      for (const p of s.problems) connection.console.warn(`lockreview: ${p.file}: skipped: ${p.reason}`);
      if (s.configProblem) {
        const message = `lockreview: ${s.configProblem.reason}; the folder is read without it`;
        connection.console.warn(message);
        connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }).catch(log);
      }
      connection.console.info(`lockreview: ${s.folder}: ${s.count} findings (read from ${result.from} in ${Math.round(performance.now() - t0)} ms)`);
    } catch (e) {
      if (e instanceof LoadCancelled) connection.console.info(`lockreview: indexing ${s.folder} cancelled; the next change reads it again`);
      else log(new Error(`indexing ${s.folder} failed: ${(e as Error).message}`));
    } finally {
      progress?.done();
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
    // A folder's lockreview.json: its vocabulary changed, the folder is read again with it.
    const configured = sessions.find((x) => file === path.join(x.root, CONFIG_FILE));
    if (configured) {
      void index(configured);
      return;
    }
    const s = sessionOf(file);
    if (!s) {
      // A file new to a folder's scope: the folder is read again with it.
      const owner = sessions.find((x) => x.inScope(file));
      if (owner) void index(owner);
      return;
    }
    if (!s.indexed) {
      // Not read yet: an index running takes the buffers in when it ends; one cancelled starts again.
      if (!indexing.has(s)) void index(s);
      return;
    }
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
    dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    folders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri)).filter((f): f is string => f !== undefined);
    const opts = params.initializationOptions as { storagePath?: unknown; graphView?: unknown } | undefined;
    storage = typeof opts?.storagePath === 'string' ? opts.storagePath : undefined;
    graphView = opts?.graphView === true;
    if (folders.length === 0 && params.rootUri) folders = [pathOf(params.rootUri)].filter((f): f is string => f !== undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(pull && { diagnosticProvider: { identifier: 'lockreview', interFileDependencies: true, workspaceDiagnostics: true } }),
      },
      serverInfo: { name: 'lockreview' },
    };
  });

  connection.onInitialized(async () => {
    if (configurationSupport && dynamicConfiguration) connection.client.register(DidChangeConfigurationNotification.type, { section: 'lockreview' }).catch(log);
    await initParser();
    await readConfiguration().catch(log);
    sessions = folders.map((f) => new FolderSession(f, settings, reader, disk));
    for (const s of sessions) await index(s);
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (configurationSupport) await readConfiguration().catch(log);
    else settings = readSettings((change.settings as { lockreview?: unknown } | undefined)?.lockreview, CODES, []);
    for (const s of sessions) {
      const again = s.needsIndex(settings);
      s.withSettings(settings);
      if (again) void index(s);
    }
    publishAll();
  });

  // Every file with something to show, closed ones too (an inversion's other half elsewhere).
  connection.languages.diagnostics.onWorkspace(() => ({
    items: sessions.flatMap((s) => s.filesWithFindings.map((file) => ({ kind: 'full' as const, uri: uriOf(file), version: null, items: diagnosticsOf(s, file) }))),
  }));

  connection.languages.diagnostics.on((params) => {
    const file = pathOf(params.textDocument.uri);
    const s = file ? sessionOf(file) : undefined;
    return { kind: 'full', items: s && file ? diagnosticsOf(s, file) : [] };
  });

  connection.onCodeAction((params) => {
    const file = pathOf(params.textDocument.uri);
    const s = file ? sessionOf(file) : undefined;
    // Typed since it was analysed: the findings' positions are not this text's.
    if (!file || !s || timers.has(file)) return [];
    const textOf = (f: string) => readOrUndefined(reader, f);
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      if (d.source !== 'lockreview') continue;
      const f = s.findings(file).find((x) => x.code === d.code && x.line === d.range.start.line && x.column === d.range.start.character);
      if (!f) continue;
      const fixes = fixesOf(f, textOf);
      const repairs = fixes.filter((x) => !isSuppression(x));
      for (const fix of fixes) actions.push(codeActionOf(fix, d, repairs.length === 1 && !isSuppression(fix)));
      // An editor with the graph view (it says so when it starts the server) shows the cycle there.
      if (graphView && CYCLE_CODES.has(f.code)) actions.push(showCycleAction(params.textDocument.uri, f, d));
    }
    return actions;
  });

  // The lock graph of the folder a document is in, focused as asked (protocol/graph.ts).
  connection.onRequest('lockreview/graph', (raw: unknown) => {
    const request = graphRequest(raw);
    const file = request && uriPath(request.uri);
    if (!request || file === null) throw new ResponseError(ErrorCodes.InvalidParams, 'lockreview/graph: expected { uri: a file URI, focus? }');
    // A document of no served folder (a settings file, another folder's source): the first folder's graph.
    const s = (file ? sessionOf(file) ?? sessions.find((x) => file === x.folder || file.startsWith(x.folder + path.sep)) : undefined) ?? sessions[0];
    const tree = s?.tree;
    if (!s || !tree) throw new ResponseError(LSPErrorCodes.RequestFailed, 'the folder is not indexed yet');
    // Typed since it was analysed: analysed now, so that the cursor and the symbols agree.
    if (file && timers.has(file)) {
      clearTimeout(timers.get(file));
      timers.delete(file);
      analyse(file);
    }
    const focus = request.focus?.kind === 'cycleAt' ? cycleOn(s, file, request.focus.line) : request.focus;
    const fn = focus?.kind === 'function' && file ? functionAt(s.tree!, file, readOrUndefined(reader, file), focus.line, focus.character) : undefined;
    if (focus?.kind === 'function' && !fn) throw new ResponseError(LSPErrorCodes.RequestFailed, 'the cursor is not in a function of the analysed tree');
    const data = graphData(s.tree!, { ...(focus && { focus }), ...(file && s.tree!.symbols.has(file) && { file }), ...(fn && { fn }), added: (key) => s.isAdded(key) });
    if (focus && data.focus.length === 0) throw new ResponseError(LSPErrorCodes.RequestFailed, `${data.title}: no lock class of the graph matches`);
    return data;
  });

  /** The cycle the finding on this line reports, as a focus. */
  const cycleOn = (s: FolderSession, file: string | undefined, line: number): GraphRequest['focus'] => {
    const f = file ? s.findings(file).find((x) => CYCLE_CODES.has(x.code) && x.line === line) : undefined;
    if (!f) throw new ResponseError(LSPErrorCodes.RequestFailed, 'no lock cycle is reported on this line');
    return { kind: 'cycle', locks: f.locks };
  };

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
  connection.onDidChangeWatchedFiles((e) => {
    for (const c of e.changes) schedule(c.uri);
    // Saved, committed, checked out: what differs from HEAD is read again.
    for (const s of sessions) if (s.indexed) s.refreshHead();
  });

  documents.listen(connection);
  connection.listen();
}
