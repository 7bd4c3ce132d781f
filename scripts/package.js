#!/usr/bin/env node
// npm run package: builds, then writes lockreview-<version>.vsix with @vscode/vsce (no
// node_modules: everything the extension runs is bundled), prints its size and what it holds, and
// fails if it holds a test, a source map, a TypeScript source or kernel code, or passes 15 MB.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `lockreview-${version}.vsix`);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const MAX_BYTES = 15 * 1024 * 1024;

execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, stdio: 'inherit' });
const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
  .split('\n').map((l) => l.trim()).filter(Boolean);
const bytes = fs.statSync(vsix).size;
console.log(`${path.basename(vsix)}: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${files.length} files`);
for (const f of files) console.log(`  ${f}`);
const unwanted = files.filter((f) => /(^|\/)test|\.map$|\.ts$|linux-source|\.c$|\.h$|node_modules\//.test(f));
if (unwanted.length > 0) throw new Error(`the package holds what it should not: ${unwanted.join(', ')}`);
if (bytes > MAX_BYTES) throw new Error(`the package is ${bytes} bytes, over ${MAX_BYTES}`);
