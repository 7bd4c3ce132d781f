// The CLI reads, parses and summarises on worker threads (host/parallelTree.ts). It must give the
// tree the sequential loadTree gives: the same files in the same order, the same summaries and
// problems, so the findings cannot depend on which worker did what.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { review, reviewTree } from '../../server/src/engine/review';
import { listSourceFiles } from '../../server/src/engine/workspace';
import { FileSystemReader } from '../../server/src/host/fsReader';
import { loadTreeParallel } from '../../server/src/host/parallelTree';

const examples = path.resolve(__dirname, '..', '..', '..', 'examples');
const reader = new FileSystemReader();

for (const variant of ['003-pciehp-reset/buggy', '000-mdev-devlink/srcu']) {
  test(`parallel: ${variant} loads as the sequential loadTree does, on 1 and 3 workers`, async () => {
    const dir = path.join(examples, variant);
    const files = listSourceFiles(dir, reader);
    const sequential = await review(files, { root: dir, reader });
    for (const workers of [1, 3]) {
      const tree = await loadTreeParallel(files, { root: dir, workers });
      assert.deepEqual([...tree.symbols.keys()], [...sequential.tree.symbols.keys()]);
      assert.deepEqual([...tree.summaries], [...sequential.tree.summaries]);
      assert.deepEqual(tree.problems, sequential.tree.problems);
      assert.deepEqual(reviewTree(tree).findings, sequential.findings);
    }
  });
}

test('parallel: a file that cannot be read or parsed is a problem, and the others are summarised', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-parallel-'));
  fs.writeFileSync(path.join(dir, 'ok.c'), 'struct mutex { long o; };\nstatic struct mutex m;\nvoid f(int x) { mutex_lock(&m); if (x) return; mutex_unlock(&m); }\n');
  fs.writeFileSync(path.join(dir, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
  const tree = await loadTreeParallel([path.join(dir, 'blob.c'), path.join(dir, 'ok.c')], { root: dir, workers: 2 });
  assert.equal(tree.problems.length, 1);
  assert.match(tree.problems[0]!.reason, /binary|NUL/i);
  assert.deepEqual(reviewTree(tree).findings.map((f) => f.code), ['lock-imbalance']);
});

test('parallel: includes are read to the depth asked, each header at the least depth it is met, as the sequential loadTree does', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-depth-'));
  // a.c → h1.h → h2.h → h3.h, and b.c → h3.h directly (met at depth 1 there, so h4.h is read).
  fs.writeFileSync(path.join(dir, 'a.c'), '#include "h1.h"\nvoid a(void) {}\n');
  fs.writeFileSync(path.join(dir, 'b.c'), '#include "h3.h"\nvoid b(void) {}\n');
  fs.writeFileSync(path.join(dir, 'h1.h'), '#include "h2.h"\nstruct s1 { int x; };\n');
  fs.writeFileSync(path.join(dir, 'h2.h'), '#include "h3.h"\nstruct s2 { int x; };\n');
  fs.writeFileSync(path.join(dir, 'h3.h'), '#include "h4.h"\nstruct s3 { int x; };\n');
  fs.writeFileSync(path.join(dir, 'h4.h'), '#include "h5.h"\nstruct s4 { int x; };\n');
  fs.writeFileSync(path.join(dir, 'h5.h'), 'struct s5 { int x; };\n');
  const files = [path.join(dir, 'a.c'), path.join(dir, 'b.c')];
  const names = (t: { symbols: ReadonlyMap<string, unknown> }) => [...t.symbols.keys()].map((f) => path.basename(f));
  const want: Record<number, string[]> = {
    1: ['a.c', 'b.c', 'h1.h', 'h3.h'],
    2: ['a.c', 'b.c', 'h1.h', 'h3.h', 'h2.h', 'h4.h'],
    0: ['a.c', 'b.c', 'h1.h', 'h3.h', 'h2.h', 'h4.h', 'h5.h'],
  };
  for (const [depth, expected] of Object.entries(want)) {
    const sequential = await review(files, { root: dir, reader, includeDepth: Number(depth) });
    assert.deepEqual(names(sequential.tree), expected, `sequential, depth ${depth}`);
    for (const workers of [1, 2]) {
      const tree = await loadTreeParallel(files, { root: dir, workers, includeDepth: Number(depth) });
      assert.deepEqual(names(tree), expected, `parallel on ${workers}, depth ${depth}`);
    }
  }
});
