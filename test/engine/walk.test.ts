// Per-function lock summaries on the shapes kernel code uses (issue 3, acceptance 1 and 2).
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { MemoryReader } from '../../server/src/engine/source/reader';
import { loadTree } from '../../server/src/engine/workspace';
import { defaultCatalog } from '../../server/src/engine/locks/catalog';
import type { FunctionSummary, Held } from '../../server/src/engine/locks/summary';
import { ready } from '../helpers';

const TYPES = `
struct mutex { long owner; };
struct rw_semaphore { long count; };
struct srcu_struct { int idx; };
typedef struct spinlock { int raw; } spinlock_t;
struct device { struct mutex mutex; struct device *parent; };
struct pci_dev { struct device dev; struct pci_bus *bus; };
struct mdev_parent { struct device *dev; struct rw_semaphore unreg_sem; struct srcu_struct srcu; };
struct mdev_device { struct mdev_parent *type_parent; int active; };
struct ctrl { spinlock_t lock; struct mutex state_lock; struct srcu_struct srcu; struct srcu_struct other_srcu; };
`;

async function summaries(code: string): Promise<Map<string, FunctionSummary>> {
  await ready;
  const reader = new MemoryReader({ '/k/include/linux/types.h': TYPES, '/k/a.c': `#include <linux/types.h>\n${code}` });
  const tree = await loadTree(['/k/a.c'], { root: '/k', reader, catalog: defaultCatalog });
  assert.deepEqual(tree.problems, []);
  return new Map((tree.summaries.get('/k/a.c') ?? []).map((s) => [s.name, s]));
}

const names = (held: readonly Held[]) => held.map((h) => h.instance);
const exits = (s: FunctionSummary) => s.exits.map((e) => `${e.value ?? 'end'}: ${names(e.held).join(', ') || '-'}`);

test('summary: seed 004 — the duplicate-UUID exit returns holding the list lock', async () => {
  const s = await summaries(`
static DEFINE_MUTEX(mdev_list_lock);
int create(struct list_head *list, const guid_t *uuid)
{
	struct mdev_device *tmp;

	mutex_lock(&mdev_list_lock);
	list_for_each_entry(tmp, list, next) {
		if (guid_equal(&tmp->uuid, uuid))
			return -EEXIST;
	}
	mutex_unlock(&mdev_list_lock);
	return 0;
}
int create_fixed(struct list_head *list, const guid_t *uuid)
{
	struct mdev_device *tmp;
	int ret = 0;

	mutex_lock(&mdev_list_lock);
	list_for_each_entry(tmp, list, next) {
		if (guid_equal(&tmp->uuid, uuid)) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
out_unlock:
	mutex_unlock(&mdev_list_lock);
	return ret;
}
`);
  assert.deepEqual(exits(s.get('create')!), ['-EEXIST: mdev_list_lock', '0: -']);
  assert.deepEqual(exits(s.get('create_fixed')!), ['ret: -']);
  assert.equal(s.get('create')!.acquisitions[0]!.lock.class, 'mdev_list_lock');
});

test('summary: an error-path ladder releases in reverse order on every path', async () => {
  const s = await summaries(`
int ladder(struct ctrl *a, struct ctrl *b)
{
	int ret;

	mutex_lock(&a->state_lock);
	ret = prepare(a);
	if (ret)
		goto out_a;
	mutex_lock(&b->state_lock);
	ret = prepare(b);
	if (ret)
		goto out_b;
	ret = work(a, b);
out_b:
	mutex_unlock(&b->state_lock);
out_a:
	mutex_unlock(&a->state_lock);
	return ret;
}
`);
  const f = s.get('ladder')!;
  assert.deepEqual(exits(f), ['ret: -']);
  assert.ok(f.releases.every((r) => r.heldOnSomePath && !r.unheldOnSomePath), 'every unlock pairs with its lock');
  const work = f.calls.find((c) => c.callee === 'work')!;
  assert.deepEqual(names(work.held), ['a->state_lock', 'b->state_lock']);
  assert.equal(f.acquisitions[1]!.lock.class, 'ctrl.state_lock');
});

test('summary: interruptible and trylock results decide where the lock is held', async () => {
  const s = await summaries(`
int intr(struct ctrl *c)
{
	if (mutex_lock_interruptible(&c->state_lock))
		return -EINTR;
	touch(c);
	mutex_unlock(&c->state_lock);
	return 0;
}
int via_variable(struct ctrl *c)
{
	int ret = mutex_lock_killable(&c->state_lock);

	if (ret < 0)
		return ret;
	touch(c);
	mutex_unlock(&c->state_lock);
	return 0;
}
void spin(struct ctrl *c)
{
	while (!mutex_trylock(&c->state_lock))
		cpu_relax();
	touch(c);
	mutex_unlock(&c->state_lock);
}
`);
  for (const name of ['intr', 'via_variable']) {
    const f = s.get(name)!;
    assert.deepEqual(exits(f).map((e) => e.split(': ')[1]), ['-', '-'], name);
    assert.deepEqual(names(f.calls.find((c) => c.callee === 'touch')!.held), ['c->state_lock'], name);
  }
  const spin = s.get('spin')!;
  assert.deepEqual(names(spin.calls.find((c) => c.callee === 'touch')!.held), ['c->state_lock']);
  assert.deepEqual(names(spin.calls.find((c) => c.callee === 'cpu_relax')!.held), []);
  assert.equal(spin.acquisitions[0]!.try, true);
});

