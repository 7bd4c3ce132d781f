// The graph page: lock classes as nodes, dependencies as edges labelled with the function that
// makes them, cycles in the editor's warning colour, laid out by dagre (cytoscape-dagre). It opens
// on what was asked for and its neighbours (a subsystem has hundreds of classes); a double-click
// shows a class's neighbours, "Show all" everything. It takes only a graph from the extension
// (validated by toPage) and says only what protocol/graph.ts allows.
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { toPage, type EdgeData, type FromPage, type GraphData, type NodeData, type StepData } from '../../server/src/protocol/graph';

declare function acquireVsCodeApi(): { postMessage(message: FromPage): void };

/** With no focus, a graph larger than this opens on its cycles, or its busiest classes. */
const SHOW_ALL_UP_TO = 30;
const BUSIEST = 20;
/**
 * A drawing with more dependencies than this labels those of cycles, and the others only under
 * the pointer or selected: hundreds of labels would hide the graph.
 */
const LABEL_ALL_UP_TO = 40;
/** Fitting a large drawing would make its labels unreadable: below this zoom, it is centred on what was asked for instead. */
const READABLE_ZOOM = 0.5;

cytoscape.use(dagre);
const host = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let data: GraphData | undefined;
let shown = new Set<string>();
const cy: Core = cytoscape({ container: $('graph'), minZoom: 0.05, maxZoom: 4 });
// For tests and the developer tools: the drawing, to find where an element is.
(window as unknown as { lockGraph: Core }).lockGraph = cy;

/** The theme's colours, read from the variables VS Code sets (with fallbacks on their own). */
function colours() {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--vscode-editor-foreground', '#333333'),
    background: v('--vscode-editor-background', '#ffffff'),
    node: v('--vscode-editorWidget-background', '#f3f3f3'),
    line: v('--vscode-descriptionForeground', '#777777'),
    warning: v('--vscode-editorWarning-foreground', '#cc8800'),
    selected: v('--vscode-focusBorder', '#0066cc'),
  };
}

function applyTheme(): void {
  const c = colours();
  cy.style([
    // Monospace 12px: a character is about 7.2px wide.
    { selector: 'node', style: { label: 'data(id)', shape: 'round-rectangle', width: (n: cytoscape.NodeSingular) => 7.3 * n.id().length, height: 16, padding: '8px', 'font-size': 12,
      'font-family': 'monospace', color: c.text, 'background-color': c.node, 'border-width': 1, 'border-color': c.line, 'text-valign': 'center' } },
    { selector: 'edge', style: { 'font-size': 10, color: c.line, 'line-color': c.line, 'target-arrow-color': c.line,
      'target-arrow-shape': 'triangle', 'curve-style': 'bezier', width: 1.5, 'text-background-color': c.background, 'text-background-opacity': 0.8,
      'text-background-padding': '1px', 'control-point-step-size': 90 } },
    { selector: 'edge.labelled, edge.hover, edge:selected', style: { label: 'data(label)' } },
    { selector: 'node.cycle', style: { 'border-color': c.warning, 'border-width': 3, color: c.warning } },
    { selector: 'edge.cycle', style: { 'line-color': c.warning, 'target-arrow-color': c.warning, width: 3, color: c.warning } },
    { selector: 'node:selected', style: { 'border-color': c.selected, 'border-width': 3 } },
    { selector: 'edge:selected', style: { 'line-color': c.selected, 'target-arrow-color': c.selected } },
    { selector: '.more', style: { 'border-style': 'dashed' } },
    // Added by the working tree (not in HEAD): drawn dashed and heavy, in the selection colour.
    { selector: 'edge.added', style: { 'line-style': 'dashed', width: 3, 'line-color': c.selected, 'target-arrow-color': c.selected } },
    { selector: 'edge.added.cycle', style: { 'line-color': c.warning, 'target-arrow-color': c.warning } },
  ]);
}

/** Classes within one edge of `ids`. */
function neighbours(ids: Iterable<string>): Set<string> {
  const from = new Set(ids);
  const out = new Set(from);
  for (const e of data?.edges ?? []) {
    if (from.has(e.from) || from.has(e.to)) {
      out.add(e.from);
      out.add(e.to);
    }
  }
  return out;
}

const inFolder = (n: NodeData, folder: string) => !folder || n.folders.some((f) => f === folder || f.startsWith(`${folder}/`));

