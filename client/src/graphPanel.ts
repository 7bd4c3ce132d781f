// The lock graph in a webview. The server computes the graph (`lockreview/graph`); the page
// (client/webview/) draws it. The panel loads only the page's bundle, talks to it only by
// postMessage, and opens a source only at a place the graph it sent names (openOf).
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { fromPage, openOf, placesOf, type GraphData, type GraphRequest } from '../../server/src/protocol/graph';
import { pageHtml } from '../webview/page';

export class GraphPanel {
  private static current: GraphPanel | undefined;
  private readonly panel: vscode.WebviewPanel;
  private graph: GraphData | undefined;
  private places: ReadonlySet<string> = new Set();
  private ready = false;

  /** Asks the server for the graph and shows it, in the one graph panel (made if need be). */
  static async show(context: vscode.ExtensionContext, client: LanguageClient, request: GraphRequest): Promise<void> {
    let graph: GraphData;
    try {
      graph = await client.sendRequest<GraphData>('lockreview/graph', request);
    } catch (e) {
      void vscode.window.showWarningMessage(`Lock Review: ${(e as Error).message}`);
      return;
    }
    GraphPanel.current ??= new GraphPanel(context);
    GraphPanel.current.set(graph);
  }

  private constructor(context: vscode.ExtensionContext) {
    const bundle = vscode.Uri.joinPath(context.extensionUri, 'out', 'webview');
    this.panel = vscode.window.createWebviewPanel('lockreview.graph', 'Lock graph', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [bundle],
      retainContextWhenHidden: true,
    });
    const webview = this.panel.webview;
    webview.html = pageHtml({
      script: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'graph.js')).toString(),
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(18).toString('base64'),
    });
    webview.onDidReceiveMessage((m: unknown) => this.receive(m));
    this.panel.onDidDispose(() => { GraphPanel.current = undefined; });
  }

  private set(graph: GraphData): void {
    this.graph = graph;
    this.places = placesOf(graph);
    this.panel.title = graph.title;
    this.panel.reveal(undefined, true);
    if (this.ready) void this.panel.webview.postMessage({ type: 'graph', graph });
  }

  private receive(raw: unknown): void {
    if (fromPage(raw)?.type === 'ready') {
      this.ready = true;
      if (this.graph) void this.panel.webview.postMessage({ type: 'graph', graph: this.graph });
      return;
    }
    const at = openOf(raw, this.places);
    if (!at) return;
    const position = new vscode.Position(at.line, at.column);
    // Beside the graph, which keeps the focus: one can go on clicking through the chains.
    void vscode.window.showTextDocument(vscode.Uri.file(at.file), { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position), preserveFocus: true, preview: true });
  }
}
