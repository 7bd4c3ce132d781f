// Bad input never stops the server: each case below is followed by a request it must answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestEditor } from './client';

const INVERSION = `struct mutex { long owner; };
struct dev { struct mutex a; struct mutex b; int n; };
void ab(struct dev *d) { mutex_lock(&d->a); mutex_lock(&d->b); d->n++; mutex_unlock(&d->b); mutex_unlock(&d->a); }
void ba(struct dev *d) { mutex_lock(&d->b); mutex_lock(&d->a); d->n--; mutex_unlock(&d->a); mutex_unlock(&d->b); }
`;

function folder(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-lsp-bad-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The server still answers: a pull of the inversion file's diagnostics returns its finding. */
async function answers(editor: TestEditor, file: string): Promise<void> {
  const r = await editor.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: pathToFileURL(file).href } }) as { items: { code: string }[] };
  assert.ok(r.items.some((i) => i.code === 'lock-inversion'), JSON.stringify(r));
}

const PULL = { textDocument: { diagnostic: {} } };

test('lsp: a malformed request gets an error and the server goes on answering', async () => {
  const dir = folder({ 'ab.c': INVERSION });
  const editor = new TestEditor();
  try {
    await editor.initialize(dir, PULL);
    await editor.indexed();
    await assert.rejects(editor.connection.sendRequest('textDocument/diagnostic', { textDocument: 42 }), /./);
    await assert.rejects(editor.connection.sendRequest('lockreview/noSuchMethod', {}), /Unhandled method|not found/i);
    editor.raw('Content-Length: 9\r\n\r\n{not json');
    await answers(editor, path.join(dir, 'ab.c'));
  } finally {
    await editor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lsp: files that disappear while the folder is indexed are skipped, and the server answers', async () => {
  const files: Record<string, string> = { 'ab.c': INVERSION };
  for (let i = 0; i < 400; i++) files[`gen${String(i).padStart(3, '0')}.c`] = `int gen${i}(int x)\n{\n\treturn x + ${i};\n}\n`;
  const dir = folder(files);
  const editor = new TestEditor();
  let removed = false;
  editor.onProgress = () => {
    if (removed) return;
    removed = true;
    for (let i = 100; i < 400; i++) fs.rmSync(path.join(dir, `gen${i}.c`), { force: true });
  };
  try {
    await editor.initialize(dir, PULL);
    await editor.indexed();
    assert.ok(removed);
    await answers(editor, path.join(dir, 'ab.c'));
    // Removed before their turn came: reported by name, not fatal.
    await editor.until(() => editor.log.some((l) => /gen[1-3]\d\d\.c: skipped: cannot read/.test(l)), 'a skipped file named');
  } finally {
    await editor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lsp: a 20 MB generated .c and a binary file named .c are skipped with their reason shown on them', async () => {
  const big = Array.from({ length: 1_000_000 }, (_, i) => `int table_${i} = ${i};`).join('\n');
  assert.ok(big.length > 20 * 1024 * 1024);
  const dir = folder({ 'ab.c': INVERSION, 'table.c': big, 'blob.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 0, 0]) });
  const editor = new TestEditor();
  try {
    await editor.initialize(dir, PULL);
    await editor.indexed();
    await answers(editor, path.join(dir, 'ab.c'));
    const shown = async (file: string) => (await editor.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: pathToFileURL(path.join(dir, file)).href } }) as { items: { code: string; message: string }[] }).items;
    assert.match((await shown('table.c'))[0]!.message, /did not analyse this file: .*too large \(26777779 characters/);
    assert.match((await shown('blob.c'))[0]!.message, /did not analyse this file: .*binary content/);
    // Opened and edited, the binary file is still no trouble.
    editor.open(path.join(dir, 'blob.c'), '\0\0\0');
    editor.change(path.join(dir, 'blob.c'), '\0\0\0\0');
    await new Promise((r) => setTimeout(r, 400));
    await answers(editor, path.join(dir, 'ab.c'));
  } finally {
    await editor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lsp: a lockreview.json that cannot be used is shown on that file and to the user, and the folder is read without it', async () => {
  const dir = folder({ 'ab.c': INVERSION, 'lockreview.json': '{ "catalog": { "my_lock": ' });
  const config = path.join(dir, 'lockreview.json');
  const editor = new TestEditor();
  try {
    await editor.initialize(dir);
    await editor.indexed();
    await editor.until(() => editor.diagnostics.has(pathToFileURL(config).href), 'a diagnostic on lockreview.json');
    const [d] = editor.diagnostics.get(pathToFileURL(config).href)!;
    assert.equal(d?.code, 'config');
    assert.match(d?.message ?? '', /lockreview\.json: not valid JSON/);
    assert.ok(editor.shown.some((m) => m.includes(config) && /not valid JSON/.test(m)), editor.shown.join('\n'));
    await editor.until(() => (editor.diagnostics.get(pathToFileURL(path.join(dir, 'ab.c')).href) ?? []).some((x) => x.code === 'lock-inversion'), 'the inversion found all the same');
    // Mended on disk: the folder is read again with it, and the file's diagnostic goes.
    fs.writeFileSync(config, '{}');
    editor.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    await editor.until(() => (editor.diagnostics.get(pathToFileURL(config).href) ?? [undefined]).length === 0, 'the config diagnostic cleared');
  } finally {
    await editor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
