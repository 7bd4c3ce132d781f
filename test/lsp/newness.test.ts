// In a git repository, the findings the working tree's changes add to HEAD are marked `[new]`,
// `lockreview.onlyNew` shows only them, and the lock graph says which dependencies are added.
// An unsaved buffer counts as a change; typed back to HEAD's text, the finding is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphData } from '../../server/src/protocol/graph';
import { TestEditor } from './client';
import { examplesRoot, inversions } from './scenario';

const CALL = '\tnxe_sf_parent_unregister(ndev);\n';

test('lsp: findings the working tree adds to HEAD are marked new; onlyNew shows only them; the graph marks the added dependency', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-new-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  fs.cpSync(path.join(examplesRoot, 'include'), path.join(dir, 'include'), { recursive: true });
  fs.cpSync(path.join(examplesRoot, '000-mdev-devlink', 'buggy'), path.join(dir, 'mdev'), { recursive: true });
  fs.cpSync(path.join(examplesRoot, '003-pciehp-reset', 'buggy'), path.join(dir, 'pciehp'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'lockreview.json'), '{}');
  const main = path.join(dir, 'mdev', 'nxe_main.c');
  const full = fs.readFileSync(main, 'utf8');
  // HEAD: seed 003's inversion (old), seed 000 without the call that closes its cycle.
  fs.writeFileSync(main, full.replace(CALL, ''));
  git('init', '-q');
  git('-c', 'user.email=t@example.org', '-c', 'user.name=t', 'add', '-A');
  git('-c', 'user.email=t@example.org', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
  // The working tree: the call added, on disk.
  fs.writeFileSync(main, full);
  const editor = new TestEditor();
  try {
    await editor.initialize(dir, {}, { graphView: true });
    await editor.indexed();
    const devlink = path.join(dir, 'mdev', 'devlink.c');
    const hpc = path.join(dir, 'pciehp', 'pciehp_hpc.c');
    await editor.until(() => inversions(editor, devlink).length === 1 && inversions(editor, hpc).length === 1, 'both inversions');
    assert.match(inversions(editor, devlink)[0]!.message, /^\[new\] possible circular locking dependency: devlink_mutex/);
    assert.match(inversions(editor, hpc)[0]!.message, /^possible circular locking dependency: controller\.reset_lock/);

    const graph = await editor.connection.sendRequest('lockreview/graph', { uri: pathToFileURL(devlink).href }) as GraphData;
    // The call adds what mdev_unregister_device() takes below every lock held on the way to it
    // (the device removal of seed 003's tree reaches the NIC driver's remove too); nothing else.
    const added = graph.edges.filter((e) => e.added);
    assert.ok(added.some((e) => e.id === 'devlink_mutex -> mdev_parent.unreg_sem'), added.map((e) => e.id).join(', '));
    assert.ok(added.every((e) => e.to === 'mdev_parent.unreg_sem' || e.to === 'parent_list_lock'), added.map((e) => e.id).join(', '));
    assert.ok(!graph.edges.find((e) => e.id === 'device.mutex -> controller.reset_lock')!.added, 'HEAD has seed 003\'s dependencies');

    editor.settings = { onlyNew: true };
    await editor.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await editor.until(() => inversions(editor, hpc).length === 0, 'the old inversion hidden');
    assert.equal(inversions(editor, devlink).length, 1);

    // The call taken out again in the buffer (unsaved): HEAD's text, nothing new.
    editor.open(main, full);
    editor.change(main, full.replace(CALL, ''));
    await editor.until(() => inversions(editor, devlink).length === 0, 'the new inversion gone');
  } finally {
    await editor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