/** What the page opens on: the focus and its neighbours, else all, the cycles, or the busiest. */
function opening(g: GraphData): Set<string> {
  const nodes = g.nodes.filter((n) => inFolder(n, g.folder ?? ''));
  const focus = g.focus.filter((id) => g.nodes.some((n) => n.id === id));
  if (focus.length > 0) return neighbours(focus);
  if (nodes.length <= SHOW_ALL_UP_TO) return new Set(nodes.map((n) => n.id));
  // The cycles alone: their classes may have dozens of neighbours each (dashed: more to show).
  const cyclic = nodes.filter((n) => n.inCycle).map((n) => n.id);
  if (cyclic.length > 0) return new Set(cyclic);
  const degree = new Map<string, number>();
  for (const e of g.edges) for (const id of [e.from, e.to]) degree.set(id, (degree.get(id) ?? 0) + 1);
  return new Set(nodes.map((n) => n.id).sort((a, b) => (degree.get(b) ?? 0) - (degree.get(a) ?? 0)).slice(0, BUSIEST));
}

const edgeLabel = (e: EdgeData) => {
  const steps = e.chains[0]?.steps ?? [];
  const first = steps[0]?.function;
  const last = steps.at(-1)?.function;
  return first === last ? `${first}()` : `${first}() … ${last}()`;
};

/** Classes whose name holds the lock filter's text (any case), and their neighbours; else the opening. */
function filtered(g: GraphData): Set<string> {
  const text = $<HTMLInputElement>('filter').value.trim().toLowerCase();
  return text ? neighbours(g.nodes.filter((n) => n.id.toLowerCase().includes(text)).map((n) => n.id)) : opening(g);
}

/** Draws the classes shown that the folder filter keeps, and lays them out. */
function draw(): void {
  if (!data) return;
  const g = data;
  const folder = $<HTMLInputElement>('folder').value.trim().replace(/\/+$/, '');
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const ids = [...shown].filter((id) => byId.has(id) && inFolder(byId.get(id)!, folder));
  const keep = new Set(ids);
  const edges = g.edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  // More to show (dashed): a neighbour not drawn that the folder filter would let in.
  const hidden = (id: string) => g.edges.some((e) => {
    const other = e.from === id ? e.to : e.to === id ? e.from : undefined;
    return other !== undefined && !keep.has(other) && inFolder(byId.get(other)!, folder);
  });
  const elements: ElementDefinition[] = [
    ...ids.map((id) => ({ group: 'nodes' as const, data: { id }, classes: [byId.get(id)!.inCycle ? 'cycle' : '', hidden(id) ? 'more' : ''].join(' ').trim() })),
    ...edges.map((e) => ({
      group: 'edges' as const, data: { id: e.id, source: e.from, target: e.to, label: edgeLabel(e) },
      classes: [e.inCycle ? 'cycle labelled' : edges.length <= LABEL_ALL_UP_TO ? 'labelled' : '', e.added ? 'added labelled' : ''].join(' ').trim(),
    })),
  ];
  const t0 = performance.now();
  cy.batch(() => {
    cy.elements().remove();
    cy.add(elements);
  });
  cy.layout({ name: 'dagre', rankDir: 'TB', nodeSep: 60, edgeSep: 40, rankSep: 110, animate: false } as cytoscape.LayoutOptions).run();
  fit();
  // Measured to the next frame drawn: the layout, and the drawing of it.
  requestAnimationFrame(() => host.postMessage({ type: 'laidOut', nodes: ids.length, edges: edges.length, ms: performance.now() - t0 }));
  const added = edges.filter((e) => e.added).length;
  $('count').textContent = `${ids.length} of ${g.nodes.length} classes, ${edges.length} of ${g.edges.length} dependencies${added > 0 ? ` (${added} added by the working tree, dashed)` : ''}`;
}

/** The whole drawing in view, no larger than life; a large one, around its cycles, still readable. */
function fit(): void {
  cy.fit(undefined, 30);
  if (cy.zoom() > 1.2) {
    cy.zoom(1.2);
    cy.center();
  } else if (cy.zoom() < READABLE_ZOOM) {
    cy.zoom(READABLE_ZOOM);
    const asked = cy.nodes().filter((n) => data?.focus.includes(n.id()) ?? false);
    cy.center(asked.nonempty() ? asked : cy.nodes('.cycle').nonempty() ? cy.nodes('.cycle') : undefined);
  }
}

function stepItem(s: StepData): HTMLLIElement {
  const li = document.createElement('li');
  const b = document.createElement('button');
  b.className = 'step';
  b.type = 'button';
  b.textContent = s.message;
  const where = document.createElement('span');
  where.className = 'where';
  where.textContent = ` ${s.path}:${s.line + 1}`;
  b.append(where);
  b.addEventListener('click', () => host.postMessage({ type: 'open', file: s.file, line: s.line, column: s.column }));
  li.append(b);
  return li;
}

