// Issue 3, acceptance 2, on the real tree (skipped, saying why, where it is not installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { kernelTree } from '../../bench/kernel';
import { defaultCatalog } from '../../server/src/engine/locks/catalog';
import { loadTree } from '../../server/src/engine/workspace';
import { FileSystemReader } from '../../server/src/host/fsReader';

const root = kernelTree({ install: false });
const skip = root ? false : 'linux-source-6.12 is not installed (apt-get install -y linux-source-6.12)';
const reader = new FileSystemReader();

async function summary(file: string, fn: string) {
  const abs = path.join(root!, file);
  const tree = await loadTree([abs], { root: root!, reader, catalog: defaultCatalog });
  const s = tree.summaries.get(abs)?.find((x) => x.name === fn);
  assert.ok(s, `${fn} summarised`);
  return s;
}

test('kernel: mdev_device_remove takes mdev_parent.unreg_sem by read trylock and releases it', { skip }, async () => {
  const s = await summary('drivers/vfio/mdev/mdev_core.c', 'mdev_device_remove');
  const sem = s.acquisitions.filter((a) => a.lock.class === 'mdev_parent.unreg_sem');
  assert.ok(sem.length > 0 && sem.every((a) => a.try && a.lock.mode === 'shared'), 'a read trylock');
  const up = s.releases.filter((r) => r.lock.class === 'mdev_parent.unreg_sem');
  assert.ok(up.length > 0 && up.every((r) => r.heldOnSomePath && !r.unheldOnSomePath), 'released where held');
  assert.ok(s.exits.every((e) => !e.held.some((h) => h.class === 'mdev_parent.unreg_sem')), 'never returns holding it');
});

test('kernel: pci_reset_function holds device.mutex of dev->dev across __pci_reset_function_locked', { skip }, async () => {
  const s = await summary('drivers/pci/pci.c', 'pci_reset_function');
  const calls = s.calls.filter((c) => c.callee === '__pci_reset_function_locked');
  assert.ok(calls.length > 0);
  for (const c of calls) assert.ok(c.held.some((h) => h.class === 'device.mutex' && h.instance === 'dev->dev.mutex'), JSON.stringify(c.held));
  assert.ok(s.exits.every((e) => e.held.length === 0), 'balanced, the bridge included');
});
