// A test editor: spawns the built server over stdio and speaks LSP to it with vscode-jsonrpc,
// collecting what it pushes (diagnostics, progress, log messages).
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const bin = path.resolve(__dirname, '..', '..', '..', 'bin', 'lockreview.js');

export interface PublishedDiagnostics {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: readonly {
    readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
    readonly severity?: number;
    readonly code?: string;
    readonly source?: string;
    readonly message: string;
    readonly codeDescription?: { href: string };
    readonly relatedInformation?: readonly { location: { uri: string; range: { start: { line: number } } }; message: string }[];
  }[];
}

export class TestEditor {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  readonly diagnostics = new Map<string, PublishedDiagnostics['diagnostics']>();
  readonly progress: unknown[] = [];
  readonly log: string[] = [];
  /** Messages shown to the user (window/showMessage). */
  readonly shown: string[] = [];
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();

  private readonly published = new Map<string, number | undefined>();

  constructor(args: string[] = [], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [bin, 'lsp', '--stdio', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.child.stderr!.on('data', (d: Buffer) => this.log.push(d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.published.set(p.uri, p.version);
      this.wake();
    });
    this.connection.onNotification('$/progress', (p: unknown) => { this.progress.push(p); this.onProgress?.(p); this.wake(); });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => { this.log.push(p.message); this.wake(); });
    this.connection.onNotification('window/showMessage', (p: { message: string }) => { this.shown.push(p.message); this.wake(); });
    const answer = (method: string) => () => {
      if (this.refuse.has(method)) throw new Error(`${method} refused by the test editor`);
      return null;
    };
    this.connection.onRequest('window/workDoneProgress/create', answer('window/workDoneProgress/create'));
    this.connection.onRequest('client/registerCapability', answer('client/registerCapability'));
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.listen();
  }

  settings: unknown = {};
  /** Requests from the server this editor answers with an error. */
  readonly refuse = new Set<string>();
  /** Called with each progress notification as it arrives. */
  onProgress: ((p: unknown) => void) | undefined;

  /** Writes bytes to the server as they are, past the protocol (a malformed message). */
  raw(text: string): void {
    this.child.stdin!.write(text);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `ready()` holds, checked after each notification; rejects after `ms`. */
  async until(ready: () => boolean, what: string, ms = 20_000): Promise<void> {
    const started = Date.now();
    while (!ready()) {
      if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}; log:\n${this.log.join('\n')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async initialize(folder: string, capabilities: object = {}, initializationOptions?: object): Promise<{ capabilities: Record<string, unknown> }> {
    const uri = pathToFileURL(folder).href;
    const r = await this.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: path.basename(folder) }], initializationOptions,
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true }, ...capabilities },
    });
    await this.connection.sendNotification('initialized', {});
    return r as { capabilities: Record<string, unknown> };
  }

  /** Waits for the first index to end (its progress `end`). */
  async indexed(ms?: number): Promise<void> {
    await this.until(() => this.progress.some((p) => (p as { value?: { kind?: string } }).value?.kind === 'end'), 'indexing to end', ms);
  }

  /** The document version the last diagnostics published for `uri` were for. */
  versionOf(uri: string): number | undefined {
    return this.published.get(uri);
  }

  get pid(): number {
    return this.child.pid!;
  }

  open(file: string, text: string): void {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
  }

  /** Replaces the whole text (as a full-document change); returns the new version. */
  change(file: string, text: string): number {
    const uri = pathToFileURL(file).href;
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  diagnosticsOf(file: string): PublishedDiagnostics['diagnostics'] | undefined {
    return this.diagnostics.get(pathToFileURL(file).href);
  }

  async close(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.on('exit', () => resolve());
      setTimeout(() => { this.child.kill(); resolve(); }, 3000);
    });
  }
}
