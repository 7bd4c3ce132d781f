// The `lockreview` command. A thin adapter: it resolves paths, calls the engine's `review`, and
// prints what it returns. Exit status: 0 no findings, 1 findings, 2 usage or input error.

import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, treeVocabulary } from '../engine/config';
import { fixesOf } from '../engine/fixes';
import { readOrUndefined } from '../engine/source/reader';
import { reviewTree, type Review } from '../engine/review';
import { checks } from '../engine/checks/registry';
import type { Finding, FindingCode } from '../engine/findings';
import { identityKey, identityOf, unaccounted, type FindingIdentity } from '../engine/identity';
import type { LoadedTree } from '../engine/workspace';
import { formatSummary } from './summary';
import { FileSystemReader } from '../host/fsReader';
import { loadTreeParallel } from '../host/parallelTree';
import { UsageError, displayPath, resolveTargets } from './args';
import { formatJson, formatText } from './format';
import { formatStats, parseStats } from './parseStats';
import { diff } from './diff';
import { formatDot, formatGraphJson, formatSvg } from './graph';
import { graphView } from '../engine/graph/view';

const USAGE = `usage:
  lockreview check [--root DIR] [--format text|json] [--checks CODE,...] [--baseline FILE] [--write-baseline FILE] [--jobs N] [--include-depth N] [PATH ...]
  lockreview summary [--root DIR] [--format text|json] [--jobs N] [--include-depth N] FILE[:FUNCTION]
  lockreview graph [--root DIR] [--format dot|json|svg] [--focus LOCK] [--jobs N] [--include-depth N] [PATH ...]
  lockreview diff [--root DIR] [--patch FILE] [--format text|json|sarif] [BASE [HEAD]] [PATH ...]
  lockreview parse-stats [--root DIR] [PATH ...]
  lockreview lsp --stdio | --node-ipc

--checks: run only these checks (lock-inversion, sleep-in-atomic, …)
--baseline: report only findings the file (from --write-baseline) does not hold, matched by code, lock classes, file and function
--jobs: worker threads reading and summarising the files (default: one per core)
--include-depth: levels of #include read (default 2: a file's headers and theirs; 0: all)
exit status: 0 no findings, 1 findings, 2 usage or input error`;

interface Common {
  readonly root: string | undefined;
  readonly format: string;
  readonly jobs: number | undefined;
  readonly includeDepth: number | undefined;
  readonly focus: string | undefined;
  /** `--checks a,b`: only these. */
  readonly checks: ReadonlySet<FindingCode> | undefined;
  readonly positionals: string[];
  /** `--baseline FILE`: report only findings it does not hold; `--write-baseline FILE`: write one. */
  readonly baseline?: string | undefined;
  readonly writeBaseline?: string | undefined;
}

/** `--root DIR --format F --jobs N [--focus LOCK] [--checks C,…] PATH...`; `formats[0]` is the default. */
function options(argv: string[], formats: readonly string[], extra: { focus?: boolean; checks?: boolean; baseline?: boolean } = {}): Common {
  const { focus = false, checks: withChecks = false, baseline = false } = extra;
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      root: { type: 'string' }, format: { type: 'string', default: formats[0] }, jobs: { type: 'string' },
      'include-depth': { type: 'string' },
      ...(focus && { focus: { type: 'string' } }),
      ...(withChecks && { checks: { type: 'string' } }),
      ...(baseline && { baseline: { type: 'string' }, 'write-baseline': { type: 'string' } }),
    },
    allowPositionals: true,
  });
  const format = values.format as string;
  if (!formats.includes(format)) throw new UsageError(`--format ${format}: expected ${formats.length > 1 ? `${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}` : formats[0]}`);
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError(`--jobs ${values.jobs}: expected a whole number of at least 1`);
  const depth = values['include-depth'] === undefined ? undefined : Number(values['include-depth']);
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 0)) throw new UsageError(`--include-depth ${values['include-depth']}: expected a whole number (0 for all)`);
  return {
    root: values.root as string | undefined, format, jobs, includeDepth: depth, focus: (values as { focus?: string }).focus,
    checks: (values as { checks?: string }).checks === undefined ? undefined : checkCodes((values as { checks: string }).checks), positionals,
    baseline: (values as { baseline?: string }).baseline, writeBaseline: (values as { 'write-baseline'?: string })['write-baseline'],
  };
}

/** A baseline file: the findings a tree had, each by identity (code, lock classes, file, function). */
interface BaselineFile {
  readonly version: 1;
  readonly findings: readonly FindingIdentity[];
}

function writeBaseline(file: string, tree: LoadedTree, findings: readonly Finding[]): void {
  const baseline: BaselineFile = { version: 1, findings: findings.map((f) => identityOf(tree, f)) };
  try {
    fs.writeFileSync(file, JSON.stringify(baseline, null, 2) + '\n');
  } catch (e) {
    throw new UsageError(`--write-baseline ${file}: cannot write: ${(e as Error).message}`);
  }
}

