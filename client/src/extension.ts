// The VS Code extension: a thin client. It starts the bundled language server for folders that
// look like a kernel tree (include/linux) or carry a lockreview.json, and shows the indexing
// state and the count of findings in the status bar. Everything else is the server's.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { servesFolder, statusText, type Status } from './status';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' && servesFolder(f.uri.fsPath));
  if (folders.length === 0) return;
  const module = context.asAbsolutePath(path.join('bin', 'lockreview.js'));
  const serverOptions: ServerOptions = {
    run: { module, args: ['lsp'], transport: TransportKind.ipc },
    debug: { module, args: ['lsp'], transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: folders.map((f) => ({ scheme: 'file', language: 'c', pattern: `${f.uri.fsPath}/**/*` })),
    workspaceFolder: folders[0],
    synchronize: { configurationSection: 'lockreview', fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{c,h}') },
    initializationOptions: { storagePath: context.storageUri?.fsPath },
  };
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.name = 'Kernel Lock Review';
  status.command = 'workbench.actions.view.problems';
  status.text = statusText({ state: 'indexing' });
  status.show();
  context.subscriptions.push(status);
  client = new LanguageClient('lockreview', 'Kernel Lock Review', serverOptions, clientOptions);
  context.subscriptions.push(client.onNotification('lockreview/status', (s: Status) => { status.text = statusText(s); }));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
