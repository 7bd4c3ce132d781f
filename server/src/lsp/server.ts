// The language server: a thin adapter over the engine. It indexes each workspace folder on every
// core with work-done progress, keeps the tree current as buffers change (debounced), and
// publishes the findings as diagnostics (pushed, or pulled where the client asks for them).
import { fileURLToPath } from 'node:url';
import {
  createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checks } from '../engine/checks/registry';
import type { FindingCode } from '../engine/findings';
import { initParser } from '../engine/source/parser';
import { FileSystemReader } from '../host/fsReader';
import { LoadCancelled } from '../host/parallelTree';
import { diagnosticOf, skippedDiagnostic, uriOf } from './convert';
import { BufferReader } from './documents';
import { FolderSession } from './session';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings';

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
  /** What was last published for each file (its document version and diagnostics, as JSON). */
  let published = new Map<string, string>();
  const timers = new Map<string, NodeJS.Timeout>();

  const sessionOf = (file: string) => sessions.find((s) => s.owns(file));
  const diagnosticsOf = (s: FolderSession, file: string) => {
    const p = s.problem(file);
    return [...(p ? [skippedDiagnostic(p)] : []), ...s.findings(file).map((f) => diagnosticOf(f, settings))];
  };

  const publishAll = (): void => {
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
    try {
      await s.index({
        report: (done, total) => progress.report(Math.round((done / total) * 100), `${done.toLocaleString('en')}/${total.toLocaleString('en')} files`),
        cancelled: () => cancelled,
      }, open);
      for (const p of s.problems) connection.console.warn(`lockreview: ${p.file}: skipped: ${p.reason}`);
      connection.console.info(`lockreview: ${s.folder}: ${s.count} findings`);
    } catch (e) {
      if (e instanceof LoadCancelled) connection.console.info(`lockreview: indexing ${s.folder} cancelled`);
      else connection.console.error(`lockreview: indexing ${s.folder} failed: ${(e as Error).message}`);
    } finally {
      progress.done();
    }
    publishAll();
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
    if (folders.length === 0 && params.rootUri) folders = [pathOf(params.rootUri)].filter((f): f is string => f !== undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
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

  documents.onDidChangeContent((e) => schedule(e.document.uri));
  // Closed unsaved: the disk's text is the file's again.
  documents.onDidClose((e) => schedule(e.document.uri));
  connection.onDidChangeWatchedFiles((e) => { for (const c of e.changes) schedule(c.uri); });

  documents.listen(connection);
  connection.listen();
}
