// Issue 9 on real code: a baseline of drivers/pci + drivers/base of linux-source-6.12 accounts for
// every finding of the same tree, and swapping the two acquisitions of pci_dev_lock() in
// drivers/pci/pci.c (one line: the config-access lock, then the device lock) is reported as
// exactly the one inversion it makes. The tree is not touched: the edit is read from memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kernelTree } from '../../bench/kernel';
import { identityKey, identityOf, unaccounted } from '../../server/src/engine/identity';
import { reviewTree } from '../../server/src/engine/review';
import { listSourceFiles, type LoadedTree } from '../../server/src/engine/workspace';
import { FileSystemReader } from '../../server/src/host/fsReader';
import { loadTreeParallel } from '../../server/src/host/parallelTree';

const root = kernelTree({ install: false });
const skip = root ? false : 'linux-source-6.12 is not installed (apt-get install -y linux-source-6.12)';
const ORDER = '\tdevice_lock(&dev->dev);\n\tpci_cfg_access_lock(dev);\n}\nEXPORT_SYMBOL_GPL(pci_dev_lock);';
const SWAPPED = '\tpci_cfg_access_lock(dev); device_lock(&dev->dev);\n}\nEXPORT_SYMBOL_GPL(pci_dev_lock);';

test('kernel: a baseline accounts for the tree; pci_dev_lock() with its acquisitions swapped is exactly one new inversion', { skip }, async () => {
  const reader = new FileSystemReader();
  const files = ['drivers/pci', 'drivers/base'].flatMap((f) => listSourceFiles(path.join(root!, f), reader));
  const findingsOf = (tree: LoadedTree) => reviewTree(tree).findings;
  const keyIn = (tree: LoadedTree) => (f: Parameters<typeof identityOf>[1]) => identityKey(identityOf(tree, f));
  const before = await loadTreeParallel(files, { root: root! });
  const baseline = findingsOf(before).map(keyIn(before));
  assert.ok(baseline.length > 0, 'the tree has findings to account for');
  assert.deepEqual(unaccounted(findingsOf(before), keyIn(before), baseline), [], 'the same tree: nothing new');

  const pci = path.join(root!, 'drivers', 'pci', 'pci.c');
  const text = fs.readFileSync(pci, 'utf8');
  assert.ok(text.includes(ORDER), 'pci_dev_lock() as 6.12 has it');
  const after = await loadTreeParallel(files, { root: root!, overlay: new Map([[pci, text.replace(ORDER, SWAPPED)]]) });
  const fresh = unaccounted(findingsOf(after), keyIn(after), baseline);
  assert.deepEqual(fresh.map((f) => `${path.relative(root!, f.file)}:${f.line + 1} ${f.code} ${[...f.locks].sort().join(' ')}`),
    ['drivers/pci/pci.c:5065 lock-inversion device.mutex pci_dev.block_cfg_access']);
});
