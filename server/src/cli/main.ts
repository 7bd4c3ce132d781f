// The `lockreview` command. A thin adapter: it resolves paths, calls the engine's `review`, and
// prints what it returns. Exit status: 0 no findings, 1 findings, 2 usage or input error.

import { parseArgs } from 'node:util';
import { ConfigError, treeVocabulary } from '../engine/config';
import { review } from '../engine/review';
import { loadTree } from '../engine/workspace';
import { formatSummary } from './summary';
import { FileSystemReader } from '../host/fsReader';
import { UsageError, displayPath, resolveTargets } from './args';
import { formatJson, formatText } from './format';
import { formatStats, parseStats } from './parseStats';
import { formatDot, formatGraphJson } from './graph';
import { graphView } from '../engine/graph/view';

const USAGE = `usage:
  lockreview check [--root DIR] [--format text|json] [PATH ...]
  lockreview summary [--root DIR] [--format text|json] FILE[:FUNCTION]
  lockreview graph [--root DIR] [--format dot|json] [--focus LOCK] [PATH ...]
  lockreview parse-stats [--root DIR] [PATH ...]

exit status: 0 no findings, 1 findings, 2 usage or input error`;

/** `--root DIR --format text|json PATH...`, as `check` and `summary` take them. */
function rootAndFormat(argv: string[]): { root: string | undefined; format: 'text' | 'json'; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { root: { type: 'string' }, format: { type: 'string', default: 'text' } },
    allowPositionals: true,
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format ${values.format}: expected text or json`);
  return { root: values.root, format: values.format, positionals };
}

function reportSkipped(problems: readonly { file: string; reason: string }[]): void {
  for (const p of problems) process.stderr.write(`${displayPath(p.file, process.cwd())}: warning: skipped: ${p.reason}\n`);
}

async function check(argv: string[]): Promise<number> {
  const { root: rootOption, format, positionals } = rootAndFormat(argv);
  const reader = new FileSystemReader();
  const { root, files } = resolveTargets(positionals, rootOption, reader);
  const result = await review(files, { root, reader, ...treeVocabulary(root, reader) });
  reportSkipped(result.tree.problems);
  process.stdout.write(format === 'json' ? formatJson(result) : formatText(result, process.cwd()));
  return result.findings.length > 0 ? 1 : 0;
}

async function summary(argv: string[]): Promise<number> {
  const { root: rootOption, format, positionals } = rootAndFormat(argv);
  if (positionals.length !== 1) throw new UsageError('summary takes one FILE[:FUNCTION]');
  const [file, fn] = positionals[0]!.split(':') as [string, string | undefined];
  const reader = new FileSystemReader();
  const { root, files } = resolveTargets([file], rootOption, reader);
  const tree = await loadTree(files, { root, reader, ...treeVocabulary(root, reader) });
  reportSkipped(tree.problems);
  const all = files.flatMap((f) => tree.summaries.get(f) ?? []).filter((s) => fn === undefined || s.name === fn);
  if (fn !== undefined && all.length === 0) throw new UsageError(`${file}: no function ${fn} defined there`);
  process.stdout.write(format === 'json'
    ? JSON.stringify({ version: 1, root, functions: all }, null, 2) + '\n'
    : all.map((s) => formatSummary(s, process.cwd())).join('\n\n') + '\n');
  return 0;
}

async function graph(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { root: { type: 'string' }, format: { type: 'string', default: 'dot' }, focus: { type: 'string' } },
    allowPositionals: true,
  });
  if (values.format !== 'dot' && values.format !== 'json') throw new UsageError(`--format ${values.format}: expected dot or json`);
  const reader = new FileSystemReader();
  const { root, files } = resolveTargets(positionals, values.root, reader);
  const tree = await loadTree(files, { root, reader, ...treeVocabulary(root, reader) });
  reportSkipped(tree.problems);
  const view = graphView(tree, values.focus);
  process.stdout.write(values.format === 'json' ? formatGraphJson(view, root) : formatDot(view, process.cwd()));
  return 0;
}

async function stats(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { root: { type: 'string' } }, allowPositionals: true });
  const reader = new FileSystemReader();
  const { root, files } = resolveTargets(positionals, values.root, reader);
  const { coverage, skipped } = await parseStats(files, reader, treeVocabulary(root, reader).idioms);
  reportSkipped(skipped);
  process.stdout.write(formatStats(positionals.join(' ') || '.', coverage) + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest);
      case 'parse-stats':
        return await stats(rest);
      case 'graph':
        return await graph(rest);
      case 'summary':
        return await summary(rest);
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      default:
        throw new UsageError(command ? `unknown command: ${command}` : 'missing command');
    }
  } catch (e) {
    // parseArgs reports unknown options with a code; both are the user's to fix.
    if (e instanceof UsageError || e instanceof ConfigError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`lockreview: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}
