// The graph page's HTML: everything the page loads is named here, and its Content Security Policy
// allows nothing else — no network, no inline script, scripts and styles only with this page's
// nonce, the script bundle only from the extension's own folder. The extension and the page's
// standalone test both build the page from this one function.

export interface PageOptions {
  /** The page script's URI, as the webview may load it (`asWebviewUri`, or a file URL in the test). */
  readonly script: string;
  /** The webview's source for local resources (`webview.cspSource`). */
  readonly cspSource: string;
  /** Fresh for every page: it marks the one script and style allowed. */
  readonly nonce: string;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function pageHtml(o: PageOptions): string {
  const csp = [
    "default-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `img-src ${o.cspSource} data:`,
    `style-src 'nonce-${o.nonce}'`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escape(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lock graph</title>
<style nonce="${escape(o.nonce)}" id="__________cytoscape_stylesheet">.__________cytoscape_container { position: relative; }</style>
<style nonce="${escape(o.nonce)}">${STYLE}</style>
</head>
<body>
<header>
  <h1 id="title">Lock graph</h1>
  <input id="filter" type="search" placeholder="Filter by lock" aria-label="Filter by lock">
  <input id="folder" type="search" placeholder="Folder" aria-label="Filter by folder" list="folders">
  <datalist id="folders"></datalist>
  <button id="all" type="button" title="Show every class (of the folder)">Show all</button>
  <button id="fit" type="button" title="Fit the graph to the window">Fit</button>
  <span id="count" role="status"></span>
</header>
<main>
  <div id="graph" aria-label="Lock classes and their dependencies"></div>
  <aside>
    <section id="cycles"><h2>Cycles</h2><ul></ul></section>
    <section id="details"></section>
  </aside>
</main>
<script nonce="${escape(o.nonce)}" src="${escape(o.script)}"></script>
</body>
</html>
`;
}

// The editor's theme colours (VS Code sets these variables on the page), with fallbacks for a
// page shown on its own.
const STYLE = `
:root { color-scheme: light dark; }
body { margin: 0; height: 100vh; display: flex; flex-direction: column; font-family: var(--vscode-font-family, sans-serif);
  font-size: var(--vscode-font-size, 13px); color: var(--vscode-editor-foreground, #333); background: var(--vscode-editor-background, #fff); }
header { display: flex; gap: 6px; align-items: center; padding: 6px 8px; border-bottom: 1px solid var(--vscode-panel-border, #ccc); flex-wrap: wrap; }
h1 { font-size: 1.1em; margin: 0 12px 0 0; font-weight: 600; }
h2 { font-size: 1em; margin: 8px 0 4px; }
h3 { font-size: 0.95em; margin: 10px 0 2px; font-weight: 600; }
input, button { font: inherit; color: var(--vscode-input-foreground, inherit); background: var(--vscode-input-background, transparent);
  border: 1px solid var(--vscode-input-border, #999); padding: 2px 6px; }
button { color: var(--vscode-button-foreground, inherit); background: var(--vscode-button-background, #eee); cursor: pointer; }
main { flex: 1; display: flex; min-height: 0; }
#graph { flex: 1; min-width: 0; }
aside { width: 34%; max-width: 480px; overflow: auto; padding: 0 10px; border-left: 1px solid var(--vscode-panel-border, #ccc); }
ul { list-style: none; padding: 0; margin: 0; }
li { margin: 2px 0; }
.step { display: block; width: 100%; text-align: left; background: none; border: none; padding: 2px 0; color: var(--vscode-textLink-foreground, #06c); }
.step:hover { text-decoration: underline; }
.where { color: var(--vscode-descriptionForeground, #777); }
.cycle { color: var(--vscode-editorWarning-foreground, #c80); }
.hint { color: var(--vscode-descriptionForeground, #777); }
`;
