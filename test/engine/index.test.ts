import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryTree, ready } from '../helpers';

const lockTypes = `
typedef struct raw_spinlock { int raw; } raw_spinlock_t;
typedef struct spinlock { struct raw_spinlock rlock; } spinlock_t;
struct mutex { long owner; };
struct rw_semaphore { long count; };
struct device { struct mutex mutex; struct device *parent; };
`;

test('index: field types resolve through typedefs, nested structs, anonymous members and pointers', async () => {
  await ready;
  const tree = await memoryTree({
    'include/linux/types.h': lockTypes,
    'drivers/x/x.c': `#include <linux/types.h>
struct ctrl {
	struct device dev;
	spinlock_t lock;
	struct {
		struct rw_semaphore reset_lock;
		union { int a; struct mutex *state_lock; };
	};
	struct slot { struct device *pdev; struct ctrl *ctrl; } slots[4];
};
typedef struct ctrl ctrl_t;
`,
  });
  const ix = tree.index;
  assert.deepEqual(tree.problems, []);
  assert.deepEqual(ix.resolve(ix.field('struct ctrl', 'lock')!.type), { base: 'struct spinlock', pointers: 0, arrays: 0 });
  assert.equal(ix.field({ base: 'ctrl_t', pointers: 1, arrays: 0 }, 'reset_lock')?.type.base, 'struct rw_semaphore');
  assert.deepEqual(ix.field('struct ctrl', 'state_lock')?.type, { base: 'struct mutex', pointers: 1, arrays: 0 });
  assert.deepEqual(ix.fieldPathType({ base: 'ctrl_t', pointers: 1, arrays: 0 }, ['dev', 'mutex']), { base: 'struct mutex', pointers: 0, arrays: 0 });
  assert.deepEqual(ix.field('struct ctrl', 'slots')?.type, { base: 'struct slot', pointers: 0, arrays: 1 });
  assert.deepEqual(ix.fieldPathType({ base: 'struct ctrl', pointers: 0, arrays: 0 }, ['slots', 'ctrl', 'dev', 'parent']), { base: 'struct device', pointers: 1, arrays: 0 });
  assert.equal(ix.field('struct ctrl', 'nonexistent'), undefined);
});

test('index: ops-table initializers and assignments bind functions to struct fields', async () => {
  await ready;
  const tree = await memoryTree({
    'include/linux/ops.h': `
struct mdev_parent_ops { int (*create)(void *); void (*remove)(void *); };
struct hotplug_slot_ops { int (*reset_slot)(void *, bool probe); };
struct hotplug_slot { const struct hotplug_slot_ops *ops; };
struct pci_driver { const char *name; struct { int (*prepare)(void); } pm; };
struct holder { struct mdev_parent_ops ops; };
`,
    'drivers/a.c': `#include <linux/ops.h>
static int a_create(void *p) { return 0; }
static void a_remove(void *p) { }
static const struct mdev_parent_ops a_ops = {
	.create = a_create,
	.remove = &a_remove,
};
static struct pci_driver drivers[] = {
	{ .name = "one", .pm = { .prepare = a_prepare } },
	{ .name = "two", .pm.prepare = b_prepare },
};
static struct holder h = { .ops = { .remove = a_remove } };
int a_prepare(void) { return 0; }
int b_prepare(void) { return 0; }
`,
    'drivers/hp.c': `#include <linux/ops.h>
static const struct hotplug_slot_ops *global_ops;
static int hp_reset(void *s, bool probe) { return 0; }
int hp_init(struct hotplug_slot *slot, struct hotplug_slot_ops *ops)
{
	int not_a_function = 3;
	ops->reset_slot = hp_reset;
	slot->ops->reset_slot = hp_reset;
	global_ops->reset_slot = hp_reset;
	ops->reset_slot = not_a_function;
	return 0;
}
`,
  });
  const ix = tree.index;
  const fns = (s: string, f: string) => ix.bindingsOf(s, f).map((b) => `${b.function}/${b.binding.via}`).sort();
  assert.deepEqual(fns('struct mdev_parent_ops', 'create'), ['a_create/initializer']);
  assert.deepEqual(fns('struct mdev_parent_ops', 'remove'), ['a_remove/initializer', 'a_remove/initializer']);
  assert.deepEqual(fns('struct pci_driver', 'prepare').length, 0, 'pm is an anonymous struct type, not pci_driver');
  const anon = ix.allBindings().filter((b) => b.field === 'prepare').map((b) => b.function).sort();
  assert.deepEqual(anon, ['a_prepare', 'b_prepare']);
  assert.deepEqual(fns('struct hotplug_slot_ops', 'reset_slot'), ['hp_reset/assignment', 'hp_reset/assignment', 'hp_reset/assignment']);
  const loc = ix.bindingsOf('struct hotplug_slot_ops', 'reset_slot')[0]!.binding.location;
  assert.equal(loc.file, '/k/drivers/hp.c');
  assert.equal(loc.line, 6, '0-based line of `ops->reset_slot = hp_reset`');
});

