#!/usr/bin/env node
// Copies the C grammar's WebAssembly build into grammars/ and records where it came from, so the
// CLI, the server and the tests all load the same file and anyone can tell which version it is.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// Package folders are found by name: web-tree-sitter's `exports` hides its package.json.
const packageDir = (name) => path.join(root, 'node_modules', name);
const grammarPkg = packageDir('tree-sitter-c');
const runtimePkg = packageDir('web-tree-sitter');
const version = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;

const outDir = path.join(root, 'grammars');
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(path.join(grammarPkg, 'tree-sitter-c.wasm'), path.join(outDir, 'tree-sitter-c.wasm'));
fs.writeFileSync(
  path.join(outDir, 'SOURCE.json'),
  JSON.stringify(
    {
      'tree-sitter-c.wasm': { package: 'tree-sitter-c', version: version(grammarPkg) },
      runtime: { package: 'web-tree-sitter', version: version(runtimePkg) },
    },
    null,
    2,
  ) + '\n',
);
