// Output formats of `lockreview graph`: Graphviz DOT (cycles drawn red and bold, and of class
// `cycle`), SVG laid out by Graphviz itself (its WebAssembly build), and JSON.
import type { GraphView } from '../engine/graph/view';
import { displayPath } from './args';

/** A DOT double-quoted string. */
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** How a class or dependency on a cycle is drawn; `class` carries into the SVG. */
const CYCLE = ', color=red, penwidth=2, class="cycle"';

/** The graph laid out and drawn by Graphviz (dot), as SVG. */
export async function formatSvg(g: GraphView, base: string): Promise<string> {
  // An ES module: imported when first drawn (the CLI itself is CommonJS).
  const viz = await (await import('@viz-js/viz')).instance();
  return viz.renderString(formatDot(g, base), { format: 'svg' });
}

export function formatDot(g: GraphView, base: string): string {
  const lines = ['digraph lock_order {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];', '  edge [fontname="monospace", fontsize=10];'];
  for (const n of g.nodes) {
    lines.push(`  ${quote(n.id)} [tooltip=${quote(n.primitive)}${n.inCycle ? CYCLE : ''}];`);
  }
  for (const e of g.edges) {
    const first = e.chain[0]!;
    const last = e.chain.at(-1)!;
    const label = first.function === last.function ? `${first.function}()` : `${first.function}() … ${last.function}()`;
    const where = `${displayPath(last.file, base)}:${last.at.line + 1}`;
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(label)}, tooltip=${quote(where)}${e.inCycle ? CYCLE : ''}];`);
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
