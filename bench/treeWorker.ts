// One worker of bench/tree: reads, parses and indexes its share of the files and sends back the
// symbols and the problems. Nothing it meets may stop it.
import { parentPort, workerData } from 'node:worker_threads';
import { defaultIdioms } from '../server/src/engine/source/idioms';
import { initParser } from '../server/src/engine/source/parser';
import type { FileSymbols } from '../server/src/engine/index/symbols';
import type { FileProblem } from '../server/src/engine/source/sourceFile';
import { indexFile } from '../server/src/engine/workspace';
import { FileSystemReader } from '../server/src/host/fsReader';

async function run(): Promise<void> {
  await initParser();
  const reader = new FileSystemReader();
  const files = workerData.files as string[];
  const symbols: FileSymbols[] = [];
  const problems: FileProblem[] = [];
  let chars = 0;
  for (const file of files) {
    const r = indexFile(file, reader, defaultIdioms, (source) => { chars += source.text.length; });
    if ('reason' in r) problems.push(r);
    else symbols.push(r);
  }
  parentPort!.postMessage({ symbols, problems, chars });
}

run().catch((e) => parentPort!.postMessage({ fatal: String(e?.stack ?? e) }));
