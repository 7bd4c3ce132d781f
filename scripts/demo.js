#!/usr/bin/env node
// npm run demo: reviews each bundled example on its own (a scenario's buggy and fixed versions
// define the same functions, so each variant is its own tree) and prints what lockreview finds.
// Findings (exit status 1) are the point of the demo; only a usage or input error (2) fails it.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const examples = path.join(root, 'examples');
const bin = path.join(root, 'bin', 'lockreview.js');

/** Folders holding .c files directly: each is one variant of one scenario. */
function variants(dir) {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const here = entries.some((e) => e.isFile() && e.name.endsWith('.c')) ? [dir] : [];
  return here.concat(...entries.filter((e) => e.isDirectory() && e.name !== 'include').map((e) => variants(path.join(dir, e.name))));
}

/** The findings a variant's files say they expect (`/* expect: CODE LOCK... *\/`). */
function expected(dir) {
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.c'))
    .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/\/\*\s*expect:\s*([^*]*?)\s*\*\//g)]
      .map((m) => m[1])
      .filter((e) => e !== 'none')
      .map((e) => `${f}: ${e}`));
}

process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

let failed = false;
for (const dir of variants(examples)) {
  const rel = path.relative(root, dir);
  const want = expected(dir);
  process.stdout.write(`\n== ${rel} (expected: ${want.length ? want.join('; ') : 'no findings'})\n`);
  const r = spawnSync(process.execPath, [bin, 'check', '--root', dir, dir], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 && r.status !== 1) {
    process.stderr.write(`demo: lockreview failed on ${rel} (exit status ${r.status})\n`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
