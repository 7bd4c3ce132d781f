// The language server as an editor meets it: spawned over stdio, spoken to with vscode-jsonrpc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyEdits } from '../../server/src/engine/fixes/text';
import { TestEditor } from './client';

import { codeActions, copyOf, examples, inversions, onSeed003, removeCopy } from './scenario';

test('lsp: indexes the folder with progress, pushes the seed 003 inversion with its chains, and an edit that fixes it clears it', async () => {
  const dir = copyOf(path.join(examples, 'buggy'));
  const editor = new TestEditor();
  try {
    const init = await editor.initialize(dir);
    assert.equal((init.capabilities as { textDocumentSync?: number }).textDocumentSync, 2);
    await editor.indexed();
    const report = editor.progress.map((p) => (p as { value: { kind: string; message?: string; title?: string } }).value);
    assert.equal(report[0]!.kind, 'begin');
    assert.equal(report[0]!.title, 'Indexing locks');
    assert.ok(report.some((v) => v.kind === 'report' && v.message === '8/8 files'), JSON.stringify(report));

    const hpc = path.join(dir, 'pciehp_hpc.c');
    await editor.until(() => inversions(editor, hpc).length === 1, 'the inversion in pciehp_hpc.c');
    const d = inversions(editor, hpc)[0]!;
    assert.equal(d.source, 'lockreview');
    assert.equal(d.range.start.line, 71); // pciehp_hpc.c:72, 0-based
    assert.match(d.message, /controller\.reset_lock -> device\.mutex -> controller\.reset_lock/);
    assert.match(d.codeDescription!.href, /docs\/checks\/lock-inversion\.md$/);
    const files = new Set(d.relatedInformation!.map((r) => path.basename(new URL(r.location.uri).pathname)));
    for (const f of ['pciehp_ctrl.c', 'pciehp_hpc.c']) assert.ok(files.has(f), `related in ${f}: ${[...files].join(', ')}`);
    assert.ok(d.relatedInformation!.some((r) => /\[controller\.reset_lock -> device\.mutex\]/.test(r.message)));
    assert.ok(d.relatedInformation!.some((r) => /\[device\.mutex -> controller\.reset_lock\]/.test(r.message)));

    // The fix, typed into the buffer of another file and not saved: the diagnostic goes.
    const ctrl = path.join(dir, 'pciehp_ctrl.c');
    editor.open(ctrl, fs.readFileSync(ctrl, 'utf8'));
    editor.change(ctrl, fs.readFileSync(path.join(examples, 'fixed', 'pciehp_ctrl.c'), 'utf8'));
    await editor.until(() => inversions(editor, hpc).length === 0, 'the inversion to go');
    assert.equal(fs.readFileSync(ctrl, 'utf8'), fs.readFileSync(path.join(examples, 'buggy', 'pciehp_ctrl.c'), 'utf8'), 'the disk is untouched');

    // And back: the buggy text again brings it back.
    editor.change(ctrl, fs.readFileSync(path.join(examples, 'buggy', 'pciehp_ctrl.c'), 'utf8'));
    await editor.until(() => inversions(editor, hpc).length === 1, 'the inversion to come back');
  } finally {
    await editor.close();
    removeCopy(dir);
  }
});

test('lsp: settings turn a check off and set its severity', async () => {
  const dir = copyOf(path.join(examples, 'buggy'));
  const editor = new TestEditor();
  editor.settings = { checks: { 'lock-inversion': 'warning' } };
  try {
    await editor.initialize(dir);
    await editor.indexed();
    const hpc = path.join(dir, 'pciehp_hpc.c');
    await editor.until(() => inversions(editor, hpc).length === 1, 'the inversion');
    assert.equal(inversions(editor, hpc)[0]!.severity, 2);
    editor.settings = { checks: { 'lock-inversion': 'off', 'no-such-check': 'error' } };
    await editor.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await editor.until(() => inversions(editor, hpc).length === 0, 'the inversion to be turned off');
    await editor.until(() => editor.log.some((l) => l.includes('lockreview.checks.no-such-check: no such check')), 'a message naming the bad setting');
  } finally {
    await editor.close();
    removeCopy(dir);
  }
});

test('lsp: a client that pulls diagnostics gets them per document', async () => {
  const dir = copyOf(path.join(examples, 'buggy'));
  const editor = new TestEditor();
  try {
    const init = await editor.initialize(dir, { textDocument: { diagnostic: { dynamicRegistration: false } } });
    assert.deepEqual(init.capabilities.diagnosticProvider, { identifier: 'lockreview', interFileDependencies: true, workspaceDiagnostics: true });
    await editor.indexed();
    const hpc = path.join(dir, 'pciehp_hpc.c');
    const report = await editor.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: pathToFileURL(hpc).href } }) as { kind: string; items: { code: string }[] };
    assert.equal(report.kind, 'full');
    assert.deepEqual(report.items.map((i) => i.code), ['lock-inversion']);
    assert.equal(editor.diagnostics.size, 0, 'nothing pushed to a pulling client');
    // The workspace pull carries the files no editor has open (VS Code asks for it).
    const all = await editor.connection.sendRequest('workspace/diagnostic', { previousResultIds: [] }) as { items: { uri: string; kind: string; items: { code: string }[] }[] };
    assert.deepEqual(all.items.map((i) => [path.basename(new URL(i.uri).pathname), i.items.map((d) => d.code)]), [['pciehp_hpc.c', ['lock-inversion']]]);
  } finally {
    await editor.close();
    removeCopy(dir);
  }
});

