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
