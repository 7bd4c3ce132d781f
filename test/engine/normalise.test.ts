import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstError, normalised, ready } from '../helpers';
import { normalise } from '../../server/src/engine/source/normalise';
import { extendIdioms, defaultIdioms } from '../../server/src/engine/source/idioms';
import { parseC, type SyntaxNode } from '../../server/src/engine/source/parser';

/**
 * Each idiom: raw Tree-sitter fails on it, the normalised text parses cleanly, has the same
 * length and line breaks, and every identifier of the normalised tree sits at the offset where the
 * original has the same name (or, for a joined type argument, the type it was joined from).
 */
const idioms: Record<string, { code: string; names: string[] }> = {
  annotations: {
    code: 'static int __init foo_init(void __iomem *base, char __user *buf, struct x __rcu *p)\n{\n\treturn 0;\n}\n',
    names: ['foo_init', 'base', 'buf', 'p'],
  },
  'weak and must_check': {
    code: 'int __weak __must_check arch_thing(struct device *dev)\n{\n\treturn 0;\n}\n',
    names: ['arch_thing', 'dev'],
  },
  '__free cleanup': {
    code: 'int f(void)\n{\n\tchar *buf __free(kfree) = kzalloc(16, GFP_KERNEL);\n\treturn buf ? 0 : -ENOMEM;\n}\n',
    names: ['buf', 'kzalloc'],
  },
  'container_of type argument': {
    code: 'static void rel(struct kref *kref)\n{\n\tstruct vfio_container *c = container_of(kref,\n\t\t\t\tstruct vfio_container, kref);\n\tkfree(c);\n}\n',
    names: ['rel', 'c', 'container_of', 'kfree'],
  },
  'offsetofend type argument': {
    code: 'long g(void)\n{\n\tunsigned long minsz = offsetofend(struct vfio_info, flags);\n\treturn minsz;\n}\n',
    names: ['minsz', 'offsetofend'],
  },
  'min_t with a two-word type': {
    code: 'int h(int a, int b)\n{\n\treturn min_t(unsigned int, a, b);\n}\n',
    names: ['min_t', 'a', 'b'],
  },
  'case range': {
    code: "int k(int c)\n{\n\tswitch (c) {\n\tcase 'a' ... 'z':\n\t\treturn 1;\n\tcase 0x10 ... 0x1f:\n\t\treturn 2;\n\t}\n\treturn 0;\n}\n",
    names: ['k', 'c'],
  },
  'list_for_each_entry block': {
    code: 'void walk(struct list_head *head)\n{\n\tstruct item *it;\n\n\tlist_for_each_entry(it, head, node) {\n\t\tif (it->busy)\n\t\t\treturn;\n\t}\n}\n',
    names: ['walk', 'list_for_each_entry', 'it', 'head'],
  },
  'iterator heading a single statement': {
    code: 'void walk2(struct list_head *head)\n{\n\tstruct item *it;\n\n\tlist_for_each_entry(it, head, node)\n\t\tput_item(it);\n}\n',
    names: ['walk2', 'list_for_each_entry', 'put_item'],
  },
  'scoped_guard block': {
    code: 'void s(struct foo *f)\n{\n\tscoped_guard(mutex, &f->lock) {\n\t\tf->count++;\n\t}\n}\n',
    names: ['s', 'scoped_guard', 'f'],
  },
  'static DECLARE_WORK': {
    code: 'static void fn(struct work_struct *w);\nstatic DECLARE_WORK(resume_work, fn);\n',
    names: ['DECLARE_WORK', 'resume_work', 'fn'],
  },
  'function head split by #ifdef': {
    code: '#ifdef CONFIG_PM\nstatic int suspend(struct device *dev, pm_message_t state)\n#else\nstatic int suspend(struct device *dev)\n#endif\n{\n\treturn 0;\n}\n',
    names: ['suspend', 'dev', 'state'],
  },
  'if/else split by #ifdef': {
    code: 'void m(int a)\n{\n#ifdef CONFIG_X\n\tif (a) {\n\t\tone();\n\t} else\n#endif\n\t\ttwo();\n}\n',
    names: ['m', 'one', 'two'],
  },
  'STATIC standing for static (XFS)': {
    code: 'STATIC int\nxfs_thing(struct xfs_mount *mp)\n{\n\treturn 0;\n}\n',
    names: ['xfs_thing', 'mp'],
  },
  'two string macros before a literal': {
    code: 'void p(void)\n{\n\tprintk(KERN_ERR PFX "bad %d\\n", 1);\n\tprintk(KERN_WARNING DRV_NAME\n\t       ": split\\n");\n}\n',
    names: ['p', 'printk'],
  },
  'a driver-local iterator, unknown by name, heading a block': {
    code: 'void q(struct adapter *adapter)\n{\n\tstruct be_eq_obj *eqo;\n\tint i;\n\n\tfor_all_evt_queues(adapter, eqo, i) {\n\t\tnapi_disable(&eqo->napi);\n\t}\n}\n',
    names: ['q', 'for_all_evt_queues', 'napi_disable'],
  },
  'static macro declaration with several arguments': {
    code: 'static ssize_t show(struct device *d, struct device_attribute *a, char *b);\nstatic DEVICE_ATTR(mode, 0644, show, NULL);\n',
    names: ['DEVICE_ATTR', 'mode', 'show'],
  },
  'label ending an #ifdef branch': {
    code: 'int r(void)\n{\n\tif (a())\n\t\tgoto fallback;\n#ifdef CONFIG_Z\n\treturn 1;\nfallback:\n#endif\n\treturn 0;\n}\n',
    names: ['r', 'a'],
  },
  'token-pasted number arguments': {
    code: 'bool v(struct dw_pcie *pci)\n{\n\treturn dw_pcie_ver_is_ge(pci, 480A) || mode(10000baseT_Full);\n}\n',
    names: ['v', 'dw_pcie_ver_is_ge', 'mode'],
  },
  'label before #ifdef': {
    code: 'int n(void)\n{\n\tif (x())\n\t\tgoto out;\n\treturn 0;\nout:\n#ifdef CONFIG_Y\n\tundo();\n#endif\n\treturn -1;\n}\n',
    names: ['n', 'undo'],
  },
};

