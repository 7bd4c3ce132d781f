// C fixtures with their expected findings (`/* expect: CODE CLASS… */` on the line the finding is
// reported at) and fixed twins (`*.fixed.c`) that must stay clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { review } from '../server/src/engine/review';
import { FileSystemReader } from '../server/src/host/fsReader';
import { expectComments } from '../scripts/examples';

const fixtures = path.resolve(__dirname, '..', '..', 'test', 'fixtures');
const reader = new FileSystemReader();

function expected(file: string): string[] {
  return expectComments(fs.readFileSync(file, 'utf8')).filter((e) => e.text !== 'none').map((e) => {
    const [code, ...locks] = e.text.split(/\s+/);
    return `${e.line} ${code} ${locks.sort().join(' ')}`;
  });
}

// summaries/ holds C for the summary tests (test/engine/walk.test.ts), not findings; trees/ holds
// scenarios of several files each (test/trees.test.ts).
const checked = fs.readdirSync(fixtures).filter((d) => d !== 'summaries' && d !== 'trees').map((d) => path.join(fixtures, d));
for (const dir of checked.filter((d) => fs.statSync(d).isDirectory())) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
  test(`fixtures/${path.basename(dir)}: every buggy fixture has a fixed twin`, () => {
    for (const f of files.filter((x) => !x.endsWith('.fixed.c'))) assert.ok(files.includes(f.replace(/\.c$/, '.fixed.c')), `${f} has no twin`);
  });
  for (const f of files) {
    test(`fixtures/${path.basename(dir)}/${f}: exactly the expected findings`, async () => {
      const file = path.join(dir, f);
      const want = expected(file);
      if (f.endsWith('.fixed.c')) assert.deepEqual(want, [], 'a fixed twin expects nothing');
      else assert.ok(want.length > 0, 'a buggy fixture expects something');
      const result = await review([file], { root: dir, reader });
      assert.deepEqual(result.tree.problems, []);
      const got = result.findings.map((x) => `${x.line + 1} ${x.code} ${[...x.locks].sort().join(' ')}`).sort();
      assert.deepEqual(got, want.sort(), result.findings.map((x) => `${x.line + 1}: ${x.message}`).join('\n'));
    });
  }
}
