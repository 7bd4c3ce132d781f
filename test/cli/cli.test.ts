// The lockreview command as a user runs it: exit codes, output formats, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = path.resolve(__dirname, '..', '..', '..', 'bin', 'lockreview.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempTree(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

test('check: JSON output has the DESIGN.md shape; the root is found from include/linux', () => {
  const dir = tempTree({
    'include/linux/mutex.h': 'struct mutex { long owner; };\n',
    'drivers/foo/foo.c': '#include <linux/mutex.h>\nstatic int a(void) { return 0; }\nint b(void) { return a(); }\n',
  });
  const r = run(['check', '--format', 'json', 'drivers/foo'], dir);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out, { version: 1, root: fs.realpathSync(dir), files: 1, functions: 2, findings: [], skipped: [] });
});

test('check: a file that cannot be parsed is reported by name and the run goes on', () => {
  const dir = tempTree({
    'include/linux/x.h': '',
    'drivers/ok.c': 'int ok(void) { return 0; }\n',
    'drivers/blob.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]),
  });
  const r = run(['check', 'drivers'], dir);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /drivers\/blob\.c: warning: skipped: cannot parse: binary content \(NUL bytes\), not C source/);
  assert.match(r.stdout, /0 findings in 2 files \(1 functions\)/);
});

test('check: usage and input errors exit with 2 and say what is wrong', () => {
  const dir = tempTree({ 'a.c': 'int a;\n' });
  const missing = run(['check', 'nope.c'], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.c: no such file or directory/);
  const format = run(['check', '--format', 'xml', 'a.c'], dir);
  assert.equal(format.status, 2);
  assert.match(format.stderr, /--format xml: expected text or json/);
  const option = run(['check', '--frobnicate', 'a.c'], dir);
  assert.equal(option.status, 2);
  assert.match(option.stderr, /frobnicate/);
  const command = run(['frobnicate'], dir);
  assert.equal(command.status, 2);
  assert.match(command.stderr, /unknown command: frobnicate/);
  const root = run(['check', '--root', 'nowhere', 'a.c'], dir);
  assert.equal(root.status, 2);
  assert.match(root.stderr, /--root nowhere: not a directory/);
});

