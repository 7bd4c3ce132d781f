// Hover and CodeLens, read off the summaries and the lock graph the engine has already made:
// at a lock call, what is held there and the dependencies that acquisition adds (from this
// function and from its callers' paths); at a function's name, its summary; above a function
// that takes locks, the order it takes them in and what its callers hold when they call it.
import type { CodeLens, Hover, Position } from 'vscode-languageserver/node';
import { callersOf, summariesByKey } from '../engine/graph/callGraph';
import { dependenciesOf } from '../engine/graph/carried';
import type { FunctionSummary } from '../engine/locks/summary';
import { summaryKey } from '../engine/locks/targets';
import type { LoadedTree } from '../engine/workspace';

const unique = (xs: readonly string[]) => [...new Set(xs)];
const within = (p: Position, line: number, column: number, length: number) => p.line === line && p.character >= column && p.character <= column + length;

export function hoverAt(tree: LoadedTree, file: string, p: Position): Hover | undefined {
  for (const s of tree.summaries.get(file) ?? []) {
    if (within(p, s.at.line, s.at.column, s.name.length)) return { contents: { kind: 'markdown', value: summaryMarkdown(tree, s) } };
    for (const a of s.acquisitions) {
      const name = a.call.slice(0, Math.max(0, a.call.indexOf('(')));
      if (!within(p, a.at.line, a.at.column, name.length)) continue;
      const held = a.held.map((h) => `\`${h.class}\`${h.instance !== h.class ? ` (\`${h.instance}\`)` : ''}`);
      const direct = a.held.map((h) => `\`${h.class}\` → \`${a.lock.class}\``);
      const viaCallers: string[] = [];
      for (const list of dependenciesOf(tree).values()) {
        for (const d of list) {
          const last = d.chain.at(-1)!;
          if (last.file === file && last.at.offset === a.at.offset && d.chain[0]!.function !== s.name) viaCallers.push(`\`${d.from.class}\` → \`${d.to.class}\` (held in ${d.chain[0]!.function}())`);
        }
      }
      const lines = [
        `**${a.call}**: ${a.try ? 'tries' : 'takes'} \`${a.lock.class}\` (${a.lock.primitive}, ${a.lock.mode})`,
        '',
        `Held here: ${held.length > 0 ? held.join(', ') : 'nothing (in this function)'}`,
        ...(a.try ? ['', 'A trylock adds no dependency into the lock it tries.'] : [
          '',
          `Dependencies this adds: ${[...direct, ...unique(viaCallers)].join('; ') || 'none'}`,
        ]),
      ];
      return { contents: { kind: 'markdown', value: lines.join('\n') }, range: { start: { line: a.at.line, character: a.at.column }, end: { line: a.at.line, character: a.at.column + name.length } } };
    }
  }
  return undefined;
}

function summaryMarkdown(tree: LoadedTree, s: FunctionSummary): string {
  const takes = unique(s.acquisitions.filter((a) => !a.sync).map((a) => a.lock.class));
  const underLocks = s.calls.filter((c) => c.held.length > 0).map((c) => `${c.callee}() with ${unique(c.held.map((h) => h.class)).join(', ')}`);
  const returns = unique(s.exits.flatMap((e) => e.held.filter((h) => !h.fromCaller).map((h) => h.class)));
  const callers = callersHold(tree, s);
  return [
    `**${s.name}()** — locking summary`,
    '',
    `- takes: ${takes.length > 0 ? takes.map((c) => `\`${c}\``).join(' → ') : 'nothing'}`,
    ...(s.requires.length > 0 ? [`- requires: ${unique(s.requires.map((r) => `\`${r.lock.class}\``)).join(', ')}`] : []),
    ...(underLocks.length > 0 ? [`- calls with locks held: ${unique(underLocks).join('; ')}`] : []),
    ...(returns.length > 0 ? [`- returns holding: ${returns.map((c) => `\`${c}\``).join(', ')} (on some path)`] : []),
    ...(callers.length > 0 ? [`- callers hold: ${callers.map((c) => `\`${c}\``).join(', ')}`] : []),
  ].join('\n');
}

/**
 * Classes held, by `s`'s callers or theirs, when `s` takes its locks: the lock graph's
 * dependencies into them from paths that begin above `s`; and those its direct callers hold.
 */
function callersHold(tree: LoadedTree, s: FunctionSummary): string[] {
  const out = [...(heldAbove(tree).get(`${s.file}#${s.name}`) ?? [])];
  const byKey = summariesByKey(tree);
  for (const { call } of callersOf(byKey).get(summaryKey(s)) ?? []) for (const h of call.held) out.push(h.class);
  return unique(out);
}

const aboveMemo = new WeakMap<LoadedTree, Map<string, Set<string>>>();

/** By taking function (`file#name`): the classes held above it when it takes a lock. One pass over the graph per tree. */
function heldAbove(tree: LoadedTree): Map<string, Set<string>> {
  let out = aboveMemo.get(tree);
  if (out) return out;
  out = new Map();
  for (const list of dependenciesOf(tree).values()) {
    for (const d of list) {
      const last = d.chain.at(-1)!;
      if (d.chain[0]!.function === last.function) continue;
      const key = `${last.file}#${last.function}`;
      const set = out.get(key) ?? new Set<string>();
      set.add(d.from.class);
      out.set(key, set);
    }
  }
  aboveMemo.set(tree, out);
  return out;
}

/** "takes A → B · callers hold C" above each function of the file that takes a lock. */
export function lensesOf(tree: LoadedTree, file: string): CodeLens[] {
  const out: CodeLens[] = [];
  for (const s of tree.summaries.get(file) ?? []) {
    const takes = unique(s.acquisitions.filter((a) => !a.sync && a.lock.primitive !== 'rcu').map((a) => a.lock.class));
    if (takes.length === 0) continue;
    const callers = callersHold(tree, s);
    const title = `takes ${takes.join(' → ')}${callers.length > 0 ? ` · callers hold ${callers.join(', ')}` : ''}`;
    out.push({ range: { start: { line: s.at.line, character: 0 }, end: { line: s.at.line, character: 0 } }, command: { title, command: '' } });
  }
  return out;
}