/** The identity keys of a baseline file's findings; a file that is not one is a usage error naming it. */
function readBaseline(file: string): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--baseline ${file}: ${(e as Error).message}`);
  }
  const b = raw as Partial<BaselineFile>;
  const ok = b?.version === 1 && Array.isArray(b.findings) && b.findings.every((f) => typeof f?.code === 'string' && Array.isArray(f.locks)
    && (f.locks as unknown[]).every((l) => typeof l === 'string') && typeof f.file === 'string' && typeof f.function === 'string');
  if (!ok) throw new UsageError(`--baseline ${file}: not a lockreview baseline (expected { "version": 1, "findings": [{ code, locks, file, function }] })`);
  return b.findings!.map((f) => identityKey({ ...f, locks: [...f.locks].sort() }));
}

/** `--checks lock-inversion,sleep-in-atomic`: codes of checks the engine has. */
function checkCodes(list: string): ReadonlySet<FindingCode> {
  const known = new Set<string>(checks.map((c) => c.code));
  const codes = list.split(',').map((c) => c.trim()).filter((c) => c !== '');
  const unknown = codes.filter((c) => !known.has(c));
  if (codes.length === 0 || unknown.length > 0) throw new UsageError(`--checks ${list}: ${unknown.length > 0 ? `unknown ${unknown.join(', ')}` : 'no check named'} (known: ${[...known].join(', ')})`);
  return new Set(codes as FindingCode[]);
}

function reportSkipped(problems: readonly { file: string; reason: string }[]): void {
  for (const p of problems) process.stderr.write(`${displayPath(p.file, process.cwd())}: warning: skipped: ${p.reason}\n`);
}

/** The files of `paths` and the headers they include, read and summarised on `jobs` threads. */
async function load(paths: readonly string[], o: Common) {
  const reader = new FileSystemReader();
  const { root, files } = resolveTargets(paths, o.root, reader);
  const tree = await loadTreeParallel(files, {
    root, ...treeVocabulary(root, reader), ...(o.jobs && { workers: o.jobs }), ...(o.includeDepth !== undefined && { includeDepth: o.includeDepth }),
  });
  reportSkipped(tree.problems);
  return { root, files, tree };
}

async function check(argv: string[]): Promise<number> {
  const o = options(argv, ['text', 'json'], { checks: true, baseline: true });
  const { tree } = await load(o.positionals, o);
  const all = reviewTree(tree, o.checks ? { checks: o.checks } : {});
  if (o.writeBaseline) writeBaseline(o.writeBaseline, tree, all.findings);
  // With a baseline, only what it does not account for (by identity, not line) is reported.
  const result = o.baseline ? { ...all, findings: unaccounted(all.findings, (f) => identityKey(identityOf(tree, f)), readBaseline(o.baseline)) } : all;
  process.stdout.write(o.format === 'json' ? formatJson(withFixes(result)) : formatText(result, process.cwd()));
  return result.findings.length > 0 ? 1 : 0;
}

/** The findings with their fixes written against the files as they are on disk (the editor's quick fixes). */
function withFixes(review: Review): Review {
  const reader = new FileSystemReader();
  const texts = new Map<string, string | undefined>();
  const textOf = (file: string) => {
    if (!texts.has(file)) texts.set(file, readOrUndefined(reader, file));
    return texts.get(file);
  };
  return { ...review, findings: review.findings.map((f) => ({ ...f, fixes: fixesOf(f, textOf) })) };
}

async function summary(argv: string[]): Promise<number> {
  const o = options(argv, ['text', 'json']);
  if (o.positionals.length !== 1) throw new UsageError('summary takes one FILE[:FUNCTION]');
  const [file, fn] = o.positionals[0]!.split(':') as [string, string | undefined];
  const { root, files, tree } = await load([file], o);
  const all = files.flatMap((f) => tree.summaries.get(f) ?? []).filter((s) => fn === undefined || s.name === fn);
  if (fn !== undefined && all.length === 0) throw new UsageError(`${file}: no function ${fn} defined there`);
  process.stdout.write(o.format === 'json'
    ? JSON.stringify({ version: 1, root, functions: all }, null, 2) + '\n'
    : all.map((s) => formatSummary(s, process.cwd())).join('\n\n') + '\n');
  return 0;
}

async function graph(argv: string[]): Promise<number> {
  const o = options(argv, ['dot', 'json', 'svg'], { focus: true });
  const { root, tree } = await load(o.positionals, o);
  const view = graphView(tree, o.focus);
  process.stdout.write(
    o.format === 'json' ? formatGraphJson(view, root)
      : o.format === 'svg' ? await formatSvg(view, process.cwd())
        : formatDot(view, process.cwd()),
  );
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

/** `lsp --stdio` (or `--node-ipc`): the language server, until the client ends it. */
async function lsp(argv: string[]): Promise<number> {
  const transport = argv.filter((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--clientProcessId'));
  if (transport.length === 0 || argv.length !== transport.length) throw new UsageError('lsp takes --stdio, --node-ipc or --socket=PORT');
  // Loaded for this command only: the other commands need none of the protocol's modules.
  const { startServer } = require('../lsp/server') as typeof import('../lsp/server');
  startServer();
  return new Promise<number>(() => {}); // the connection ends the process on `exit`
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
      case 'diff':
        return await diff(rest);
      case 'summary':
        return await summary(rest);
      case 'lsp':
        return await lsp(rest);
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
