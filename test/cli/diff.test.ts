// `lockreview diff` on a small git repository the test builds from seed 000: a commit that adds
// the call closing the cycle is one new dependency and one new lock-inversion (both chains); its
// reverse removes both; a rename changes nothing; the same change as a patch file gives the same
// answer as the commit. The checkout is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(repo, 'bin', 'lockreview.js');
const CALL = '\tnxe_sf_parent_unregister(ndev);\n';

interface DiffJson {
  dependencies: { added: { from: string; to: string; kind: string; chain: unknown[] }[]; removed: { from: string; to: string; kind: string }[] };
  findings: { new: { code: string; locks: string[]; related: { message: string }[] }[]; gone: { code: string; locks: string[] }[] };
}

function gitRepo(): { dir: string; commits: Record<'base' | 'call' | 'reverse' | 'rename', string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-diff-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q');
  git('config', 'user.email', 'test@example.org');
  git('config', 'user.name', 'test');
  fs.cpSync(path.join(repo, 'examples', 'include'), path.join(dir, 'include'), { recursive: true });
  fs.cpSync(path.join(repo, 'examples', '000-mdev-devlink', 'buggy'), path.join(dir, 'mdev'), { recursive: true });
  const main = path.join(dir, 'mdev', 'nxe_main.c');
  const full = fs.readFileSync(main, 'utf8');
  assert.ok(full.includes(CALL));
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  fs.writeFileSync(main, full.replace(CALL, ''));
  const base = commit('nxe: leave switchdev mode without unregistering the SF parent');
  fs.writeFileSync(main, full);
  const call = commit('nxe: unregister the SF parent when leaving switchdev mode');
  fs.writeFileSync(main, full.replace(CALL, ''));
  const reverse = commit('Revert "nxe: unregister the SF parent when leaving switchdev mode"');
  // On top of `call`: only a local name changes.
  git('checkout', '-q', call);
  fs.writeFileSync(main, full.replace('static void nxe_esw_offloads_disable(struct nxe_dev *ndev)\n{', 'static void nxe_esw_offloads_disable(struct nxe_dev *nd)\n{\n\tstruct nxe_dev *ndev = nd;\n'));
  const rename = commit('nxe: rename a parameter');
  git('checkout', '-q', reverse);
  return { dir, commits: { base, call, reverse, rename } };
}

const diff = (dir: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, 'diff', '--format', 'json', ...args], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return { status: r.status, json: JSON.parse(r.stdout) as DiffJson };
};

test('diff: the call that closes seed 000\'s cycle is one new dependency and one new inversion; its reverse removes them; a rename is nothing', () => {
  const { dir, commits } = gitRepo();
  try {
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
    const adds = diff(dir, commits.base, commits.call);
    assert.equal(adds.status, 1, 'a new finding: exit 1');
    assert.deepEqual(adds.json.dependencies.added.map((d) => `${d.from} -> ${d.to} ${d.kind}`), ['devlink_mutex -> mdev_parent.unreg_sem EN']);
    assert.deepEqual(adds.json.dependencies.removed, []);
    assert.deepEqual(adds.json.findings.new.map((f) => `${f.code} ${f.locks.join(' ')}`), ['lock-inversion devlink_mutex mdev_parent.unreg_sem']);
    assert.deepEqual(adds.json.findings.gone, []);
    const related = adds.json.findings.new[0]!.related.map((r) => r.message);
    assert.ok(related.some((m) => m.startsWith('[devlink_mutex -> mdev_parent.unreg_sem]')) && related.some((m) => m.startsWith('[mdev_parent.unreg_sem -> devlink_mutex]')), 'both chains');
    assert.ok(adds.json.dependencies.added[0]!.chain.length >= 4, 'the new dependency with its chain');

    const removes = diff(dir, commits.call, commits.reverse);
    assert.equal(removes.status, 0);
    assert.deepEqual(removes.json.dependencies.removed.map((d) => `${d.from} -> ${d.to} ${d.kind}`), ['devlink_mutex -> mdev_parent.unreg_sem EN']);
    assert.deepEqual(removes.json.findings.gone.map((f) => `${f.code} ${f.locks.join(' ')}`), ['lock-inversion devlink_mutex mdev_parent.unreg_sem']);
    assert.deepEqual([removes.json.dependencies.added, removes.json.findings.new], [[], []]);

    const rename = diff(dir, commits.call, commits.rename);
    assert.deepEqual([rename.json.dependencies.added, rename.json.dependencies.removed, rename.json.findings.new, rename.json.findings.gone], [[], [], [], []]);

    // By default HEAD (here `reverse`) against the working tree: clean, nothing; the call typed back in, the inversion.
    const clean = diff(dir);
    assert.deepEqual([clean.status, clean.json.dependencies.added, clean.json.findings.new], [0, [], []]);
    const main = path.join(dir, 'mdev', 'nxe_main.c');
    const committed = fs.readFileSync(main, 'utf8');
    fs.writeFileSync(main, execFileSync('git', ['show', `${commits.call}:mdev/nxe_main.c`], { cwd: dir, encoding: 'utf8' }));
    const typed = diff(dir);
    assert.deepEqual(typed.json.findings.new.map((f) => f.code), ['lock-inversion']);
    fs.writeFileSync(main, committed);

    // The checkout (at `reverse`) was read, never changed.
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }), status);
    assert.equal(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim(), commits.reverse);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('diff --patch: the change as an mbox patch applied to the base gives what the commit gives', () => {
  const { dir, commits } = gitRepo();
  try {
    const mbox = path.join(dir, '..', `${path.basename(dir)}.mbox`);
    fs.writeFileSync(mbox, execFileSync('git', ['format-patch', '-1', '--stdout', commits.call], { cwd: dir, encoding: 'utf8' }));
    const viaPatch = diff(dir, '--patch', mbox, commits.base);
    const viaCommit = diff(dir, commits.base, commits.call);
    assert.deepEqual(viaPatch.json.dependencies, viaCommit.json.dependencies);
    assert.deepEqual(viaPatch.json.findings, viaCommit.json.findings);
    assert.equal(viaPatch.json.findings.new.length, 1);
    // Text, for a review reply.
    const text = spawnSync(process.execPath, [bin, 'diff', '--patch', mbox, commits.base], { cwd: dir, encoding: 'utf8' }).stdout;
    assert.match(text, /^lockreview diff [0-9a-f]+ → [0-9a-f]+ \+ .*\.mbox: 1 dependency added, 0 removed; 1 finding new, 0 gone\n {2}\+ devlink_mutex -> mdev_parent\.unreg_sem \(EN\)\n/);
    // A patch that does not apply says so, naming the file.
    fs.writeFileSync(mbox, fs.readFileSync(mbox, 'utf8').replace(/^ (.*esw\.mode.*)$/m, ' $1 /* not in the base */'));
    const bad = spawnSync(process.execPath, [bin, 'diff', '--patch', mbox, commits.base], { cwd: dir, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /the change to mdev\/nxe_main\.c does not apply to the base tree/);
    fs.rmSync(mbox);
    // SARIF for code scanning: the new inversion, marked new, with its chains.
    const sarif = JSON.parse(spawnSync(process.execPath, [bin, 'diff', '--format', 'sarif', commits.base, commits.call], { cwd: dir, encoding: 'utf8' }).stdout);
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; baselineState: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; relatedLocations: unknown[] }[];
    assert.deepEqual(results.map((r) => `${r.ruleId} ${r.baselineState} ${r.locations[0]!.physicalLocation.artifactLocation.uri}`), ['lock-inversion new mdev/devlink.c']);
    assert.ok(results[0]!.relatedLocations.length >= 8);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
