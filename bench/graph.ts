// npm run bench:graph — the whole review (read, parse, index, summarise on both cores, lock
// graph, every check) of the six folders of the seeds' subsystems, on linux-source-6.12 and 6.1:
// wall time (median of RUNS, each run a fresh process), peak memory of the process (workers
// included), and the findings per code. For scale, a raw one-thread Tree-sitter parse of the
// same files.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseC } from '../server/src/engine/source/parser';
import { listSourceFiles } from '../server/src/engine/workspace';
import { FileSystemReader } from '../server/src/host/fsReader';
import { kernelTree, machine, median, type KernelVersion } from './kernel';

export const FOLDERS = ['drivers/vfio', 'drivers/pci', 'drivers/base', 'virt/kvm', 'drivers/xen', 'drivers/s390/crypto'];
const RUNS = Number(process.env.RUNS ?? 3);
const VERSIONS: KernelVersion[] = ['6.12', '6.1'];

interface Run { wallMs: number; maxRssKiB: number; findings: Record<string, number>; files: number; functions: number }

function once(root: string): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, 'graphRun.js'), root, ...FOLDERS], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`graphRun failed: ${r.stderr}`);
  return { ...JSON.parse(r.stdout), wallMs };
}

async function rawParse(root: string): Promise<{ ms: number; files: number; mb: number }> {
  await initParser();
  const reader = new FileSystemReader();
  const texts = FOLDERS.flatMap((f) => listSourceFiles(path.join(root, f), reader)).map((f) => fs.readFileSync(f, 'utf8'));
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (const t of texts) parseC(t).delete();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), files: texts.length, mb: texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6 };
}

async function main(): Promise<void> {
  console.log(`machine: ${machine()}`);
  console.log(`folders: ${FOLDERS.join(', ')}; median of ${RUNS} runs, each a fresh process using every core`);
  for (const version of VERSIONS) {
    const root = kernelTree({ install: true, version });
    const runs = Array.from({ length: RUNS }, () => once(root));
    const raw = await rawParse(root);
    const last = runs.at(-1)!;
    console.log(`\nlinux-source-${version} (${root})`);
    console.log(`  files: ${raw.files} .c/.h, ${raw.mb.toFixed(1)} MB; functions: ${last.functions}`);
    console.log(`  whole review: ${(median(runs.map((r) => r.wallMs)) / 1000).toFixed(2)} s (runs: ${runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')})`);
    console.log(`  peak RSS: ${(median(runs.map((r) => r.maxRssKiB)) / 1024).toFixed(0)} MiB`);
    console.log(`  raw Tree-sitter parse of the same files, one thread: ${(raw.ms / 1000).toFixed(2)} s`);
    console.log(`  findings: ${Object.entries(last.findings).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
