// DESIGN.md's first invariant: the engine is pure. It imports nothing from the adapters or the
// editor, and reads no file itself (everything goes through the SourceReader it is given).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const engine = path.join(root, 'server', 'src', 'engine');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]!);
}

const FORBIDDEN_PACKAGES = /^(vscode|vscode-languageserver|vscode-languageclient|vscode-jsonrpc)(\/|$)/;

test('engine imports nothing from lsp/, cli/, host/, client/ or the editor libraries', () => {
  const files = sources(engine);
  assert.ok(files.length > 10, 'found the engine sources');
  const bad: string[] = [];
  for (const file of files) {
    for (const spec of imports(file)) {
      const resolved = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec;
      const outside = spec.startsWith('.') && !resolved.startsWith(engine + path.sep);
      if (FORBIDDEN_PACKAGES.test(spec) || outside) bad.push(`${path.relative(root, file)}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('engine does no file I/O except loading the grammar', () => {
  const bad = sources(engine)
    .filter((f) => !f.endsWith(path.join('source', 'parser.ts')))
    .filter((f) => imports(f).some((s) => /^(node:)?(fs|fs\/promises|child_process|net|http)$/.test(s)))
    .map((f) => path.relative(root, f));
  assert.deepEqual(bad, []);
});

test('the layering check itself catches a forbidden import', () => {
  assert.ok(FORBIDDEN_PACKAGES.test('vscode-languageserver/node'));
  assert.deepEqual(imports(__filename).includes('node:fs'), true);
});

test('only client/ imports vscode, and of the server only protocol/; lsp/ and cli/ do not import each other (the CLI only starts the server)', () => {
  const server = path.join(root, 'server', 'src');
  const bad: string[] = [];
  for (const file of [...sources(server), ...sources(path.join(root, 'test')), ...sources(path.join(root, 'bench'))]) {
    for (const spec of imports(file)) {
      if (spec === 'vscode') bad.push(`${path.relative(root, file)}: vscode`);
      const resolved = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : '';
      const inLsp = file.startsWith(path.join(server, 'lsp') + path.sep);
      const inCli = file.startsWith(path.join(server, 'cli') + path.sep);
      if (inLsp && resolved.startsWith(path.join(server, 'cli'))) bad.push(`${path.relative(root, file)}: ${spec}`);
      if (inCli && resolved.startsWith(path.join(server, 'lsp')) && resolved !== path.join(server, 'lsp', 'server')) bad.push(`${path.relative(root, file)}: ${spec}`);
    }
  }
  // The client (and its graph page) reach the server only through the protocol: the wire's types.
  const protocol = path.join(server, 'protocol') + path.sep;
  for (const file of sources(path.join(root, 'client'))) {
    for (const spec of imports(file)) {
      const to = path.resolve(path.dirname(file), spec);
      if (spec.startsWith('.') && !to.startsWith(path.join(root, 'client')) && !to.startsWith(protocol)) bad.push(`${path.relative(root, file)}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('protocol/ imports nothing: the server, the client and the graph page (a browser bundle) share it', () => {
  const protocol = path.join(root, 'server', 'src', 'protocol');
  const files = sources(protocol);
  assert.ok(files.length > 0);
  assert.deepEqual(files.flatMap((f) => imports(f).map((s) => `${path.relative(root, f)}: ${s}`)), []);
});
