// npm run bench:tree — the front end and the index over every .c and .h file of the kernel tree.
// Files that cannot be read or parsed are counted with their reasons; the run must never stop.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as os from 'node:os';
import { SymbolIndex } from '../server/src/engine/index/symbolIndex';
import type { FileSymbols } from '../server/src/engine/index/symbols';
import type { FileProblem } from '../server/src/engine/source/sourceFile';
import { listSourceFiles } from '../server/src/engine/workspace';
import { FileSystemReader } from '../server/src/host/fsReader';
import { kernelTree, machine } from './kernel';

interface WorkerResult { symbols: FileSymbols[]; problems: FileProblem[]; chars: number; fatal?: string }

function runWorker(files: string[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'treeWorker.js'), { workerData: { files } });
    w.once('message', (m: WorkerResult) => (m.fatal ? reject(new Error(m.fatal)) : resolve(m)));
    w.once('error', reject);
  });
}

async function main(): Promise<void> {
  const root = kernelTree();
  const t0 = performance.now();
  const files = listSourceFiles(root, new FileSystemReader());
  const workers = Number(process.env.WORKERS ?? os.cpus().length);
  // Interleave so each worker gets a similar mix of small and large files.
  const shares = Array.from({ length: workers }, (_, k) => files.filter((_, i) => i % workers === k));
  const results = await Promise.all(shares.map(runWorker));
  const tParsed = performance.now();
  const all = new Map<string, FileSymbols>();
  for (const r of results) for (const s of r.symbols) all.set(s.file, s);
  const index = new SymbolIndex(all);
  const bindings = index.allBindings().length;
  const tIndexed = performance.now();

  const problems = results.flatMap((r) => r.problems);
  const chars = results.reduce((n, r) => n + r.chars, 0);
  let functions = 0, structs = 0, variables = 0;
  for (const s of all.values()) {
    functions += s.functions.filter((f) => f.isDefinition).length;
    structs += s.structs.length;
    variables += s.variables.length;
  }
  const byReason = new Map<string, number>();
  for (const p of problems) {
    const key = p.reason.replace(/\(\d+ characters.*\)/, '').replace(/: .*$/, (m) => (m.length > 40 ? ': …' : m));
    byReason.set(key, (byReason.get(key) ?? 0) + 1);
  }
  console.log(`machine: ${machine()}; ${workers} worker threads`);
  console.log(`tree: ${root}`);
  console.log(`files: ${files.length} (.c and .h), indexed ${all.size}, skipped ${problems.length}`);
  for (const [reason, n] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`  skipped, ${reason}: ${n}`);
  for (const p of problems.slice(0, 20)) console.log(`    ${path.relative(root, p.file)}: ${p.reason}`);
  console.log(`read and parsed ${(chars / 1e6).toFixed(0)} MB in ${((tParsed - t0) / 1000).toFixed(1)} s`);
  console.log(`symbols: ${functions} function definitions, ${structs} structs/unions, ${variables} variables, ${bindings} function-pointer bindings`);
  console.log(`index built and bindings resolved in ${((tIndexed - tParsed) / 1000).toFixed(1)} s; total ${((tIndexed - t0) / 1000).toFixed(1)} s`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (the whole process, workers included)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
