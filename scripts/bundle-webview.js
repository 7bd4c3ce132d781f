#!/usr/bin/env node
// Bundles the graph page's script (client/webview/graph.ts, with cytoscape and dagre) into one
// browser file, out/webview/graph.js: the only script the page's Content Security Policy lets in.
'use strict';
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
esbuild.buildSync({
  entryPoints: [path.join(root, 'client', 'webview', 'graph.ts')],
  outfile: path.join(root, 'out', 'webview', 'graph.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'external',
  logLevel: 'warning',
});
