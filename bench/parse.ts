// npm run bench:parse — front-end coverage and speed on the subsystems the seeds come from.
// For each folder: files, function definitions, share with ERROR/MISSING nodes (raw Tree-sitter
// vs normalised), and MB/s; timings are the median of RUNS runs.
import * as path from 'node:path';
import { emptyCoverage, mbPerSecond, measureFile, percent, type Coverage } from '../server/src/engine/source/coverage';
import { initParser } from '../server/src/engine/source/parser';
import { listSourceFiles } from '../server/src/engine/workspace';
import { FileSystemReader } from '../server/src/host/fsReader';
import { kernelTree, machine, median } from './kernel';

const FOLDERS = ['drivers/vfio', 'drivers/pci', 'drivers/base', 'virt/kvm', 'drivers/xen'];
const RUNS = Number(process.env.RUNS ?? 5);
const NUMERIC = [
  'files', 'chars', 'rawFunctions', 'rawFunctionsWithErrors', 'functions', 'functionsWithErrors',
  'lostFunctions', 'rawParseMs', 'normaliseMs', 'parseMs',
] as const;

async function main(): Promise<void> {
  const root = kernelTree();
  await initParser();
  const reader = new FileSystemReader();
  const texts = new Map<string, (readonly [string, string])[]>();
  for (const f of FOLDERS) {
    const files = listSourceFiles(path.join(root, f), reader).filter((p) => p.endsWith('.c'));
    texts.set(f, files.map((p) => [path.relative(root, p), reader.readFile(p)] as const));
  }
  const runs: Map<string, Coverage>[] = [];
  for (let r = 0; r < RUNS; r++) {
    const byFolder = new Map<string, Coverage>();
    for (const [f, list] of texts) {
      const c = emptyCoverage();
      for (const [file, t] of list) measureFile(t, c, undefined, file);
      byFolder.set(f, c);
    }
    runs.push(byFolder);
  }
  const rows = ['| folder | files | functions | raw ERROR/MISSING | normalised ERROR/MISSING | lost | raw MB/s | normalised MB/s | time normalised ÷ raw |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  const total = emptyCoverage();
  for (const f of FOLDERS) {
    const cs = runs.map((m) => m.get(f)!);
    const c = cs[0]!;
    const raw = median(cs.map((x) => mbPerSecond(x.chars, x.rawParseMs)));
    const norm = median(cs.map((x) => mbPerSecond(x.chars, x.normaliseMs + x.parseMs)));
    rows.push(`| ${f} | ${c.files} | ${c.functions} | ${c.rawFunctionsWithErrors}/${c.rawFunctions} (${percent(c.rawFunctionsWithErrors, c.rawFunctions)}) | ${c.functionsWithErrors}/${c.functions} (${percent(c.functionsWithErrors, c.functions)}) | ${c.lostFunctions} | ${raw.toFixed(2)} | ${norm.toFixed(2)} | ${(raw / norm).toFixed(2)}× |`);
    for (const k of NUMERIC) total[k] += c[k];
    total.lostExamples.push(...c.lostExamples);
  }
  const allRaw = median(runs.map((m) => { let ch = 0, ms = 0; for (const c of m.values()) { ch += c.chars; ms += c.rawParseMs; } return mbPerSecond(ch, ms); }));
  const allNorm = median(runs.map((m) => { let ch = 0, ms = 0; for (const c of m.values()) { ch += c.chars; ms += c.normaliseMs + c.parseMs; } return mbPerSecond(ch, ms); }));
  rows.push(`| **all five** | ${total.files} | ${total.functions} | ${total.rawFunctionsWithErrors}/${total.rawFunctions} (${percent(total.rawFunctionsWithErrors, total.rawFunctions)}) | ${total.functionsWithErrors}/${total.functions} (${percent(total.functionsWithErrors, total.functions)}) | ${total.lostFunctions} | ${allRaw.toFixed(2)} | ${allNorm.toFixed(2)} | ${(allRaw / allNorm).toFixed(2)}× |`);
  console.log(`machine: ${machine()}`);
  console.log(`tree: ${root}; median of ${RUNS} runs; MB/s over normalise + parse (normalised) vs parse alone (raw)\n`);
  console.log(rows.join('\n'));
  const normMs = total.normaliseMs / RUNS;
  console.log(`\nnormalise alone: ${mbPerSecond(total.chars / RUNS, normMs).toFixed(1)} MB/s`);
  const pct = (100 * total.functionsWithErrors) / total.functions;
  const ratio = allRaw / allNorm;
  console.log(`lost (clean raw definitions missing after normalisation): ${total.lostFunctions}${total.lostExamples.length ? ' — ' + total.lostExamples.join(', ') : ''}`);
  console.log(`target ≤ 1.0% after normalisation: ${pct <= 1 ? 'met' : 'NOT met'} (${pct.toFixed(2)}%); throughput within 1.3× of raw: ${ratio <= 1.3 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}×)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
