// Scenarios of several files each, structs in a header (test/fixtures/trees/NAME/{buggy,fixed}):
// each variant is one tree, reviewed whole. A finding is expected on the line that carries its
// `/* expect: CODE CLASS… */`; fixed variants expect none. A lock-inversion must carry both
// chains, each from the first acquisition to the second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { review } from '../server/src/engine/review';
import { listSourceFiles } from '../server/src/engine/workspace';
import { FileSystemReader } from '../server/src/host/fsReader';
import { expectComments } from '../scripts/examples';
import { assertBothChains } from './helpers';

const trees = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'trees');
const reader = new FileSystemReader();

function expected(files: readonly string[]): string[] {
  return files.filter((f) => f.endsWith('.c')).flatMap((f) =>
    expectComments(fs.readFileSync(f, 'utf8')).filter((e) => e.text !== 'none').map((e) => {
      const [code, ...locks] = e.text.split(/\s+/);
      return `${path.basename(f)}:${e.line} ${code} ${locks.sort().join(' ')}`;
    }));
}

for (const scenario of fs.readdirSync(trees).sort()) {
  for (const variant of ['buggy', 'fixed']) {
    const dir = path.join(trees, scenario, variant);
    test(`trees: ${scenario}/${variant} gives exactly the expected findings`, async () => {
      const files = listSourceFiles(dir, reader);
      const want = expected(files).sort();
      if (variant === 'fixed') assert.deepEqual(want, [], 'a fixed twin expects nothing');
      else assert.ok(want.length > 0, 'a buggy scenario expects something');
      const result = await review(files, { root: dir, reader });
      assert.deepEqual(result.tree.problems, []);
      const got = result.findings.map((f) => `${path.basename(f.file)}:${f.line + 1} ${f.code} ${[...f.locks].sort().join(' ')}`).sort();
      assert.deepEqual(got, want, result.findings.map((f) => f.message).join('\n'));
      for (const f of result.findings.filter((x) => x.code === 'lock-inversion' || x.code === 'srcu-deadlock')) assertBothChains(f);
    });
  }
}