function identifiers(node: SyntaxNode, out: SyntaxNode[] = []): SyntaxNode[] {
  if (/identifier$/.test(node.type)) out.push(node);
  for (const c of node.children) if (c) identifiers(c, out);
  return out;
}

for (const [name, { code, names }] of Object.entries(idioms)) {
  test(`normaliser: ${name} parses and keeps offsets`, async () => {
    await ready;
    assert.ok(firstError(code), `raw Tree-sitter should fail on this snippet (else it tests nothing)`);
    const text = normalised(code);
    assert.equal(text.length, code.length);
    assert.deepEqual([...text.matchAll(/\n/g)].map((m) => m.index), [...code.matchAll(/\n/g)].map((m) => m.index));
    assert.equal(firstError(text), undefined, `normalised text still has a syntax error:\n${text}`);
    const tree = parseC(text);
    const ids = identifiers(tree.rootNode);
    for (const n of ids) {
      const original = code.slice(n.startIndex, n.endIndex);
      const joined = original.replace(/[\s*]/g, '_').replace(/^\d/, '_');
      assert.ok(original === n.text || joined === n.text, `${n.text} maps back to "${original}"`);
    }
    for (const want of names) {
      const hit = ids.find((n) => n.text === want);
      assert.ok(hit, `identifier ${want} is in the tree`);
      const line = code.slice(0, code.indexOf(want, 0)).split('\n').length - 1;
      assert.ok(hit.startPosition.row >= line, `${want} keeps its line`);
    }
    tree.delete();
  });
}

test('normaliser: a function defined by a macro keeps its body (no `;` before a brace on its own line)', async () => {
  await ready;
  const code = 'SYSCALL_DEFINE2(foo, int, a, int, b)\n{\n\treturn 0;\n}\n\nvoid g(void)\n{\n\tdo_thing(1);\n\t{\n\t\tinner();\n\t}\n}\n';
  assert.equal(normalised(code), code);
});

