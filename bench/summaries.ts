// npm run bench:summaries — per-function lock summaries and the one-function checks on the seeds'
// subsystems: time (median of RUNS runs, one thread) and the findings per code.
import * as path from 'node:path';
import { defaultCatalog } from '../server/src/engine/locks/catalog';
import { review } from '../server/src/engine/review';
import { listSourceFiles } from '../server/src/engine/workspace';
import { FileSystemReader } from '../server/src/host/fsReader';
import { kernelTree, machine, median } from './kernel';

const FOLDERS = ['drivers/vfio', 'drivers/pci', 'drivers/base', 'virt/kvm', 'drivers/xen'];
const RUNS = Number(process.env.RUNS ?? 3);

async function main(): Promise<void> {
  const root = kernelTree();
  const reader = new FileSystemReader();
  const files = FOLDERS.flatMap((f) => listSourceFiles(path.join(root, f), reader));
  const totals: number[] = [];
  const summarising: number[] = [];
  let last: Awaited<ReturnType<typeof review>> | undefined;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    last = await review(files, { root, reader, catalog: defaultCatalog });
    totals.push(performance.now() - t0);
    summarising.push(last.tree.timings.summariseMs);
  }
  const result = last!;
  const functions = [...result.tree.summaries.values()].reduce((n, l) => n + l.length, 0);
  const partial = [...result.tree.summaries.values()].flat().filter((s) => s.partial).length;
  const byCode = new Map<string, number>();
  for (const f of result.findings) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
  console.log(`machine: ${machine()}`);
  console.log(`tree: ${root}; ${FOLDERS.join(', ')}; median of ${RUNS} runs, one thread`);
  console.log(`files: ${files.length} (.c and .h) + ${result.tree.symbols.size - files.length} headers they include; skipped: ${result.tree.problems.length}`);
  console.log(`functions summarised: ${functions} (${partial} partial: state or loop bound reached, or syntax errors)`);
  console.log(`summaries (all rounds of callee effects): ${(median(summarising) / 1000).toFixed(2)} s`);
  console.log(`whole review (read, parse, index, summarise, check): ${(median(totals) / 1000).toFixed(2)} s`);
  console.log('findings per code:');
  for (const code of ['lock-imbalance', 'unlock-unheld', 'srcu-imbalance', 'srcu-mismatch', 'recursive-lock']) {
    console.log(`  ${code}: ${byCode.get(code) ?? 0}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
