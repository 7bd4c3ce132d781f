// The client's decisions that need no VS Code: which folders it serves, and its status text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { servesFolder, statusText } from '../client/src/status';

test('client: serves a kernel tree or a folder with lockreview.json, nothing else', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-client-'));
  try {
    assert.equal(servesFolder(dir), false);
    fs.mkdirSync(path.join(dir, 'include', 'linux'), { recursive: true });
    assert.equal(servesFolder(dir), true);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-client-'));
    fs.writeFileSync(path.join(other, 'lockreview.json'), '{}');
    assert.equal(servesFolder(other), true);
    fs.rmSync(other, { recursive: true, force: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('client: the status bar says what the server is doing', () => {
  assert.equal(statusText({ state: 'indexing', done: 812, total: 3410 }), '$(sync~spin) Locks: 812/3,410 files');
  assert.equal(statusText({ state: 'ready', findings: 1 }), '$(lock) 1 lock finding');
  assert.equal(statusText({ state: 'ready', findings: 13 }), '$(lock) 13 lock findings');
});
