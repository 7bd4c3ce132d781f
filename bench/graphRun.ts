// One run of bench/graph in its own process: the CLI's path (loadTreeParallel, reviewTree) on
// ROOT's FOLDERS; prints the findings per code and the process's peak RSS as JSON. With
// CHECKS=a,b in the environment, only those checks run (bench/checks).
import * as path from 'node:path';
import type { FindingCode } from '../server/src/engine/findings';
import { reviewTree } from '../server/src/engine/review';
import { listSourceFiles } from '../server/src/engine/workspace';
import { FileSystemReader } from '../server/src/host/fsReader';
import { loadTreeParallel } from '../server/src/host/parallelTree';

async function main(): Promise<void> {
  const [root, ...folders] = process.argv.slice(2) as [string, ...string[]];
  const reader = new FileSystemReader();
  const files = folders.flatMap((f) => listSourceFiles(path.join(root, f), reader));
  const only = process.env.CHECKS ? new Set(process.env.CHECKS.split(',') as FindingCode[]) : undefined;
  const review = reviewTree(await loadTreeParallel(files, { root }), only ? { checks: only } : {});
  const findings: Record<string, number> = {};
  for (const f of review.findings) findings[f.code] = (findings[f.code] ?? 0) + 1;
  process.stdout.write(JSON.stringify({ files: files.length, functions: review.functions, findings, maxRssKiB: process.resourceUsage().maxRSS }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
