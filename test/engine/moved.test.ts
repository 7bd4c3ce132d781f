// Edits that leave the locking as it was: the model says so (Update.moved), and the findings and
// dependencies it moves are exactly those a fresh review of the new text gives — on every bundled
// scenario and the graph fixtures, for a statement added at the top of each function body in turn
// and for a line added above everything. Edits that change the locking are not called moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { carryDependencies, dependenciesOf } from '../../server/src/engine/graph/carried';
import { lockGraph } from '../../server/src/engine/graph/dependencies';
import type { Finding } from '../../server/src/engine/findings';
import { defaultCatalog } from '../../server/src/engine/locks/catalog';
import { TreeModel } from '../../server/src/engine/model';
import { reviewTree } from '../../server/src/engine/review';
import { defaultIdioms } from '../../server/src/engine/source/idioms';
import { MemoryReader, type SourceReader } from '../../server/src/engine/source/reader';
import { listSourceFiles, loadTree } from '../../server/src/engine/workspace';
import { FileSystemReader } from '../../server/src/host/fsReader';
import { ready } from '../helpers';

const repo = path.resolve(__dirname, '..', '..', '..');
const disk = new FileSystemReader();

/** The disk, with some files' text replaced. */
class Edited implements SourceReader {
  readonly texts = new Map<string, string>();
  readFile(p: string): string {
    return this.texts.get(p) ?? disk.readFile(p);
  }
  isFile(p: string): boolean {
    return this.texts.has(p) || disk.isFile(p);
  }
  isDirectory(p: string): boolean {
    return disk.isDirectory(p);
  }
  readDirectory(p: string) {
    return disk.readDirectory(p);
  }
}

const all = (t: Parameters<typeof reviewTree>[0]) => reviewTree(t, { unfiltered: true }).findings;
const sorted = (fs: readonly Finding[]) => fs.map((f) => JSON.stringify(f)).sort();

interface Scenario { readonly name: string; readonly root: string; readonly files: readonly string[] }

const scenarios: Scenario[] = [
  ...['000-mdev-devlink/buggy', '000-mdev-devlink/srcu', '001-mdev-create-remove/buggy', '002-vfio-kvm/buggy', '003-pciehp-reset/buggy', '004-mdev-uuid/buggy']
    .map((v) => ({ name: `examples/${v}`, root: path.join(repo, 'examples', v) })),
  { name: 'trees/000-rwsem-remove/buggy', root: path.join(repo, 'test/fixtures/trees/000-rwsem-remove/buggy') },
].map((s) => ({ ...s, files: listSourceFiles(s.root, disk).filter((f) => f.endsWith('.c')) }))
  .concat(['sleep', 'work', 'completion', 'srcu-self', 'srcu-deref', 'recursion', 'callbacks', 'missing-lock', 'trylock', 'flags', 'globals'].map((n) => {
    const root = path.join(repo, 'test/fixtures/graph');
    return { name: `fixtures/graph/${n}.c`, root, files: [path.join(root, `${n}.c`)] };
  }));

/** Each function body's first line (a `{` alone at column 0), as line numbers. */
const bodies = (text: string) => text.split('\n').flatMap((l, i) => (l === '{' ? [i] : []));
const insertAt = (text: string, line: number, what: string) => {
  const lines = text.split('\n');
  return [...lines.slice(0, line), what, ...lines.slice(line)].join('\n');
};

for (const s of scenarios) {
  test(`moved: ${s.name}: statements added and taken out again move the findings as a fresh review places them`, async () => {
    await ready;
    const reader = new Edited();
    const model = new TreeModel(await loadTree(s.files, { root: s.root, reader, catalog: defaultCatalog }), { reader, idioms: defaultIdioms, catalog: defaultCatalog });
    let findings = all(model.tree);
    assert.ok(findings.length > 0, 'a buggy scenario has findings to move');
    let moves = 0;
    for (const file of s.files) {
      const original = disk.readFile(file);
      const edits = [0, ...bodies(original).map((b) => b + 1)].map((line) =>
        insertAt(original, line, line === 0 ? '/* a line above everything */' : '\tbarrier(); /* edit */'));
      for (const text of [...edits.flatMap((e) => [e, original])]) {
        reader.texts.set(file, text);
        const before = model.tree;
        lockGraph(before);
        const u = model.update(file);
        assert.ok(u.moved, `${path.basename(file)}: an edit that leaves the locking is a move`);
        findings = findings.map((f) => u.moved!.finding(f));
        carryDependencies(before, model.tree, u.moved);
        const fresh = await loadTree(s.files, { root: s.root, reader, catalog: defaultCatalog });
        assert.deepEqual(sorted(findings), sorted(all(fresh)));
        assert.deepEqual(JSON.stringify([...dependenciesOf(model.tree)]), JSON.stringify([...lockGraph(fresh).dependencies]));
        moves++;
      }
    }
    assert.ok(moves > 2);
  });
}

