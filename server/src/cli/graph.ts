// Output formats of `lockreview graph`: Graphviz DOT (cycles drawn red and bold) and JSON.
import type { GraphView } from '../engine/graph/view';
import { displayPath } from './args';

/** A DOT double-quoted string. */
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function formatDot(g: GraphView, base: string): string {
  const lines = ['digraph lock_order {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];', '  edge [fontname="monospace", fontsize=10];'];
  for (const n of g.nodes) {
    const style = n.inCycle ? ', color=red, penwidth=2' : '';
    lines.push(`  ${quote(n.id)} [tooltip=${quote(n.primitive)}${style}];`);
  }
  for (const e of g.edges) {
    const first = e.chain[0]!;
    const last = e.chain.at(-1)!;
    const label = first.function === last.function ? `${first.function}()` : `${first.function}() … ${last.function}()`;
    const where = `${displayPath(last.file, base)}:${last.at.line + 1}`;
    const style = e.inCycle ? ', color=red, penwidth=2' : '';
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(label)}, tooltip=${quote(where)}${style}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function formatGraphJson(g: GraphView, root: string): string {
  const step = (s: GraphView['edges'][number]['chain'][number]) => ({
    file: displayPath(s.file, root), line: s.at.line + 1, column: s.at.column + 1, function: s.function, message: s.message,
  });
  return JSON.stringify({
    version: 1,
    root,
    nodes: g.nodes,
    edges: g.edges.map((e) => ({ from: e.from, to: e.to, kinds: e.kinds, inCycle: e.inCycle, chain: e.chain.map(step) })),
    cycles: g.cycles,
  }, null, 2) + '\n';
}
