// The VS Code extension: a thin client. It starts the bundled language server for folders that
// look like a kernel tree (include/linux) or carry a lockreview.json, shows the indexing state
// and the count of findings in the status bar, and the lock graph the server computes in a
// webview (graphPanel.ts). Everything else is the server's.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { graphRequest, type GraphRequest } from '../../server/src/protocol/graph';
import { GraphPanel } from './graphPanel';
import { servesFolder, statusText, type Status } from './status';

let client: LanguageClient | undefined;
/** The first served folder: the graph shown when no editor is active. */
let fallback: vscode.Uri | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // The commands exist in every workspace (VS Code activates the extension for them), and say why
  // they do nothing where no folder is served; the palette shows them only where one is.
  context.subscriptions.push(...graphCommands(context));
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' && servesFolder(f.uri.fsPath));
  if (folders.length === 0) return;
  fallback = folders[0]!.uri;
  // The bundled server (scripts/bundle.js), beside this bundle.
  const module = context.asAbsolutePath(path.join('dist', 'lockreview.js'));
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
    synchronize: {
      configurationSection: 'lockreview',
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{c,h}'), vscode.workspace.createFileSystemWatcher('**/lockreview.json')],
    },
    initializationOptions: { storagePath: context.storageUri?.fsPath, graphView: true },
  };
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.name = 'Kernel Lock Review';
  status.command = 'workbench.actions.view.problems';
  status.text = statusText({ state: 'indexing' });
  status.show();
  context.subscriptions.push(status);
  const started = new LanguageClient('lockreview', 'Kernel Lock Review', serverOptions, clientOptions);
  client = started;
  context.subscriptions.push(started.onNotification('lockreview/status', (s: Status) => { status.text = statusText(s); }));
  await started.start();
  await vscode.commands.executeCommand('setContext', 'lockreview.active', true);
}

/** The graph view's commands: the whole graph, a function's locks, a cycle (also from a code action). */
function graphCommands(context: vscode.ExtensionContext): vscode.Disposable[] {
  const editor = () => vscode.window.activeTextEditor;
  const show = (request: GraphRequest) => client
    ? GraphPanel.show(context, client, request)
    : vscode.window.showInformationMessage('Lock Review: this workspace has no kernel tree (include/linux) or lockreview.json to review.');
  return [
    vscode.commands.registerCommand('lockreview.showGraph', () => show({ uri: (editor()?.document.uri ?? fallback)?.toString() ?? '' })),
    vscode.commands.registerCommand('lockreview.showFunctionLocks', () => {
      const e = editor();
      if (!e) return vscode.window.showInformationMessage('Lock Review: put the cursor in a function first.');
      return show({ uri: e.document.uri.toString(), focus: { kind: 'function', line: e.selection.active.line, character: e.selection.active.character } });
    }),
    vscode.commands.registerCommand('lockreview.showCycle', (arg?: unknown) => {
      // From the code action: the finding's document and classes; from the palette: the cursor's line.
      const request = graphRequest(arg && typeof arg === 'object' ? { ...(arg as object), focus: { kind: 'cycle', locks: (arg as { locks?: unknown }).locks } } : undefined);
      if (request) return show(request);
      const e = editor();
      if (!e) return vscode.window.showInformationMessage('Lock Review: put the cursor on a lock-inversion first.');
      return show({ uri: e.document.uri.toString(), focus: { kind: 'cycleAt', line: e.selection.active.line } });
    }),
  ];
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