/** The chains of these dependencies, each step a link to its source. */
function showChains(title: string, edges: readonly EdgeData[]): void {
  const section = $('details');
  section.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = title;
  section.append(h);
  for (const e of edges) {
    for (const c of e.chains) {
      const head = document.createElement('h3');
      head.textContent = `${e.from} → ${e.to} (${c.kind})`;
      if (e.inCycle) head.className = 'cycle';
      const list = document.createElement('ul');
      list.append(...c.steps.map(stepItem));
      section.append(head, list);
    }
  }
}

/** The chains panel before anything is clicked. */
const HINT = (): HTMLElement[] => {
  const h = document.createElement('h2');
  h.textContent = 'Chains';
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = 'Click a dependency or a class to list its chains; double-click a class to show its neighbours.';
  return [h, p];
};

function showCycles(g: GraphData): void {
  const list = $('cycles').querySelector('ul')!;
  list.replaceChildren();
  for (const c of g.cycles) {
    const b = document.createElement('button');
    b.className = 'step cycle';
    b.type = 'button';
    b.textContent = [...c, c[0]].join(' → ');
    b.addEventListener('click', () => {
      // The cycle whole, whatever the filters said.
      $<HTMLInputElement>('filter').value = '';
      $<HTMLInputElement>('folder').value = '';
      shown = new Set(c);
      draw();
      showChains(`Cycle of ${c.length} classes`, g.edges.filter((e) => e.inCycle && c.includes(e.from) && c.includes(e.to)));
    });
    const li = document.createElement('li');
    li.append(b);
    list.append(li);
  }
  if (g.cycles.length === 0) list.textContent = 'None.';
}

cy.on('tap', 'edge', (ev) => {
  const e = data?.edges.find((x) => x.id === ev.target.id());
  if (!e) return;
  showChains(`${e.from} → ${e.to}`, [e]);
  // Where the dependency is made: the acquisition of the second class, the first chain's end.
  const at = e.chains[0]?.steps.at(-1);
  if (at) host.postMessage({ type: 'open', file: at.file, line: at.line, column: at.column });
});
cy.on('mouseover', 'edge', (ev) => ev.target.addClass('hover'));
cy.on('mouseout', 'edge', (ev) => ev.target.removeClass('hover'));
cy.on('tap', 'node', (ev) => {
  const id = ev.target.id() as string;
  const drawn = (c: string) => cy.$id(c).nonempty();
  showChains(id, (data?.edges ?? []).filter((e) => (e.from === id || e.to === id) && drawn(e.from) && drawn(e.to)));
});
// A mouse gives `dblclick`, a touch screen `dbltap`; a class already shown with its neighbours draws nothing new.
cy.on('dbltap dblclick', 'node', (ev) => {
  if (!data) return;
  const more = new Set([...shown, ...neighbours([ev.target.id() as string])]);
  if (more.size === shown.size) return;
  shown = more;
  // After cytoscape is done with the event: drawing anew removes its target.
  setTimeout(draw);
});

$('all').addEventListener('click', () => {
  if (!data) return;
  $<HTMLInputElement>('filter').value = '';
  shown = new Set(data.nodes.map((n) => n.id));
  draw();
});
$('fit').addEventListener('click', fit);
// Filters apply as one types, once the typing pauses.
let typing: ReturnType<typeof setTimeout> | undefined;
const onPause = (then: () => void) => () => {
  clearTimeout(typing);
  typing = setTimeout(then, 250);
};
// The lock filter chooses the classes (expandable from there); the folder filter only hides.
$('filter').addEventListener('input', onPause(() => {
  if (!data) return;
  shown = filtered(data);
  draw();
}));
$('folder').addEventListener('input', onPause(draw));

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const m = toPage(ev.data);
  if (!m) return;
  data = m.graph;
  $('title').textContent = data.title;
  // A new graph starts afresh: no filter but its folder, no chains of the last one.
  $<HTMLInputElement>('filter').value = '';
  $<HTMLInputElement>('folder').value = data.folder ?? '';
  $('details').replaceChildren(...HINT());
  $('folders').replaceChildren(...[...new Set(data.nodes.flatMap((n) => n.folders))].sort().map((f) => Object.assign(document.createElement('option'), { value: f })));
  shown = opening(data);
  showCycles(data);
  draw();
});

// VS Code marks a theme change on the body's classes.
new MutationObserver(applyTheme).observe(document.body, { attributes: true, attributeFilter: ['class'] });
applyTheme();
$('details').replaceChildren(...HINT());
host.postMessage({ type: 'ready' });