test('index: static functions with the same name in two files stay distinct', async () => {
  await ready;
  const tree = await memoryTree({
    'drivers/one.c': 'static int probe(void) { return 1; }\nint one(void) { return probe(); }\n',
    'drivers/two.c': 'static int probe(void) { return 2; }\nint two(void) { return probe(); }\n',
    'drivers/three.c': 'int probe(void);\nint three(void) { return probe(); }\n',
  });
  const ix = tree.index;
  assert.equal(ix.functionsNamed('probe').length, 3);
  assert.equal(ix.lookupFunction('probe', '/k/drivers/one.c')?.location.file, '/k/drivers/one.c');
  assert.equal(ix.lookupFunction('probe', '/k/drivers/two.c')?.location.file, '/k/drivers/two.c');
  assert.equal(ix.lookupFunction('probe', '/k/drivers/three.c'), undefined, 'no external definition exists');
  assert.equal(ix.functionsNamed('probe').find((f) => !f.isDefinition)?.location.file, '/k/drivers/three.c');
});

test('index: locks declared by macros are globals with their lock types', async () => {
  await ready;
  const tree = await memoryTree({
    'drivers/m.c': `
static DEFINE_MUTEX(mdev_list_lock);
DEFINE_SPINLOCK(global_lock);
static DECLARE_RWSEM(parent_sem);
DEFINE_STATIC_SRCU(dev_srcu);
static void resume_fn(struct work_struct *w) { }
static DECLARE_WORK(resume_work, resume_fn);
static struct mutex plain_lock;
extern struct mutex other_lock;
`,
  });
  const v = (n: string) => tree.index.lookupVariable(n, '/k/drivers/m.c');
  assert.deepEqual(
    ['mdev_list_lock', 'global_lock', 'parent_sem', 'dev_srcu', 'resume_work', 'plain_lock'].map((n) => [n, v(n)?.type.base, v(n)?.isStatic]),
    [
      ['mdev_list_lock', 'struct mutex', true],
      ['global_lock', 'spinlock_t', false],
      ['parent_sem', 'struct rw_semaphore', true],
      ['dev_srcu', 'struct srcu_struct', false],
      ['resume_work', 'struct work_struct', true],
      ['plain_lock', 'struct mutex', true],
    ],
  );
  assert.equal(v('resume_work')?.boundFunction, 'resume_fn');
  assert.equal(v('mdev_list_lock')?.macro, 'DEFINE_MUTEX');
  assert.equal(v('mdev_list_lock')?.location.line, 1);
  assert.equal(v('other_lock')?.isExtern, true);
});

test('index: headers are found from the file folder, include/ and arch/x86/include, each read once', async () => {
  await ready;
  const tree = await memoryTree(
    {
      'include/linux/device.h': '#include <linux/mutex.h>\nstruct device { struct mutex mutex; };\n',
      'include/linux/mutex.h': 'struct mutex { long owner; };\n',
      'arch/x86/include/asm/irqflags.h': 'static inline void arch_local_irq_disable(void) { }\n',
      'include/uapi/linux/vfio.h': 'struct vfio_info { int flags; };\n',
      'drivers/vfio/local.h': 'struct local { struct device *dev; };\n',
      'drivers/vfio/a.c': '#include <linux/device.h>\n#include <asm/irqflags.h>\n#include <linux/vfio.h>\n#include "local.h"\n#include <linux/generated.h>\n',
      'drivers/vfio/b.c': '#include <linux/device.h>\n#include "local.h"\n',
    },
    ['drivers/vfio/a.c', 'drivers/vfio/b.c'],
  );
  assert.deepEqual([...tree.symbols.keys()].sort(), [
    '/k/arch/x86/include/asm/irqflags.h',
    '/k/drivers/vfio/a.c',
    '/k/drivers/vfio/b.c',
    '/k/drivers/vfio/local.h',
    '/k/include/linux/device.h',
    '/k/include/linux/mutex.h',
    '/k/include/uapi/linux/vfio.h',
  ]);
  assert.deepEqual(tree.problems, [], 'a missing generated header is not a problem');
  assert.equal(tree.index.fieldPathType({ base: 'struct local', pointers: 0, arrays: 0 }, ['dev', 'mutex'])?.base, 'struct mutex');
  assert.ok(tree.index.lookupFunction('arch_local_irq_disable', '/k/drivers/vfio/a.c'), 'static inline from a header');
});

