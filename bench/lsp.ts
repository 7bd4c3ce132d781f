// npm run bench:lsp — the language server on linux-source-6.12, scoped to the seeds' five folders,
// driven over stdio as an editor drives it: the time to the first complete diagnostics, cold (no
// cache) and warm (a second start, its cache in place); then 50 single-line edits in
// drivers/pci/pci.c, each the time from didChange to the diagnostics of that version, and 10 more
// that change the locking (an acquisition added); and the server's peak memory (VmHWM). RUNS
// starts of each kind; medians.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestEditor } from '../test/lsp/client';
import { kernelTree, machine, median } from './kernel';

const SCOPE = ['drivers/vfio', 'drivers/pci', 'drivers/base', 'virt/kvm', 'drivers/xen'];
const RUNS = Number(process.env.RUNS ?? 3);
const EDITS = Number(process.env.EDITS ?? 50);
const LOCK_EDITS = Number(process.env.LOCK_EDITS ?? 10);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

function peakKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** A start of the server on the tree: ms until indexing ends and the findings are published. */
async function start(root: string, cacheDir: string): Promise<{ editor: TestEditor; ms: number }> {
  const editor = new TestEditor([], { LOCKREVIEW_CACHE_DIR: cacheDir });
  editor.settings = { scope: SCOPE };
  const t0 = performance.now();
  await editor.initialize(root);
  await editor.indexed(600_000);
  await editor.until(() => editor.diagnostics.size > 0, 'the first diagnostics', 60_000);
  return { editor, ms: performance.now() - t0 };
}

/**
 * Single-line edits inside pci.c's function bodies: `line` added, then taken out again. A
 * statement that leaves the locking as it was (the common edit) moves the findings; an acquisition
 * added changes the lock graph, which is built again.
 */
async function edits(editor: TestEditor, file: string, count: number, line: (n: number) => string): Promise<number[]> {
  const original = fs.readFileSync(file, 'utf8');
  const lines = original.split('\n');
  // Lines that open a function body at column 0: an edit goes on the line after.
  const bodies = lines.map((l, i) => (l === '{' ? i : -1)).filter((i) => i > 0);
  const uri = pathToFileURL(file).href;
  if (!editor.versionOf(uri)) {
    editor.open(file, original);
    await editor.until(() => editor.versionOf(uri) === 1, 'pci.c opened');
  }
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const at = bodies[(n * 37) % bodies.length]! + 1;
    const text = n % 2 === 0 ? [...lines.slice(0, at), line(n), ...lines.slice(at)].join('\n') : original;
    const t0 = performance.now();
    const version = editor.change(file, text);
    await editor.until(() => editor.versionOf(uri) === version, `diagnostics of version ${version}`, 60_000);
    times.push(performance.now() - t0);
  }
  return times;
}

async function main(): Promise<void> {
  const root = kernelTree({ install: true, version: '6.12' });
  console.log(`machine: ${machine()}`);
  console.log(`linux-source-6.12 (${root}), scope ${SCOPE.join(', ')}; ${RUNS} starts of each kind, ${EDITS} edits`);
  const cold: number[] = [];
  const warm: number[] = [];
  let peak = 0;
  let editTimes: number[] = [];
  let lockEditTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-bench-cache-'));
    try {
      const c = await start(root, cacheDir);
      cold.push(c.ms);
      peak = Math.max(peak, peakKiB(c.editor.pid));
      await c.editor.close();
      const w = await start(root, cacheDir);
      warm.push(w.ms);
      if (r === RUNS - 1) {
        const pci = path.join(root, 'drivers/pci/pci.c');
        editTimes = await edits(w.editor, pci, EDITS, (n) => `\tbarrier(); /* edit ${n} */`);
        lockEditTimes = await edits(w.editor, pci, LOCK_EDITS, () => '\tspin_lock(&lockreview_bench_lock);');
      }
      peak = Math.max(peak, peakKiB(w.editor.pid));
      await w.editor.close();
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`  cold start to the first complete diagnostics: ${s(median(cold))} (runs: ${cold.map(s).join(', ')})`);
  console.log(`  warm start (cache in place): ${s(median(warm))} (runs: ${warm.map(s).join(', ')})`);
  console.log(`  didChange to diagnostics, ${editTimes.length} single-line edits in drivers/pci/pci.c: p50 ${Math.round(percentile(editTimes, 50))} ms, p95 ${Math.round(percentile(editTimes, 95))} ms, max ${Math.round(Math.max(...editTimes))} ms`);
  console.log(`  the same for ${lockEditTimes.length} edits that add an acquisition (and take it out): p50 ${Math.round(percentile(lockEditTimes, 50))} ms, p95 ${Math.round(percentile(lockEditTimes, 95))} ms`);
  console.log(`  server peak memory (VmHWM): ${Math.round(peak / 1024)} MiB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
