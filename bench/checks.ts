// npm run bench:checks — what issue 5's checks (SRCU, sleeping in atomic context, waiting under
// a lock) add to the review of its five folders of linux-source-6.12: the whole review with every
// check, against the same review with only the others (the graph then propagates no "may sleep"
// and reads no work items). Runs alternate, each a fresh process; medians of RUNS.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { checks } from '../server/src/engine/checks/registry';
import { kernelTree, machine, median } from './kernel';

const FOLDERS = ['drivers/vfio', 'drivers/pci', 'drivers/base', 'virt/kvm', 'drivers/xen'];
const ISSUE5 = new Set(['srcu-deadlock', 'srcu-self-deadlock', 'srcu-unprotected-deref', 'sleep-in-atomic', 'wait-under-lock']);
const RUNS = Number(process.env.RUNS ?? 5);

function once(root: string, only?: readonly string[]): { wallMs: number; findings: Record<string, number> } {
  const started = performance.now();
  const env = only ? { ...process.env, CHECKS: only.join(',') } : { ...process.env, CHECKS: '' };
  const r = spawnSync(process.execPath, [path.join(__dirname, 'graphRun.js'), root, ...FOLDERS], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`graphRun failed: ${r.stderr}`);
  return { wallMs, findings: JSON.parse(r.stdout).findings };
}

function main(): void {
  const root = kernelTree({ install: true, version: '6.12' });
  const others = checks.map((c) => c.code).filter((c) => !ISSUE5.has(c));
  const all: number[] = [];
  const without: number[] = [];
  let last: Record<string, number> = {};
  for (let i = 0; i < RUNS; i++) {
    without.push(once(root, others).wallMs);
    const r = once(root);
    all.push(r.wallMs);
    last = r.findings;
  }
  const a = median(all);
  const w = median(without);
  console.log(`machine: ${machine()}`);
  console.log(`linux-source-6.12 (${root}): ${FOLDERS.join(', ')}; median of ${RUNS} runs each, alternating`);
  console.log(`  without issue 5's checks: ${(w / 1000).toFixed(2)} s (runs: ${without.map((t) => (t / 1000).toFixed(2)).join(', ')})`);
  console.log(`  with every check:         ${(a / 1000).toFixed(2)} s (runs: ${all.map((t) => (t / 1000).toFixed(2)).join(', ')})`);
  console.log(`  added: ${(((a - w) / w) * 100).toFixed(1)}%`);
  console.log(`  findings: ${Object.entries(last).map(([c, n]) => `${c} ${n}`).join(', ')}`);
}

main();