test('parse-stats: prints raw and normalised coverage for the files', () => {
  const dir = tempTree({
    'd/a.c': 'static int __init a(void __iomem *p)\n{\n\treturn 0;\n}\nint b(void) { return 1; }\n',
  });
  const r = run(['parse-stats', 'd'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /raw Tree-sitter: 2 function definitions, 1 with ERROR\/MISSING \(50\.00%\)/);
  assert.match(r.stdout, /normalised: +2 function definitions, 0 with ERROR\/MISSING \(0\.00%\)/);
});

test('lockreview.json: idioms extend the normaliser; a bad file is a clear input error', () => {
  const code = 'int f(void __vendor_annot *p)\n{\n\treturn 0;\n}\n';
  const dir = tempTree({ 'include/linux/x.h': '', 'a.c': code });
  assert.match(run(['parse-stats', 'a.c'], dir).stdout, /normalised: +1 function definitions, 1 with ERROR/);
  fs.writeFileSync(path.join(dir, 'lockreview.json'), JSON.stringify({ idioms: { annotations: ['__vendor_annot'] } }));
  assert.match(run(['parse-stats', 'a.c'], dir).stdout, /normalised: +1 function definitions, 0 with ERROR/);

  fs.writeFileSync(path.join(dir, 'lockreview.json'), JSON.stringify({ idioms: { annotations: ['ok', 'not an identifier'] } }));
  const bad = run(['check', 'a.c'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /lockreview\.json: idioms\.annotations\[1\]: expected a C identifier, got "not an identifier"/);
  fs.writeFileSync(path.join(dir, 'lockreview.json'), '{ "idioms": ');
  const broken = run(['check', 'a.c'], dir);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /lockreview\.json: not valid JSON/);
});

test('check: an include name too long for the file system and a symlink loop are no crash', () => {
  const dir = tempTree({
    'include/linux/x.h': '',
    'drivers/a.c': `#include "${'a'.repeat(300)}.h"\n#include <linux/x.h>\nint a(void) { return 0; }\n`,
  });
  fs.symlinkSync('.', path.join(dir, 'drivers', 'self'));
  const r = run(['check', '--format', 'json', 'drivers'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).files, 1);
});

test('lockreview.json: a driver\'s own lock wrappers join the catalog', () => {
  const code = '#include <linux/x.h>\nstruct nic { struct mutex lock; };\nint op(struct nic *n)\n{\n\tnic_lock(n);\n\tif (!n)\n\t\treturn -ENODEV;\n\tnic_unlock(n);\n\treturn 0;\n}\n';
  const dir = tempTree({ 'include/linux/x.h': 'struct mutex { long owner; };\n', 'a.c': code });
  assert.equal(run(['check', 'a.c'], dir).status, 0, 'unknown wrappers: nothing to see');
  fs.writeFileSync(path.join(dir, 'lockreview.json'), JSON.stringify({
    catalog: {
      nic_lock: [{ kind: 'acquire', arg: 0, path: ['lock'], primitive: 'mutex', mode: 'exclusive' }],
      nic_unlock: [{ kind: 'release', arg: 0, path: ['lock'], primitive: 'mutex' }],
    },
  }));
  const r = run(['check', 'a.c'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /a\.c:7:3: warning: op\(\) returns with nic\.lock \(n->lock\) held on this path; other paths release it \[lock-imbalance\]/);
  fs.writeFileSync(path.join(dir, 'lockreview.json'), JSON.stringify({ catalog: { nic_lock: 'no_such_primitive' } }));
  const bad = run(['check', 'a.c'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /catalog\.nic_lock: "no_such_primitive" is no function the catalog knows/);
});

const examples = path.resolve(__dirname, '..', '..', '..', 'examples');

test('graph: JSON names both classes of seed 003 and marks their cycle on nodes and edges', () => {
  const r = run(['graph', '--format', 'json', path.join(examples, '003-pciehp-reset', 'buggy')], process.cwd());
  assert.equal(r.status, 0, r.stderr);
  const g = JSON.parse(r.stdout);
  assert.deepEqual(g.cycles, [['controller.reset_lock', 'device.mutex']]);
  const cyclic = g.edges.filter((e: { inCycle: boolean }) => e.inCycle).map((e: { from: string; to: string }) => `${e.from} -> ${e.to}`).sort();
  assert.deepEqual(cyclic, ['controller.reset_lock -> device.mutex', 'device.mutex -> controller.reset_lock']);
  const reset = g.edges.find((e: { from: string; to: string }) => e.from === 'device.mutex' && e.to === 'controller.reset_lock');
  assert.equal(reset.chain.at(-1).function, 'pciehp_reset_slot');
  assert.ok(g.nodes.some((n: { id: string; inCycle: boolean }) => n.id === 'controller.reset_lock' && n.inCycle));
  const fixed = JSON.parse(run(['graph', '--format', 'json', path.join(examples, '003-pciehp-reset', 'fixed')], process.cwd()).stdout);
  assert.deepEqual(fixed.cycles, []);
  assert.ok(fixed.edges.every((e: { inCycle: boolean }) => !e.inCycle));
});

test('graph: DOT output is read by Graphviz, with the cycle drawn red', () => {
  const r = run(['graph', path.join(examples, '003-pciehp-reset', 'buggy')], process.cwd());
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"controller\.reset_lock" -> "device\.mutex" \[[^\]]*color=red/);
  const dot = spawnSync('dot', ['-Tjson'], { input: r.stdout, encoding: 'utf8' });
  assert.equal(dot.status, 0, dot.stderr);
  const names = JSON.parse(dot.stdout).objects.map((o: { name: string }) => o.name);
  assert.ok(names.includes('controller.reset_lock') && names.includes('device.mutex'), names.join(', '));
});

test('graph: SVG laid out by Graphviz names both classes of seed 003 and marks their cycle', () => {
  const r = run(['graph', '--format', 'svg', path.join(examples, '003-pciehp-reset', 'buggy')], process.cwd());
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^<\?xml[\s\S]*<svg [\s\S]*<\/svg>\s*$/);
  // Each node and edge is a group with its title; those on the cycle are of class `cycle`.
  const groups = [...r.stdout.matchAll(/<g id="[^"]*" class="(node|edge)( cycle)?">\s*<title>([^<]*)<\/title>/g)]
    .map((m) => `${m[1]}${m[2] ?? ''} ${m[3]!.replace(/&#45;&gt;/g, '->')}`).sort();
  assert.ok(groups.includes('node cycle controller.reset_lock'), groups.join('\n'));
  assert.ok(groups.includes('node cycle device.mutex'), groups.join('\n'));
  assert.deepEqual(groups.filter((g) => g.startsWith('edge cycle')), ['edge cycle controller.reset_lock->device.mutex', 'edge cycle device.mutex->controller.reset_lock']);
  assert.ok(groups.includes('node vfio_pci_core_device.memory_lock'), 'a class off the cycle is not marked');
  const fixed = run(['graph', '--format', 'svg', path.join(examples, '003-pciehp-reset', 'fixed')], process.cwd());
  assert.doesNotMatch(fixed.stdout, /class="(node|edge) cycle"/);
});

test('graph: --focus keeps the neighbourhood of the classes named; a bad format is a usage error', () => {
  const r = run(['graph', '--format', 'json', '--focus', 'memory_lock', path.join(examples, '003-pciehp-reset', 'buggy')], process.cwd());
  const ids = JSON.parse(r.stdout).nodes.map((n: { id: string }) => n.id).sort();
  assert.deepEqual(ids, ['controller.reset_lock', 'vfio_pci_core_device.memory_lock']);
  const bad = run(['graph', '--format', 'png', path.join(examples, '003-pciehp-reset', 'buggy')], process.cwd());
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format png: expected dot, json or svg/);
});

test('check --checks: only the checks named run; an unknown name is a usage error naming it', () => {
  const fixture = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'graph', 'sleep.c');
  const codes = (args: string[]) => {
    const r = run(['check', '--format', 'json', ...args, fixture], process.cwd());
    return { status: r.status, codes: new Set(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code)), count: JSON.parse(r.stdout).findings.length };
  };
  const all = codes([]);
  assert.deepEqual([...all.codes], ['sleep-in-atomic']);
  assert.equal(codes(['--checks', 'sleep-in-atomic,wait-under-lock']).count, all.count);
  const none = codes(['--checks', 'lock-inversion,wait-under-lock']);
  assert.equal(none.count, 0);
  assert.equal(none.status, 0);
  const bad = run(['check', '--checks', 'lock-inversion,sleeping', fixture], process.cwd());
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--checks lock-inversion,sleeping: unknown sleeping \(known: .*sleep-in-atomic/);
});

