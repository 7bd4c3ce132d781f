// The server through a session's life: clients that refuse what they may refuse, buffers typed
// into while the folder is read, headers edited in the editor, a cancelled index, new files and
// new scopes. Each ends with the diagnostics the text on screen calls for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestEditor } from './client';

const HEADER = (alias: string) => `struct mutex { long owner; };
struct dev { struct mutex a; struct mutex b; int n; };
struct other { struct mutex a; struct mutex b; int n; };
typedef struct ${alias} alias_t;
`;
const AB = '#include "t.h"\nvoid ab(struct dev *d) { mutex_lock(&d->a); mutex_lock(&d->b); d->n++; mutex_unlock(&d->b); mutex_unlock(&d->a); }\n';
const BA = '#include "t.h"\nvoid ba(alias_t *d) { mutex_lock(&d->b); mutex_lock(&d->a); d->n--; mutex_unlock(&d->a); mutex_unlock(&d->b); }\n';
const BA_DEV = BA.replace('alias_t', 'struct dev');

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-life-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const inversions = (e: TestEditor, dir: string) => ['a.c', 'b.c', 'sub/a.c', 'other/b.c']
  .flatMap((f) => e.diagnosticsOf(path.join(dir, f)) ?? []).filter((d) => d.code === 'lock-inversion').length;

async function session(files: Record<string, string>, body: (e: TestEditor, dir: string) => Promise<void>, setup?: (e: TestEditor) => void): Promise<void> {
  const dir = folder(files);
  const editor = new TestEditor();
  setup?.(editor);
  try {
    await body(editor, dir);
  } finally {
    await editor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('lifecycle: a client that refuses progress and registration still gets its diagnostics', () => session(
  { 't.h': HEADER('dev'), 'a.c': AB, 'b.c': BA },
  async (e, dir) => {
    await e.initialize(dir, { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } });
    await e.until(() => inversions(e, dir) === 1, 'the inversion');
  },
  (e) => { e.refuse.add('window/workDoneProgress/create'); e.refuse.add('client/registerCapability'); },
));

test('lifecycle: a buffer opened and typed into while the folder is read is analysed as typed', () => session(
  { 't.h': HEADER('dev'), 'a.c': AB, 'b.c': BA.replace(/mutex_lock\(&d->b\); mutex_lock\(&d->a\)/, 'mutex_lock(&d->a); mutex_lock(&d->b)') },
  async (e, dir) => {
    await e.initialize(dir);
    const b = path.join(dir, 'b.c');
    e.open(b, fs.readFileSync(b, 'utf8'));
    e.change(b, BA);
    await e.indexed();
    await e.until(() => inversions(e, dir) === 1, 'the inversion typed during the index');
  },
));

test('lifecycle: a header edited in its buffer reaches the files that include it', () => session(
  { 't.h': HEADER('other'), 'a.c': AB, 'b.c': BA },
  async (e, dir) => {
    await e.initialize(dir);
    await e.indexed();
    assert.equal(inversions(e, dir), 0);
    const h = path.join(dir, 't.h');
    e.open(h, HEADER('other'));
    e.change(h, HEADER('dev'));
    await e.until(() => inversions(e, dir) === 1, 'the inversion the header edit makes');
  },
));

test('lifecycle: a cancelled index reads the folder again at the next change', () => session(
  { 't.h': HEADER('dev'), 'a.c': AB, 'b.c': BA_DEV },
  async (e, dir) => {
    e.onProgress = (p) => {
      const { token, value } = p as { token: string; value: { kind: string } };
      if (value.kind === 'begin' && e.progress.length === 1) void e.connection.sendNotification('window/workDoneProgress/cancel', { token });
    };
    await e.initialize(dir);
    await e.until(() => e.log.some((l) => /cancelled/.test(l)) || inversions(e, dir) === 1, 'the cancel (or a load too quick to cancel)');
    const a = path.join(dir, 'a.c');
    e.open(a, AB);
    e.change(a, `${AB}\n`);
    await e.until(() => inversions(e, dir) === 1, 'the inversion after the next change');
  },
));

test('lifecycle: a new file in scope, and a new scope, read the folder again', () => session(
  { 't.h': HEADER('dev'), 'sub/a.c': AB.replace('"t.h"', '"../t.h"'), 'other/b.c': BA_DEV.replace('"t.h"', '"../t.h"') },
  async (e, dir) => {
    e.settings = { scope: ['sub'] };
    await e.initialize(dir);
    await e.indexed();
    assert.equal(inversions(e, dir), 0, 'other/ is out of scope');
    // A new file in scope closes the cycle.
    const added = path.join(dir, 'sub', 'b.c');
    fs.writeFileSync(added, BA_DEV.replace('"t.h"', '"../t.h"'));
    await e.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: new URL(`file://${added}`).href, type: 1 }] });
    await e.until(() => (e.diagnosticsOf(path.join(dir, 'sub/a.c')) ?? []).concat(e.diagnosticsOf(added) ?? []).some((d) => d.code === 'lock-inversion'), 'the inversion with the new file');
    fs.rmSync(added);
    // The scope widened to other/: its half of the cycle is read.
    e.settings = { scope: ['sub', 'other'] };
    await e.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await e.until(() => inversions(e, dir) === 1, 'the inversion across the widened scope');
  },
));
