#!/usr/bin/env node
// Bundles what the extension runs, with esbuild: the graph page's script for the browser
// (out/webview/graph.js, the only script its Content Security Policy lets in), and for Node the
// extension (dist/extension.js), the server and CLI (dist/lockreview.js) and the server's worker
// (dist/treeWorker.js), with web-tree-sitter's runtime beside them. The grammar stays in grammars/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const common = { bundle: true, minify: true, legalComments: 'external', logLevel: 'warning', target: 'es2022' };

esbuild.buildSync({
  ...common,
  entryPoints: [path.join(root, 'client', 'webview', 'graph.ts')],
  outfile: path.join(root, 'out', 'webview', 'graph.js'),
  format: 'iife',
  platform: 'browser',
});
for (const [entry, out] of [
  ['client/src/extension.ts', 'extension.js'],
  ['server/src/cli/run.ts', 'lockreview.js'],
  ['server/src/host/treeWorker.ts', 'treeWorker.js'],
]) {
  esbuild.buildSync({
    ...common,
    entryPoints: [path.join(root, entry)],
    outfile: path.join(dist, out),
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    // web-tree-sitter finds its runtime from import.meta.url, which a CommonJS bundle lacks.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
}
fs.copyFileSync(path.join(root, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'), path.join(dist, 'tree-sitter.wasm'));
