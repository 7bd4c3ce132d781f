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
    // C and headers (which VS Code may open as C++), in the served folders only; every served
    // folder goes to the one server.
    // (A RelativePattern, not a glob of the folder's path, which may hold `[` or `{`: VS Code
    // matches documents against it itself; the protocol's typing knows only its own shape.)
    documentSelector: folders.flatMap((f) => ['c', 'cpp'].map((language) => ({
      scheme: 'file', language, pattern: new vscode.RelativePattern(f, '**/*.{c,h}') as unknown as string,
    }))),
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