test('index: a file that cannot be read or parsed is reported with its reason and skipped', async () => {
  await ready;
  const tree = await memoryTree({
    'drivers/good.c': 'int good(void) { return 0; }\n',
    'drivers/binary.c': 'int x;\0\0\0garbage',
    'drivers/broken.c': 'int broken(void) { return (; }\n int after(void) { return 1; }\n',
  }, ['drivers/binary.c', 'drivers/good.c', 'drivers/missing.c', 'drivers/broken.c']);
  assert.deepEqual(tree.problems, [
    { file: '/k/drivers/binary.c', reason: 'cannot parse: binary content (NUL bytes), not C source' },
    { file: '/k/drivers/missing.c', reason: 'cannot read: no such file' },
  ]);
  assert.ok(tree.index.lookupFunction('good', '/k/drivers/good.c'));
  const broken = tree.index.functionsNamed('broken')[0];
  assert.equal(broken?.hasSyntaxError, true, 'a syntax error is marked, not fatal');
  assert.ok(tree.index.lookupFunction('after', '/k/drivers/broken.c'), 'code after the error is still indexed');
});

test('index: two .c files with their own private struct of one name keep their own fields', async () => {
  await ready;
  const tree = await memoryTree({
    'include/linux/ops.h': 'struct ops_a { int (*open)(void); };\nstruct ops_b { int (*open)(void); };\n',
    'drivers/a.c': '#include <linux/ops.h>\nstruct priv { struct ops_a *ops; };\nstatic int a_open(void) { return 0; }\nvoid a_init(struct priv *p) { p->ops->open = a_open; }\n',
    'drivers/b.c': '#include <linux/ops.h>\nstruct priv { struct ops_b *ops; };\nstatic int b_open(void) { return 0; }\nvoid b_init(struct priv *p) { p->ops->open = b_open; }\n',
  });
  const fns = (s: string) => tree.index.bindingsOf(s, 'open').map((b) => b.function);
  assert.deepEqual(fns('struct ops_a'), ['a_open']);
  assert.deepEqual(fns('struct ops_b'), ['b_open']);
  assert.equal(tree.index.field('struct priv', 'ops', '/k/drivers/b.c')?.type.base, 'struct ops_b');
});

test('index: assignments resolve their receiver by C block scoping', async () => {
  await ready;
  const tree = await memoryTree({
    'drivers/s.c': `struct a_ops { int (*open)(void); };
struct b_ops { int (*open)(void); };
static struct b_ops *ops;
static int fa(void) { return 0; }
static int fb(void) { return 1; }
void init(int which)
{
	ops->open = fb;
	if (which) {
		struct a_ops *o = 0;
		o->open = fa;
	} else {
		struct b_ops *o = 0;
		o->open = fb;
	}
	{
		struct a_ops *ops = 0;
		ops->open = fa;
	}
}
`,
  });
  const fns = (s: string) => tree.index.bindingsOf(s, 'open').map((b) => b.function).sort();
  assert.deepEqual(fns('struct a_ops'), ['fa', 'fa']);
  assert.deepEqual(fns('struct b_ops'), ['fb', 'fb']);
});

test('index: a definition after a static prototype is static; a call finds its own file first', async () => {
  await ready;
  const tree = await memoryTree({
    'drivers/c.c': 'static int foo(void);\nint foo(void) { return 1; }\n',
    'drivers/d.c': 'int foo(void) { return 2; }\nint use(void) { return foo(); }\n',
  });
  const c = tree.index.functionsNamed('foo').find((f) => f.isDefinition && f.location.file === '/k/drivers/c.c');
  assert.equal(c?.isStatic, true);
  assert.equal(tree.index.lookupFunction('foo', '/k/drivers/d.c')?.location.file, '/k/drivers/d.c');
  assert.equal(tree.index.lookupFunction('foo', '/k/drivers/e.c')?.location.file, '/k/drivers/d.c', 'the external one');
});
