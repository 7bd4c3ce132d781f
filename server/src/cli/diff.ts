// `lockreview diff [--root DIR] [--patch FILE] [--format text|json|sarif] [BASE [HEAD]] [PATH ...]`:
// what a change does to the lock order, as a reviewer asks it. BASE and HEAD are git revisions
// read from the repository's objects (default HEAD against the working tree); with --patch, the
// patch (a diff or an mbox) applied in memory to BASE. Exit status 1 when findings are new.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { treeVocabulary } from '../engine/config';
import { diffTrees, type TreeDiff } from '../engine/diff';
import type { Step } from '../engine/graph/reach';
import type { SourceReader } from '../engine/source/reader';
import { loadTree } from '../engine/workspace';
import { FileSystemReader } from '../host/fsReader';
import { loadTreeParallel } from '../host/parallelTree';
import { commitOf, gitTop, GitReader } from '../host/gitReader';
import { PatchedReader } from '../host/patchReader';
import { displayPath, resolveTargets, UsageError } from './args';
import { findingJson, findingText } from './format';
import { formatSarif } from './sarif';

interface Side {
  readonly name: string;
  readonly reader: SourceReader;
}

export async function diff(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { root: { type: 'string' }, format: { type: 'string', default: 'text' }, patch: { type: 'string' } },
    allowPositionals: true,
  });
  if (!['text', 'json', 'sarif'].includes(values.format!)) throw new UsageError(`--format ${values.format}: expected text, json or sarif`);
  const cwd = process.cwd();
  const top = gitTop(values.root ?? cwd);
  if (!top) throw new UsageError(`${values.root ?? cwd}: not in a git repository`);
  // Leading arguments that name commits are the revisions; the rest are paths.
  const revs: string[] = [];
  while (revs.length < 2 && positionals.length > 0 && commitOf(top, positionals[0]!)) revs.push(positionals.shift()!);
  if (values.patch && revs.length > 1) throw new UsageError('--patch applies to one revision: give BASE only');
  const baseRev = revs[0] ?? 'HEAD';
  const base: Side = { name: baseRev, reader: new GitReader(top, commitOf(top, baseRev) ?? baseRev) };
  let head: Side;
  if (values.patch) {
    let text: string;
    try {
      text = fs.readFileSync(values.patch, 'utf8');
    } catch (e) {
      throw new UsageError(`--patch ${values.patch}: cannot read: ${(e as Error).message}`);
    }
    try {
      head = { name: `${baseRev} + ${values.patch}`, reader: new PatchedReader(base.reader, top, text, values.patch) };
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  } else if (revs[1]) {
    head = { name: revs[1], reader: new GitReader(top, commitOf(top, revs[1])!) };
  } else {
    head = { name: 'the working tree', reader: new FileSystemReader() };
  }
  const paths = positionals.length > 0 ? positionals : [top];
  const load = async (side: Side) => {
    const { root, files } = resolveTargets(paths, values.root, side.reader);
    const options = { root, ...treeVocabulary(root, side.reader) };
    // The working tree on every core; a revision or a patched one through its reader, on one.
    return side.reader instanceof FileSystemReader ? loadTreeParallel(files, options) : loadTree(files, { ...options, reader: side.reader });
  };
  const [before, after] = [await load(base), await load(head)];
  const d = diffTrees(before, after);
  process.stdout.write(
    values.format === 'json' ? diffJson(d, base, head, after.root)
      : values.format === 'sarif' ? formatSarif(d, after.root)
        : diffText(d, base, head, cwd),
  );
  return d.newFindings.length > 0 ? 1 : 0;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function chainText(chain: readonly Step[], base: string): string[] {
  return chain.map((s) => `      ${displayPath(s.file, base)}:${s.at.line + 1}:${s.at.column + 1}: ${s.message}`);
}

/** For a review reply: what the change adds and removes, each dependency with its chain. */
function diffText(d: TreeDiff, base: Side, head: Side, cwd: string): string {
  const lines = [`lockreview diff ${base.name} → ${head.name}: ${count(d.added.length, 'dependency', 'dependencies')} added, ${d.removed.length} removed; ${count(d.newFindings.length, 'finding', 'findings')} new, ${d.goneFindings.length} gone`];
  for (const [sign, list] of [['+', d.added], ['-', d.removed]] as const) {
    for (const x of list) lines.push(`  ${sign} ${x.from.class} -> ${x.to.class} (${x.kind})`, ...chainText(x.chain, cwd));
  }
  for (const [label, list] of [['new', d.newFindings], ['gone', d.goneFindings]] as const) {
    for (const f of list) lines.push(...findingText(f, cwd).map((l, i) => (i === 0 ? `${label}: ${l}` : `  ${l}`)));
  }
  return lines.join('\n') + '\n';
}

function diffJson(d: TreeDiff, base: Side, head: Side, root: string): string {
  const dependency = (x: TreeDiff['added'][number]) => ({
    from: x.from.class, to: x.to.class, kind: x.kind,
    chain: x.chain.map((s) => ({ file: displayPath(s.file, root), line: s.at.line + 1, column: s.at.column + 1, function: s.function, message: s.message })),
  });
  return JSON.stringify({
    version: 1, base: base.name, head: head.name, root,
    dependencies: { added: d.added.map(dependency), removed: d.removed.map(dependency) },
    findings: { new: d.newFindings.map((f) => findingJson(f, root)), gone: d.goneFindings.map((f) => findingJson(f, root)) },
  }, null, 2) + '\n';
}
