// Fixes are tested on the text they produce, and on what the engine says of that text: the
// finding they were for is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Fix } from '../../server/src/engine/findings';
import { fixesOf, isSuppression } from '../../server/src/engine/fixes';
import { applyEdits } from '../../server/src/engine/fixes/text';
import { defaultCatalog } from '../../server/src/engine/locks/catalog';
import { reviewTree } from '../../server/src/engine/review';
import { MemoryReader } from '../../server/src/engine/source/reader';
import { loadTree } from '../../server/src/engine/workspace';
import { ready } from '../helpers';

const memoryTree = (files: Record<string, string>) =>
  loadTree(['/k/a.c'], { root: '/k', catalog: defaultCatalog, reader: new MemoryReader(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/k/${k}`, v]))) });

const TYPES = `struct mutex { long owner; };
struct rw_semaphore { long count; };
typedef struct spinlock { int raw; } spinlock_t;
struct srcu_struct { int idx; };
struct dev { struct mutex lock; struct mutex cfg; struct rw_semaphore sem; spinlock_t irq; struct srcu_struct srcu; int n; };
#define EINVAL 22
#define EAGAIN 11
`;

/** The findings of `code` in one file, and the text after applying its first fix with `title`. */
async function fixed(code: string, text: string, title: RegExp): Promise<{ finding: Finding; after: string; titles: string[]; fixes: Fix[] }> {
  await ready;
  const tree = await memoryTree({ 'include/t.h': TYPES, 'a.c': `#include "include/t.h"\n${text}` });
  const f = reviewTree(tree).findings.find((x) => x.code === code);
  assert.ok(f, `no ${code} in:\n${text}`);
  const source = `#include "include/t.h"\n${text}`;
  const fixes = fixesOf(f, (file) => (file === '/k/a.c' ? source : undefined));
  const fix = fixes.find((x) => title.test(x.title));
  assert.ok(fix, `no fix ${title} among: ${fixes.map((x) => x.title).join(' | ')}`);
  const after = applyEdits(source, fix.edits).replace('#include "include/t.h"\n', '');
  return { finding: f, after, titles: fixes.map((x) => x.title), fixes };
}

async function codesOf(text: string): Promise<string[]> {
  const tree = await memoryTree({ 'include/t.h': TYPES, 'a.c': `#include "include/t.h"\n${text}` });
  return reviewTree(tree).findings.map((f) => f.code);
}

test('fix: the missing unlock before an early return, braced under a bare if', async () => {
  const { after, titles } = await fixed('lock-imbalance', `int dev_set(struct dev *d, int v)
{
	mutex_lock(&d->lock);
	if (v < 0)
		return -EINVAL;
	d->n = v;
	mutex_unlock(&d->lock);
	return 0;
}
`, /^Release with mutex_unlock\(&d->lock\) before this return$/);
  assert.equal(after, `int dev_set(struct dev *d, int v)
{
	mutex_lock(&d->lock);
	if (v < 0) {
		mutex_unlock(&d->lock);
		return -EINVAL;
	}
	d->n = v;
	mutex_unlock(&d->lock);
	return 0;
}
`);
  assert.deepEqual(await codesOf(after), []);
  assert.deepEqual(titles.length, 2, 'the repair and the suppression');
});

test('fix: the early return goes to the label that already unlocks (kernel style)', async () => {
  const { after } = await fixed('lock-imbalance', `int dev_set(struct dev *d, int v)
{
	int ret = 0;

	spin_lock_irqsave(&d->irq, flags);
	if (v < 0)
		return -EINVAL;
	if (v > 9) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	d->n = v;
out_unlock:
	spin_unlock_irqrestore(&d->irq, flags);
	return ret;
}
`, /^Go to out_unlock/);
  assert.equal(after, `int dev_set(struct dev *d, int v)
{
	int ret = 0;

	spin_lock_irqsave(&d->irq, flags);
	if (v < 0) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (v > 9) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	d->n = v;
out_unlock:
	spin_unlock_irqrestore(&d->irq, flags);
	return ret;
}
`);
  assert.deepEqual(await codesOf(after), []);
});

test('fix: the missing srcu_read_unlock with the index the section was entered with', async () => {
  const { after } = await fixed('srcu-imbalance', `int dev_peek(struct dev *d)
{
	int idx, v;

	idx = srcu_read_lock(&d->srcu);
	v = d->n;
	if (!v)
		return -EAGAIN;
	srcu_read_unlock(&d->srcu, idx);
	return v;
}
`, /^Release with srcu_read_unlock\(&d->srcu, idx\)/);
  assert.match(after, /\tif \(!v\) \{\n\t\tsrcu_read_unlock\(&d->srcu, idx\);\n\t\treturn -EAGAIN;\n\t\}\n/);
  assert.deepEqual(await codesOf(after), []);
});

test('fix: release and re-take the held lock around the call that closes the cycle (the pciehp fix)', async () => {
  const src = `static void dev_apply(struct dev *d)
{
	mutex_lock(&d->cfg);
	d->n++;
	mutex_unlock(&d->cfg);
}

void dev_event(struct dev *d)
{
	down_read(&d->sem);
	dev_apply(d);
	up_read(&d->sem);
}

void dev_reconfigure(struct dev *d)
{
	mutex_lock(&d->cfg);
	down_write(&d->sem);
	d->n = 0;
	up_write(&d->sem);
	mutex_unlock(&d->cfg);
}
`;
  const { after } = await fixed('lock-inversion', src, /^Release &d->sem around dev_apply\(\)/);
  assert.match(after, /\tdown_read\(&d->sem\);\n\tup_read\(&d->sem\);\n\tdev_apply\(d\);\n\tdown_read\(&d->sem\);\n\tup_read\(&d->sem\);\n/);
  assert.deepEqual(await codesOf(after), []);
});

test('fix: a trylock with back-off where the taker can fail; synchronize_srcu after the unlock', async () => {
  const inversion = `int dev_a(struct dev *d)
{
	mutex_lock(&d->lock);
	mutex_lock(&d->cfg);
	d->n++;
	mutex_unlock(&d->cfg);
	mutex_unlock(&d->lock);
	return 0;
}

int dev_b(struct dev *d)
{
	mutex_lock(&d->cfg);
	mutex_lock(&d->lock);
	d->n--;
	mutex_unlock(&d->lock);
	mutex_unlock(&d->cfg);
	return 0;
}
`;
  const { after, titles } = await fixed('lock-inversion', inversion, /^Try &d->(cfg|lock) with mutex_trylock/);
  assert.ok(titles.filter((t) => t.startsWith('Try ')).length === 2, titles.join(' | '));
  assert.match(after, /\tif \(!mutex_trylock\(&d->(cfg|lock)\)\)\n\t\treturn -EAGAIN;\n/);
  assert.deepEqual(await codesOf(after), ['lock-imbalance'], 'the back-off returns with the first lock held: the next fix to make');

  const srcu = `void dev_reader(struct dev *d)
{
	int idx = srcu_read_lock(&d->srcu);

	mutex_lock(&d->lock);
	d->n++;
	mutex_unlock(&d->lock);
	srcu_read_unlock(&d->srcu, idx);
}

void dev_remove(struct dev *d)
{
	mutex_lock(&d->lock);
	d->n = -1;
	synchronize_srcu(&d->srcu);
	mutex_unlock(&d->lock);
}
`;
  const moved = await fixed('srcu-deadlock', srcu, /^Wait for the readers \(synchronize_srcu\) after mutex_unlock/);
  assert.match(moved.after, /\td->n = -1;\n\tmutex_unlock\(&d->lock\);\n\tsynchronize_srcu\(&d->srcu\);\n\}/);
  assert.deepEqual(await codesOf(moved.after), []);
});

test('fix: the suppression comment silences the finding, and is never the preferred fix', async () => {
  const { after, fixes } = await fixed('lock-imbalance', `int dev_set(struct dev *d, int v)
{
	mutex_lock(&d->lock);
	if (v < 0)
		return -EINVAL;
	mutex_unlock(&d->lock);
	return 0;
}
`, /^Ignore lock-imbalance/);
  assert.match(after, /\tif \(v < 0\)\n\t\t\/\* lockreview: ignore lock-imbalance \*\/\n\t\treturn -EINVAL;\n/);
  assert.deepEqual(await codesOf(after), []);
  assert.ok(isSuppression(fixes.at(-1)!));
  assert.ok(!isSuppression(fixes[0]!), 'the repair is no suppression');
});
