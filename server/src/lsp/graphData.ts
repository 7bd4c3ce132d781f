// The lock graph as the graph page reads it (protocol/graph.ts): the engine's view of the whole
// tree, with paths shown relative to the root, and what the editor asked for as the focus.
import * as path from 'node:path';
import { pairKindKey } from '../engine/diff';
import type { Step } from '../engine/graph/reach';
import { graphView, locksOfFunction } from '../engine/graph/view';
import { LineMap } from '../engine/source/lineMap';
import type { LoadedTree } from '../engine/workspace';
import type { GraphData, GraphRequest, StepData } from '../protocol/graph';

/** A function of the tree, as the cursor names it. */
export interface FunctionAt {
  readonly file: string;
  readonly name: string;
}

export function graphData(
  tree: LoadedTree,
  request: { focus?: GraphRequest['focus']; file?: string; fn?: FunctionAt; added?: (dependencyKey: string) => boolean },
): GraphData {
  const view = graphView(tree);
  const root = tree.root;
  // Shown with `/` on every platform: the page's folder filter reads them so.
  const relative = (file: string) => (path.relative(root, file) || path.basename(file)).split(path.sep).join('/');
  const step = (s: Step): StepData => ({ file: s.file, path: relative(s.file), line: s.at.line, column: s.at.column, function: s.function, message: s.message });
  const focus = request.focus;
  let ids: string[] = [];
  let title = `Lock graph of ${path.basename(root)}`;
  if (focus?.kind === 'lock') {
    ids = view.nodes.filter((n) => n.id.includes(focus.lock)).map((n) => n.id);
    title = `Locks like ${focus.lock}`;
  } else if (focus?.kind === 'cycle') {
    ids = view.nodes.filter((n) => focus.locks.includes(n.id)).map((n) => n.id);
    title = `Cycle: ${[...focus.locks, focus.locks[0]].join(' → ')}`;
  } else if (focus?.kind === 'function' && request.fn) {
    ids = locksOfFunction(view, request.fn.file, request.fn.name);
    title = `Locks of ${request.fn.name}()`;
  }
  // The whole graph of a folder's file opens on that folder; a focus, on the whole tree.
  const folder = !focus && request.file ? path.posix.dirname(relative(request.file)) : undefined;
  if (folder && folder !== '.') title = `Lock graph of ${folder}`;
  return {
    title,
    nodes: view.nodes.map((n) => ({ id: n.id, primitive: n.primitive, inCycle: n.inCycle, folders: [...new Set(n.files.map((f) => path.posix.dirname(relative(f))))].sort() })),
    edges: view.edges.map((e) => ({
      id: `${e.from} -> ${e.to}`, from: e.from, to: e.to, kinds: e.kinds, inCycle: e.inCycle,
      // Added by the working tree: one of its kinds is not in HEAD.
      ...(request.added && e.kinds.some((k) => request.added!(pairKindKey(e.from, e.to, k))) && { added: true }),
      chains: e.chains.map((c) => ({ kind: c.kind, steps: c.chain.map(step) })),
    })),
    cycles: view.cycles,
    focus: ids,
    ...(folder && folder !== '.' && { folder }),
  };
}

/** The function whose definition holds the cursor, in `text` (the buffer as analysed). */
export function functionAt(tree: LoadedTree, file: string, text: string | undefined, line: number, character: number): FunctionAt | undefined {
  if (text === undefined) return undefined;
  const offset = new LineMap(text).offset(line, character);
  const fn = tree.symbols.get(file)?.functions.find((f) => f.isDefinition && f.start <= offset && offset < f.end);
  return fn && { file, name: fn.name };
}
