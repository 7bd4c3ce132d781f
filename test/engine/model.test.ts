// TreeModel: a tree kept current one file at a time gives what loading it afresh gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCatalog } from '../../server/src/engine/locks/catalog';
import { TreeModel } from '../../server/src/engine/model';
import { reviewTree } from '../../server/src/engine/review';
import { defaultIdioms } from '../../server/src/engine/source/idioms';
import { MemoryReader } from '../../server/src/engine/source/reader';
import { loadTree, type LoadedTree } from '../../server/src/engine/workspace';
import { ready } from '../helpers';

const TYPES = 'struct mutex { long owner; };\nstruct dev { struct mutex a; struct mutex b; int n; };\n';

const HELPER = `#include "t.h"
void dev_lock_a(struct dev *d)
{
	mutex_lock(&d->a);
}
`;
const HELPER_BALANCED = `#include "t.h"
void dev_lock_a(struct dev *d)
{
	mutex_lock(&d->a);
	mutex_unlock(&d->a);
}
`;
const USER = `#include "t.h"
void dev_lock_a(struct dev *d);

void ab(struct dev *d)
{
	dev_lock_a(d);
	mutex_lock(&d->b);
	d->n++;
	mutex_unlock(&d->b);
	mutex_unlock(&d->a);
}
`;
const BA = `#include "t.h"
void ba(struct dev *d)
{
	mutex_lock(&d->b);
	mutex_lock(&d->a);
	d->n--;
	mutex_unlock(&d->a);
	mutex_unlock(&d->b);
}
`;
const BA_FIXED = `#include "t.h"
void ba(struct dev *d)
{
	mutex_lock(&d->a);
	mutex_lock(&d->b);
	d->n--;
	mutex_unlock(&d->b);
	mutex_unlock(&d->a);
}
`;

const FILES = ['/k/helper.c', '/k/user.c', '/k/ba.c'];

async function fresh(texts: Map<string, string>): Promise<LoadedTree> {
  return loadTree(FILES, { root: '/k', reader: new MemoryReader(texts), catalog: defaultCatalog });
}

const codes = (t: LoadedTree) => reviewTree(t).findings.map((f) => `${f.file}:${f.line + 1} ${f.code} ${[...f.locks].sort().join(' ')}`).sort();
const summariesOf = (t: LoadedTree) => JSON.stringify(FILES.map((f) => t.summaries.get(f) ?? null));

test('model: an edit that closes a cycle, then one that opens it, give what a fresh load gives', async () => {
  await ready;
  const texts = new Map([['/k/t.h', TYPES], ['/k/helper.c', HELPER], ['/k/user.c', USER], ['/k/ba.c', BA_FIXED]]);
  const model = new TreeModel(await fresh(texts), { reader: new MemoryReader(texts), idioms: defaultIdioms, catalog: defaultCatalog });
  assert.deepEqual(codes(model.tree), []);

  texts.set('/k/ba.c', `/* a line above moves every offset */\n${BA}`);
  const u = model.update('/k/ba.c');
  assert.deepEqual(u.resummarised, ['/k/ba.c']);
  assert.equal(u.declarationsChanged, false);
  const expected = await fresh(texts);
  assert.deepEqual(codes(model.tree), codes(expected));
  assert.ok(codes(model.tree).some((c) => c.includes('lock-inversion dev.a dev.b')), codes(model.tree).join('\n'));
  assert.equal(summariesOf(model.tree), summariesOf(expected));

  texts.set('/k/ba.c', BA_FIXED);
  model.update('/k/ba.c');
  assert.deepEqual(codes(model.tree), []);
});

test('model: a helper that stops returning with its lock held re-summarises its callers in other files', async () => {
  await ready;
  const texts = new Map([['/k/t.h', TYPES], ['/k/helper.c', HELPER], ['/k/user.c', USER], ['/k/ba.c', BA_FIXED]]);
  const model = new TreeModel(await fresh(texts), { reader: new MemoryReader(texts), idioms: defaultIdioms, catalog: defaultCatalog });
  const releaseOfA = (t: LoadedTree) => t.summaries.get('/k/user.c')![0]!.releases.find((r) => r.lock.class === 'dev.a')!;
  assert.equal(releaseOfA(model.tree).unheldOnSomePath, false);
  texts.set('/k/helper.c', HELPER_BALANCED);
  const u = model.update('/k/helper.c');
  assert.deepEqual(u.resummarised, ['/k/helper.c', '/k/user.c']);
  const expected = await fresh(texts);
  assert.equal(summariesOf(model.tree), summariesOf(expected));
  // ab() now lets go of d->a, which it no longer took through the helper.
  assert.equal(releaseOfA(model.tree).unheldOnSomePath, true);
  assert.deepEqual(codes(model.tree), codes(expected));
});

test('model: a file that cannot be read is a problem and leaves the tree; reading it again brings it back', async () => {
  await ready;
  const texts = new Map([['/k/t.h', TYPES], ['/k/helper.c', HELPER], ['/k/user.c', USER], ['/k/ba.c', BA]]);
  const model = new TreeModel(await fresh(texts), { reader: new MemoryReader(texts), idioms: defaultIdioms, catalog: defaultCatalog });
  assert.equal(codes(model.tree).filter((c) => c.includes('lock-inversion')).length, 1);
  texts.delete('/k/ba.c');
  const gone = model.update('/k/ba.c');
  assert.match(gone.problem?.reason ?? '', /cannot read/);
  assert.deepEqual(model.tree.problems.map((p) => p.file), ['/k/ba.c']);
  assert.deepEqual(codes(model.tree), []);
  texts.set('/k/ba.c', BA);
  model.update('/k/ba.c');
  assert.deepEqual(model.tree.problems, []);
  assert.equal(codes(model.tree).filter((c) => c.includes('lock-inversion')).length, 1);
});

test('model: a declaration other files read (a struct field) is reported as changed', async () => {
  await ready;
  const texts = new Map([['/k/t.h', TYPES], ['/k/helper.c', HELPER], ['/k/user.c', USER], ['/k/ba.c', BA_FIXED]]);
  const model = new TreeModel(await fresh(texts), { reader: new MemoryReader(texts), idioms: defaultIdioms, catalog: defaultCatalog });
  texts.set('/k/t.h', TYPES.replace('int n;', 'int n; int m;'));
  const u = model.update('/k/t.h');
  assert.equal(u.declarationsChanged, true);
  assert.deepEqual(u.resummarised, []);
});
