// npm run demo: reviews each bundled example on its own (a scenario's buggy and fixed versions
// define the same functions, so each variant is its own tree) and prints what lockreview finds
// beside what the example expects. Findings (exit status 1) are the point of the demo; only a
// usage or input error (2) fails it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleVariants, expectComments } from './examples';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'lockreview.js');

/** `file: code class…` for each finding a variant's files expect. */
function expected(dir: string): string[] {
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.c'))
    .flatMap((f) => expectComments(fs.readFileSync(path.join(dir, f), 'utf8')).filter((e) => e.text !== 'none').map((e) => `${f}: ${e.text}`));
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

let failed = false;
for (const dir of exampleVariants(path.join(root, 'examples'))) {
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