test('summary: guard and scoped_guard release at the end of their scope', async () => {
  const s = await summaries(`
int guarded(struct ctrl *c)
{
	guard(mutex)(&c->state_lock);
	if (!c)
		return -ENODEV;
	touch(c);
	return 0;
}
int scoped(struct ctrl *c)
{
	scoped_guard(spinlock_irqsave, &c->lock) {
		if (busy(c))
			return -EBUSY;
		touch(c);
	}
	after(c);
	return 0;
}
`);
  assert.deepEqual(exits(s.get('guarded')!), ['-ENODEV: -', '0: -']);
  assert.deepEqual(names(s.get('guarded')!.calls.find((c) => c.callee === 'touch')!.held), ['c->state_lock']);
  const scoped = s.get('scoped')!;
  assert.deepEqual(exits(scoped), ['-EBUSY: -', '0: -']);
  assert.deepEqual(names(scoped.calls.find((c) => c.callee === 'touch')!.held), ['c->lock']);
  assert.deepEqual(names(scoped.calls.find((c) => c.callee === 'after')!.held), []);
  assert.equal(scoped.acquisitions[0]!.lock.class, 'ctrl.lock');
});

test('summary: SRCU sections — left on every path, an early return that is not, the wrong srcu_struct', async () => {
  const s = await summaries(`
int reader(struct ctrl *c)
{
	int idx = srcu_read_lock(&c->srcu);
	int ret = use(c);

	srcu_read_unlock(&c->srcu, idx);
	return ret;
}
int leaky(struct ctrl *c)
{
	int idx = srcu_read_lock(&c->srcu);

	if (!c->ready)
		return -EAGAIN;
	srcu_read_unlock(&c->srcu, idx);
	return 0;
}
void crossed(struct ctrl *c)
{
	int idx = srcu_read_lock(&c->srcu);

	use(c);
	srcu_read_unlock(&c->other_srcu, idx);
}
`);
  assert.deepEqual(exits(s.get('reader')!), ['ret: -']);
  assert.deepEqual(exits(s.get('leaky')!), ['-EAGAIN: c->srcu', '0: -']);
  const crossed = s.get('crossed')!;
  assert.match(crossed.releases[0]!.srcuMismatch ?? '', /entered on c->srcu, left on c->other_srcu/);
  assert.equal(s.get('reader')!.acquisitions[0]!.lock.class, 'ctrl.srcu');
});

test('summary: irqsave with flags, lock helpers, parent and child device locks, a lock per loop iteration', async () => {
  const s = await summaries(`
void irqsave(struct ctrl *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	touch(c);
	spin_unlock_irqrestore(&c->lock, flags);
}
void ctrl_lock(struct ctrl *c)
	__acquires(&c->state_lock)
{
	mutex_lock(&c->state_lock);
}
void family(struct device *dev)
{
	device_lock(dev->parent);
	device_lock(dev);
	touch(dev);
	device_unlock(dev);
	device_unlock(dev->parent);
}
void each(struct ctrl **cs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		mutex_lock(&cs[i]->state_lock);
		touch(cs[i]);
		mutex_unlock(&cs[i]->state_lock);
	}
}
`);
  assert.deepEqual(exits(s.get('irqsave')!), ['end: -']);
  assert.equal(s.get('irqsave')!.acquisitions[0]!.lock.class, 'ctrl.lock');
  const helper = s.get('ctrl_lock')!;
  assert.deepEqual(exits(helper), ['end: c->state_lock']);
  assert.deepEqual(helper.annotations.acquires, ['&c->state_lock']);
  const family = s.get('family')!;
  const [parent, child] = family.acquisitions;
  assert.equal(parent!.lock.class, 'device.mutex');
  assert.equal(child!.lock.class, 'device.mutex');
  assert.notEqual(parent!.lock.instance, child!.lock.instance, 'same class, other instance');
  assert.deepEqual(names(child!.held), ['dev->parent->mutex']);
  const each = s.get('each')!;
  assert.deepEqual(exits(each), ['end: -']);
  assert.ok(each.acquisitions.every((a) => a.held.length === 0), 'never taken while already held');
});

test('summary: the shapes of mdev_device_remove and pci_reset_function (acceptance 2)', async () => {
  const s = await summaries(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'summaries', 'mdev-pci-shapes.c'), 'utf8'));
  const remove = s.get('mdev_device_remove')!;
  assert.deepEqual(remove.acquisitions.map((a) => [a.lock.class, a.lock.mode, a.try]), [['mdev_parent.unreg_sem', 'shared', true]]);
  assert.deepEqual(remove.releases.map((r) => [r.lock.class, r.heldOnSomePath, r.unheldOnSomePath]), [['mdev_parent.unreg_sem', true, false]]);
  assert.deepEqual(exits(remove), ['-ENODEV: -', '0: -']);
  const reset = s.get('pci_reset_function')!;
  const locked = reset.calls.filter((c) => c.callee === '__pci_reset_function_locked');
  assert.ok(locked.length > 0 && locked.every((c) => c.held.some((h) => h.class === 'device.mutex' && h.instance === 'dev->dev.mutex')));
  assert.deepEqual(exits(reset), ['rc: -'], 'the bridge is unlocked exactly when it was locked');
});