test('lsp: the tree is cached; the next start reads it and only the files changed since', async () => {
  const dir = copyOf(path.join(examples, 'buggy'));
  const hpc = path.join(dir, 'pciehp_hpc.c');
  try {
    const first = new TestEditor();
    try {
      await first.initialize(dir);
      await first.indexed();
      await first.until(() => first.log.some((l) => /read from disk/.test(l)), 'a load from disk');
      await first.until(() => fs.existsSync(path.join(dir, '.cache', 'lockreview', 'tree.json')), 'the cache written');
    } finally {
      await first.close();
    }
    assert.match(fs.readFileSync(path.join(dir, '.cache', 'lockreview', '.gitignore'), 'utf8'), /^\*$/m);

    // Fixed on disk while no editor ran: the next start reads the cache and that file again.
    fs.copyFileSync(path.join(examples, 'fixed', 'pciehp_ctrl.c'), path.join(dir, 'pciehp_ctrl.c'));
    const second = new TestEditor();
    try {
      await second.initialize(dir);
      await second.indexed();
      await second.until(() => second.log.some((l) => /0 findings \(read from cache/.test(l)), 'a load from the cache, with the fix read');
      assert.equal(inversions(second, hpc).length, 0);
    } finally {
      await second.close();
    }

    // Other settings that change what is read: the cache is not used.
    const third = new TestEditor();
    third.settings = { includeDepth: 1 };
    try {
      await third.initialize(dir);
      await third.indexed();
      await third.until(() => third.log.some((l) => /read from disk/.test(l)), 'a load from disk');
    } finally {
      await third.close();
    }
  } finally {
    removeCopy(dir);
  }
});

test('lsp: the seed 003 inversion offers the pciehp fix; applied to the buffer, the diagnostic goes', async () => {
  const s = await onSeed003();
  const { editor, hpc, inversion: d } = s;
  try {
    const actions = await codeActions<{ title: string; kind: string; isPreferred?: boolean; edit: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } }>(editor, hpc, d);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Ignore lock-inversion on this line'), titles.join(' | '));
    const fix = actions.find((a) => a.title === 'Release &ctrl->reset_lock around pci_stop_and_remove_bus_device() (up_read … down_read)');
    assert.ok(fix, titles.join(' | '));
    assert.equal(fix.kind, 'quickfix');
    assert.ok(actions.every((a) => !a.isPreferred), 'several repairs: none preferred');

    // Apply the edit as an editor would: to the buffer of the file it names.
    const [uri, edits] = Object.entries(fix.edit.changes)[0]!;
    const ctrl = new URL(uri).pathname;
    assert.equal(path.basename(ctrl), 'pciehp_ctrl.c');
    const before = fs.readFileSync(ctrl, 'utf8');
    const after = applyEdits(before, edits.map((e) => ({ start: { line: e.range.start.line, column: e.range.start.character }, end: { line: e.range.end.line, column: e.range.end.character }, newText: e.newText })));
    assert.match(after, /\t\tup_read\(&ctrl->reset_lock\);\n\t\tpci_stop_and_remove_bus_device\(dev\);\n\t\tdown_read\(&ctrl->reset_lock\);\n/);
    editor.open(ctrl, before);
    editor.change(ctrl, after);
    await editor.until(() => inversions(editor, hpc).length === 0, 'the inversion to go after the fix');
  } finally {
    await s.close();
  }
});

test('lsp: hover on a lock call tells what is held and the dependencies it adds; on a function, its summary; CodeLens above lock takers', async () => {
  const dir = copyOf(path.join(examples, 'buggy'));
  const editor = new TestEditor();
  try {
    await editor.initialize(dir);
    await editor.indexed();
    const hpc = pathToFileURL(path.join(dir, 'pciehp_hpc.c')).href;
    // `down_write(&ctrl->reset_lock);` on line 72 (0-based 71), at its call name.
    const hover = await editor.connection.sendRequest('textDocument/hover', { textDocument: { uri: hpc }, position: { line: 71, character: 4 } }) as { contents: { value: string } };
    assert.match(hover.contents.value, /\*\*down_write\(&ctrl->reset_lock\)\*\*: takes `controller\.reset_lock` \(rwsem, exclusive\)/);
    assert.match(hover.contents.value, /Dependencies this adds: .*`device\.mutex` → `controller\.reset_lock` \(held in /);
    const fn = await editor.connection.sendRequest('textDocument/hover', { textDocument: { uri: hpc }, position: { line: 63, character: 6 } }) as { contents: { value: string } };
    assert.match(fn.contents.value, /\*\*pciehp_reset_slot\(\)\*\* — locking summary/);
    assert.match(fn.contents.value, /- takes: `controller\.reset_lock`/);
    assert.match(fn.contents.value, /- callers hold: .*`device\.mutex`/);
    const nothing = await editor.connection.sendRequest('textDocument/hover', { textDocument: { uri: hpc }, position: { line: 0, character: 0 } });
    assert.equal(nothing, null);
    const lenses = await editor.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: hpc } }) as { range: { start: { line: number } }; command: { title: string } }[];
    const reset = lenses.find((l) => l.range.start.line === 63);
    assert.ok(reset, JSON.stringify(lenses));
    assert.match(reset.command.title, /^takes controller\.reset_lock · callers hold .*device\.mutex/);
  } finally {
    await editor.close();
    removeCopy(dir);
  }
});