test('check --format json: each finding carries its fixes as edits (1-based), as the editor offers them', () => {
  const r = run(['check', '--format', 'json', path.resolve(__dirname, '..', '..', '..', 'examples', '003-pciehp-reset', 'buggy')], process.cwd());
  const [f] = JSON.parse(r.stdout).findings as { fixes: { title: string; edits: { file: string; start: { line: number }; newText: string }[] }[] }[];
  const fix = f!.fixes.find((x) => x.title.startsWith('Release &ctrl->reset_lock around pci_stop_and_remove_bus_device()'));
  assert.ok(fix, JSON.stringify(f!.fixes.map((x) => x.title)));
  assert.equal(fix.edits[0]!.file, 'examples/003-pciehp-reset/buggy/pciehp_ctrl.c');
  assert.equal(fix.edits[0]!.start.line, 28);
  assert.match(fix.edits[0]!.newText, /^up_read\(&ctrl->reset_lock\);\n\t\tpci_stop_and_remove_bus_device\(dev\);\n\t\tdown_read\(&ctrl->reset_lock\);$/);
  assert.equal(f!.fixes.at(-1)!.title, 'Ignore lock-inversion on this line');
});

test('check --write-baseline, then --baseline: the same tree reports nothing; a new inversion alone is reported; a bad file is named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-baseline-'));
  try {
    fs.cpSync(path.join(examples, 'include'), path.join(dir, 'include'), { recursive: true });
    const tree = path.join(dir, 'scenario', 'buggy');
    fs.cpSync(path.join(examples, '003-pciehp-reset', 'buggy'), tree, { recursive: true });
    const baseline = path.join(dir, 'baseline.json');
    const first = run(['check', '--write-baseline', baseline, tree], dir);
    assert.equal(first.status, 1, 'the finding is still reported when the baseline is written');
    const written = JSON.parse(fs.readFileSync(baseline, 'utf8'));
    assert.deepEqual(written.findings, [{ code: 'lock-inversion', locks: ['controller.reset_lock', 'device.mutex'], file: 'scenario/buggy/pciehp_hpc.c', function: 'pciehp_reset_slot' }]);
    const again = run(['check', '--baseline', baseline, tree], dir);
    assert.equal(again.status, 0, again.stdout);
    assert.match(again.stdout, /^0 findings in/m);
    // Lines moved above it: still the same finding. A new inversion in another function: reported alone.
    const hpc = path.join(tree, 'pciehp_hpc.c');
    fs.writeFileSync(hpc, `/* moved */\n/* down */\n${fs.readFileSync(hpc, 'utf8')}`);
    const vfio = path.join(tree, 'vfio_pci.c');
    fs.appendFileSync(vfio, '\nvoid lockreview_test_inversion(struct vfio_pci_core_device *vdev, struct controller *ctrl)\n{\n\tdown_write(&ctrl->reset_lock);\n\tdown_write(&vdev->memory_lock);\n\tup_write(&vdev->memory_lock);\n\tup_write(&ctrl->reset_lock);\n}\n');
    const after = run(['check', '--format', 'json', '--baseline', baseline, tree], dir);
    const found = JSON.parse(after.stdout).findings.map((f: { code: string; file: string; locks: string[] }) => `${f.code} ${path.basename(f.file)} ${f.locks.join(' ')}`);
    assert.deepEqual(found, ['lock-inversion vfio_pci.c controller.reset_lock vfio_pci_core_device.memory_lock']);
    fs.writeFileSync(baseline, '{"version": 2}');
    const bad = run(['check', '--baseline', baseline, tree], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--baseline .*baseline\.json: not a lockreview baseline/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