test('moved: an edit that changes what a function locks is no move, nor is a call moved above another', async () => {
  await ready;
  const s = scenarios.find((x) => x.name === 'examples/003-pciehp-reset/buggy')!;
  const reader = new Edited();
  const model = new TreeModel(await loadTree(s.files, { root: s.root, reader, catalog: defaultCatalog }), { reader, idioms: defaultIdioms, catalog: defaultCatalog });
  const file = s.files.find((f) => fs.readFileSync(f, 'utf8').includes('up_read('))!;
  const original = disk.readFile(file);
  const lines = original.split('\n');
  const unlock = lines.findIndex((l) => l.includes('up_read('));
  reader.texts.set(file, [...lines.slice(0, unlock), ...lines.slice(unlock + 1)].join('\n'));
  assert.equal(model.update(file).moved, undefined, 'an unlock taken out');
  reader.texts.set(file, original);
  assert.equal(model.update(file).moved, undefined, 'and put back');
});

test('moved: an assignment and a call that change places are no move, though each is as it was', async () => {
  await ready;
  const header = 'struct mutex { long owner; };\nstruct dev { struct mutex a; int n; };\n';
  const body = (first: string, second: string) => `#include "t.h"
static int ready;
void helper(struct dev *d)
{
	d->n++;
}

void f(struct dev *d)
{
	${first}
	${second}
}
`;
  const texts = new Map([['/k/t.h', header], ['/k/f.c', body('ready = 1;', 'helper(d);')]]);
  const reader = new MemoryReader(texts);
  const model = new TreeModel(await loadTree(['/k/f.c'], { root: '/k', reader, catalog: defaultCatalog }), { reader, idioms: defaultIdioms, catalog: defaultCatalog });
  assert.ok(model.tree.summaries.get('/k/f.c')!.some((x) => x.assigns?.some((a) => a.name === 'ready')), 'the assignment is one the summary keeps');
  texts.set('/k/f.c', body('ready = 1;', 'helper(d); /* a comment */'));
  assert.ok(model.update('/k/f.c').moved, 'a comment added is a move');
  texts.set('/k/f.c', body('helper(d);', 'ready = 1;'));
  assert.equal(model.update('/k/f.c').moved, undefined);
});

test('moved: locks in anonymous structs keep their class names when a line is added above them', async () => {
  await ready;
  const header = 'struct mutex { long owner; };\nstruct dev { struct { struct mutex lock; } irq; struct mutex other; };\n';
  const code = `#include "t.h"
static struct {
	struct mutex lock;
	int n;
} state;

void ab(struct dev *d)
{
	mutex_lock(&d->irq.lock);
	mutex_lock(&d->other);
	state.n++;
	mutex_unlock(&d->other);
	mutex_unlock(&d->irq.lock);
}

void ba(struct dev *d)
{
	mutex_lock(&d->other);
	mutex_lock(&d->irq.lock);
	mutex_lock(&state.lock);
	mutex_lock(&state.lock);
	mutex_unlock(&state.lock);
	mutex_unlock(&state.lock);
	mutex_unlock(&d->irq.lock);
	mutex_unlock(&d->other);
}
`;
  const texts = new Map([['/k/t.h', header], ['/k/f.c', code]]);
  const reader = new MemoryReader(texts);
  const model = new TreeModel(await loadTree(['/k/f.c'], { root: '/k', reader, catalog: defaultCatalog }), { reader, idioms: defaultIdioms, catalog: defaultCatalog });
  let findings = all(model.tree);
  assert.deepEqual(findings.map((f) => f.code).sort(), ['lock-inversion', 'recursive-lock']);
  assert.ok(findings.some((f) => f.locks.some((l) => l.includes('<anonymous@'))), JSON.stringify(findings.map((f) => f.locks)));
  for (const edited of [`/* a line above */\n${code}`, `\n\n${code}`.replace('\tstate.n++;', '\tstate.n++; /* typed */')]) {
    texts.set('/k/f.c', edited);
    const u = model.update('/k/f.c');
    assert.ok(u.moved);
    findings = findings.map((f) => u.moved!.finding(f));
    const fresh = await loadTree(['/k/f.c'], { root: '/k', reader, catalog: defaultCatalog });
    assert.deepEqual(sorted(findings), sorted(all(fresh)));
    assert.deepEqual(sorted(all(model.tree)), sorted(all(fresh)), 'the model itself reviews as a fresh load');
  }
});
