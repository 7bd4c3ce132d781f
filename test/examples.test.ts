// The bundled examples (examples/README.md): our own C reproducing the seeds' scenarios, each
// variant a tree of its own. The front end must read all of them cleanly, every file must state
// its expected findings, every scenario must have a fixed twin expecting none, and for every check
// that exists, the findings must be exactly those expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checks } from '../server/src/engine/checks/registry';
import type { FindingCode } from '../server/src/engine/findings';
import { review } from '../server/src/engine/review';
import { listSourceFiles } from '../server/src/engine/workspace';
import { FileSystemReader } from '../server/src/host/fsReader';
import { assertBothChains, firstError, normalised, ready } from './helpers';
import { exampleVariants, expectComments } from '../scripts/examples';

const examples = path.resolve(__dirname, '..', '..', 'examples');
const reader = new FileSystemReader();
const CODES: readonly FindingCode[] = [
  'lock-inversion', 'recursive-lock', 'lock-imbalance', 'unlock-unheld', 'missing-lock',
  'srcu-imbalance', 'srcu-mismatch', 'srcu-self-deadlock', 'srcu-deadlock',
  'srcu-unprotected-deref', 'sleep-in-atomic', 'wait-under-lock',
];

interface Expectation {
  readonly file: string;
  readonly code: FindingCode;
  readonly locks: readonly string[];
}

/** `/* expect: CODE LOCK... *\/` lines; `/* expect: none *\/` says the file expects nothing. */
function expectations(file: string): Expectation[] | 'none' | undefined {
  const lines = expectComments(fs.readFileSync(file, 'utf8')).map((e) => e.text);
  if (lines.length === 0) return undefined;
  if (lines.length === 1 && lines[0] === 'none') return 'none';
  return lines.map((l) => {
    const [code, ...locks] = l.split(/\s+/);
    assert.ok(CODES.includes(code as FindingCode), `${file}: unknown finding code "${code}"`);
    return { file, code: code as FindingCode, locks: locks.sort() };
  });
}

const all = exampleVariants(examples);

test('examples: one folder per seed, each with a buggy and a fixed variant', () => {
  const scenarios = fs.readdirSync(examples).filter((d) => /^\d{3}-/.test(d)).sort();
  assert.deepEqual(scenarios.map((s) => s.slice(0, 3)), ['000', '001', '002', '003', '004']);
  for (const s of scenarios) {
    const vs = all.filter((v) => v.startsWith(path.join(examples, s) + path.sep)).map((v) => path.basename(v));
    assert.ok(vs.includes('buggy') && vs.includes('fixed'), `${s} has ${vs.join(', ')}`);
  }
});

test('examples: the front end reads every file without a syntax error', async () => {
  await ready;
  const files = listSourceFiles(examples, reader);
  assert.ok(files.length > 20);
  for (const f of files) assert.equal(firstError(normalised(reader.readFile(f))), undefined, f);
});

test('examples: every .c states its expectations; fixed twins expect none, buggy ones some', () => {
  for (const v of all) {
    const files = listSourceFiles(v, reader).filter((f) => f.endsWith('.c'));
    const stated = files.map((f) => [f, expectations(f)] as const);
    for (const [f, e] of stated) assert.ok(e !== undefined, `${f} has no /* expect: … */ line`);
    const findings = stated.flatMap(([, e]) => (e === 'none' ? [] : e!));
    if (path.basename(v) === 'fixed') assert.deepEqual(findings, [], `${v} is a fixed twin`);
    if (path.basename(v) === 'buggy') assert.ok(findings.length > 0, `${v} expects a finding`);
  }
});

for (const v of all) {
  test(`examples: ${path.relative(examples, v)} gives exactly the expected findings of the checks that exist`, async () => {
    const implemented = new Set(checks.map((c) => c.code));
    const files = listSourceFiles(v, reader);
    const result = await review(files, { root: v, reader });
    assert.deepEqual(result.tree.problems, []);
    const expected = files
      .filter((f) => f.endsWith('.c'))
      .flatMap((f) => { const e = expectations(f); return e === 'none' || !e ? [] : e; })
      .filter((e) => implemented.has(e.code))
      .map((e) => `${path.basename(e.file)} ${e.code} ${e.locks.join(' ')}`)
      .sort();
    const actual = result.findings
      .map((f) => `${path.basename(f.file)} ${f.code} ${[...f.locks].sort().join(' ')}`)
      .sort();
    assert.deepEqual(actual, expected);
    for (const f of result.findings.filter((x) => x.code === 'lock-inversion' || x.code === 'srcu-deadlock')) assertBothChains(f);
  });
}
