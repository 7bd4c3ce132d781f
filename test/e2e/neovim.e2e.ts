// Headless Neovim (Debian's 0.7) starts the server over stdio, opens seed 003's file, and gets
// the inversion (with its chains as related information) and its code actions (neovim.lua).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kernelLikeTree, repo } from './workspace';

interface Result {
  client: boolean;
  diagnostics: { line: number; message: string; code?: string; source?: string; related: number }[];
  actions: { title: string; kind?: string; hasEdit: boolean }[];
}

test('neovim: the server over stdio gives the inversion and its code actions', { timeout: 120_000 }, () => {
  const tree = kernelLikeTree();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-nvim-')), 'result.json');
  try {
    execFileSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(repo, 'test', 'e2e', 'neovim.lua')}`], {
      env: { ...process.env, LOCKREVIEW_TREE: tree, LOCKREVIEW_FILE: path.join(tree, 'scenario', 'buggy', 'pciehp_hpc.c'), LOCKREVIEW_OUT: out,
        LOCKREVIEW_SERVER: path.join(repo, 'dist', 'lockreview.js') },
      timeout: 100_000, stdio: 'pipe',
    });
    const r = JSON.parse(fs.readFileSync(out, 'utf8')) as Result;
    assert.ok(r.client, 'the client started');
    const inversion = r.diagnostics.find((d) => d.code === 'lock-inversion');
    assert.ok(inversion, JSON.stringify(r.diagnostics));
    assert.equal(inversion.line, 71, 'on down_write(&ctrl->reset_lock), 0-based');
    assert.equal(inversion.source, 'lockreview');
    assert.match(inversion.message, /possible circular locking dependency: controller\.reset_lock/);
    assert.ok(inversion.related >= 4, `${inversion.related} related locations`);
    const titles = r.actions.map((a) => a.title);
    assert.ok(titles.includes('Release &ctrl->reset_lock around pci_stop_and_remove_bus_device() (up_read … down_read)'), titles.join(' | '));
    assert.ok(r.actions.filter((a) => a.hasEdit).length >= 2, 'the repairs come with their edits');
    assert.ok(!titles.includes('Show this cycle in the lock graph'), 'Neovim has no graph view');
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
});