test('normaliser: a type argument broken over lines keeps its line break', async () => {
  await ready;
  const code = 'void f(struct kobject *kobj)\n{\n\tstruct goal *g = container_of(kobj, struct\n\t\t\tgoal, kobj);\n}\n';
  const text = normalised(code);
  assert.equal(firstError(text), undefined);
  assert.equal(text.split('\n').length, code.split('\n').length);
  assert.ok(text.includes('container_of(kobj,       \n\t\t\tgoal, kobj)'));
});

test('normaliser: a joined type argument maps back to the type as written', async () => {
  await ready;
  const code = 'void f(struct kref *k)\n{\n\tstruct vfio_group *g = container_of(k, struct vfio_group, kref);\n}\n';
  const tree = parseC(normalised(code));
  const call = tree.rootNode.descendantsOfType('call_expression')[0]!;
  const arg = call.childForFieldName('arguments')!.namedChildren[1]!;
  assert.equal(arg.type, 'identifier');
  assert.equal(code.slice(arg.startIndex, arg.endIndex), 'struct vfio_group');
  tree.delete();
});

test('normaliser: both branches of a balanced #ifdef stay for the engine to walk', async () => {
  await ready;
  const code = 'void f(struct a *a)\n{\n#ifdef CONFIG_A\n\tmutex_lock(&a->x);\n#else\n\tmutex_lock(&a->y);\n#endif\n}\n';
  const text = normalised(code);
  assert.equal(text, code, 'nothing to rewrite');
  const tree = parseC(text);
  const calls = tree.rootNode.descendantsOfType('call_expression').map((c) => c!.text);
  assert.deepEqual(calls, ['mutex_lock(&a->x)', 'mutex_lock(&a->y)']);
  tree.delete();
});

test('normaliser: a split function keeps its first branch and drops only the other', async () => {
  await ready;
  const code = '#ifdef CONFIG_PM\nint s(struct device *dev, int state)\n#else\nint s(struct device *dev)\n#endif\n{\n\treturn 0;\n}\n';
  const { text, rewrites } = normalise(code);
  assert.ok(text.includes('int s(struct device *dev, int state)'));
  assert.ok(!text.includes('int s(struct device *dev)\n'));
  assert.ok(rewrites.every((r) => r.kind === 'conditional-branch'));
});

test('normaliser: #if 0 code is blanked, live code kept', async () => {
  await ready;
  const code = 'void f(void)\n{\n#if 0\n\tbroken(;\n#endif\n\tok();\n}\n';
  const text = normalised(code);
  assert.ok(!text.includes('broken'));
  assert.ok(text.includes('ok();'));
  assert.equal(firstError(text), undefined);
});

test('normaliser: C numbers are left alone, pasted ones become identifiers', async () => {
  await ready;
  const numbers = 'long x = 0x1fULL + 10 + 1.5 + 1.5e+3 + 0b101 + 07 + 1e10 + 2.f + 100u + 5UL + 0x1p-3;\n';
  assert.equal(normalised(numbers), numbers);
  assert.equal(normalised('f(480A, 5705_PLUS);\n'), 'f(_80A, _705_PLUS);\n');
});

test('normaliser: comments and strings are never rewritten', async () => {
  await ready;
  const code = 'const char *s = "__iomem list_for_each_entry(a, b, c) {";\n/* void __iomem *p; case 1 ... 2: */\n// container_of(x, struct y, z)\n';
  assert.equal(normalised(code), code);
});

test('normaliser: lock annotations are kept as rewrites for the lock model', async () => {
  await ready;
  const code = 'static void put(struct foo *f)\n\t__releases(&f->lock)\n{\n\tspin_unlock(&f->lock);\n}\n';
  const { rewrites } = normalise(code);
  const r = rewrites.find((x) => x.name === '__releases');
  assert.ok(r);
  assert.equal(code.slice(r.start, r.end), '__releases(&f->lock)');
});

test('normaliser: the idiom table is extensible', async () => {
  await ready;
  const code = 'int __my_annot f(void)\n{\n\tmy_iter(x) {\n\t\tg();\n\t}\n\treturn 0;\n}\n';
  assert.ok(firstError(normalised(code)));
  const table = extendIdioms(defaultIdioms, { annotations: ['__my_annot'], blockMacros: ['my_iter'] });
  assert.equal(firstError(normalise(code, table).text), undefined);
});
