// Edge cases of the normaliser found in review and on the kernel tree: each once broke a parse
// that was clean, or rewrote text that was not code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstError, normalised, ready } from '../helpers';
import { normalise } from '../../server/src/engine/source/normalise';
import { defaultIdioms, extendIdioms } from '../../server/src/engine/source/idioms';
import { emptyCoverage, measureFile } from '../../server/src/engine/source/coverage';
import { parseC } from '../../server/src/engine/source/parser';

function functionNames(text: string): string[] {
  const tree = parseC(text);
  const names = tree.rootNode.descendantsOfType('function_declarator').map((d) => d!.childForFieldName('declarator')!.text);
  tree.delete();
  return names;
}

test('do { } while_each_thread(g, t); ends a loop and the rest of the file survives', async () => {
  await ready;
  const code = 'void a(void)\n{\n\tdo_each_thread(g, t) {\n\t\tx(t);\n\t} while_each_thread(g, t);\n\tdo_each_subsys_mask(ss, id, m) {\n\t\ty(ss);\n\t} while_each_subsys_mask();\n}\n\nint b(void)\n{\n\treturn 0;\n}\n';
  const text = normalised(code);
  assert.equal(firstError(text), undefined, text);
  assert.deepEqual(functionNames(text), ['a', 'b']);
  assert.match(text, /\} while {12}\(g, t\);/);
  assert.match(text, /\} while\(0\) {16};/);
});

test('a directive continued over lines pairs with its own #endif', async () => {
  await ready;
  const code = '#ifdef OUTER\nint f(void)\n{\n#if defined(A) || \\\n    defined(B)\n\treturn 1;\n#else\n\treturn 2;\n#endif\n}\n#endif\n';
  const text = normalised(code);
  assert.equal(text, code, 'balanced: nothing to prune');
  assert.equal(firstError(text), undefined);
});

test('a block comment opened on a #if 0 line is not cut in half', async () => {
  await ready;
  const code = 'int before(void) { return 0; }\n#if 0\t/* why\n * not */\ndead();\n#endif\nint after(void) { return 1; }\n';
  const text = normalised(code);
  assert.equal(firstError(text), undefined, text);
  assert.deepEqual(functionNames(text), ['before', 'after']);
  assert.ok(!text.includes('dead'));
});

test('at file scope a macro call before #ifdef does not make it a split statement', async () => {
  await ready;
  const code = 'subsys_initcall(oom_init)\n#ifdef CONFIG_A\nstatic void a(void) { }\n#else\nstatic void b(void) { }\n#endif\n';
  const text = normalised(code);
  assert.equal(text, code, 'both branches kept');
});

test('CRLF files: directives are recognised and continuation lines respected', async () => {
  await ready;
  const split = 'void m(int a)\r\n{\r\n#ifdef CONFIG_X\r\n\tif (a) {\r\n\t\tone();\r\n\t} else\r\n#endif\r\n\t\ttwo();\r\n}\r\n';
  assert.equal(firstError(normalised(split)), undefined);
  const define = '#define walk(h) \\\r\n\tlist_for_each_entry(p, h, node) {\\\r\n\t}\r\n';
  assert.equal(normalised(define), define, 'nothing rewritten inside a #define body');
});

test('directive-looking lines inside comments are not directives', async () => {
  await ready;
  const code = '/*\n#if 0\n*/\nint x;\nint f(void) { return x; }\n/*\n#endif\n*/\n';
  assert.equal(normalised(code), code);
});

test('idiom names are left alone where they are defined, tested or used as fields', async () => {
  await ready;
  const code = '#define __iomem\n#ifndef __rcu\n#define __rcu\n#endif\n#if defined(__user)\n#endif\nint g(struct s *p) { return p->__head; }\n';
  assert.equal(normalised(code), code);
});

test('a function named like an iterator keeps its body', async () => {
  await ready;
  const code = 'int bus_for_each_dev(const struct bus_type *bus, void *data) {\n\treturn 0;\n}\n';
  assert.equal(normalised(code), code);
});

test('coverage counts definitions a rewrite swallows, not only those with errors', async () => {
  await ready;
  const code = 'static int f(void)\n{\n\treturn 0;\n}\nstatic int g(void)\n{\n\treturn 1;\n}\n';
  const fine = emptyCoverage();
  measureFile(code, fine);
  assert.equal(fine.lostFunctions, 0);
  // A bad idiom entry that blanks `f(void)` makes f's definition vanish without an ERROR node.
  const bad = emptyCoverage();
  measureFile(code, bad, extendIdioms(defaultIdioms, { annotationCalls: ['f'] }), 'x.c');
  assert.equal(bad.lostFunctions, 1);
  assert.deepEqual(bad.lostExamples, ['x.c: f']);
});

test('a 20,000-line #define is one directive: nothing in it is rewritten', async () => {
  await ready;
  // (It also once took seconds: each macro walked back over every continuation line.)
  const body = Array.from({ length: 20000 }, (_, i) => `\tlist_for_each_entry(p${i}, h, n) { } \\`).join('\n');
  const code = `#define HUGE \\\n${body}\n\tdone()\n`;
  assert.equal(normalise(code).text, code);
});
