/// <reference lib="dom" />
// The graph page on its own in headless Chromium (Debian's, driven by playwright-core), as the
// extension's webview shows it: seed 003's graph drawn, its cycle in the warning colour, and a
// click on a dependency posting the place to open. A screenshot goes to test-output/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultCatalog } from '../../server/src/engine/locks/catalog';
import { listSourceFiles, loadTree } from '../../server/src/engine/workspace';
import { FileSystemReader } from '../../server/src/host/fsReader';
import { graphData } from '../../server/src/lsp/graphData';
import { ready } from '../helpers';
import type { GraphData } from '../../server/src/protocol/graph';
import { OUTPUT, openPage, repo, show } from './browser';

test('graph page: seed 003 drawn with its cycle in the warning colour; a click on a dependency posts where to open', async () => {
  await ready;
  const root = path.join(repo, 'examples', '003-pciehp-reset', 'buggy');
  const reader = new FileSystemReader();
  const tree = await loadTree(listSourceFiles(root, reader), { root, reader, catalog: defaultCatalog });
  const graph = graphData(tree, {});
  const p = await openPage();
  try {
    const laid = await show(p.page, graph);
    assert.equal(laid.nodes, graph.nodes.length, 'a small graph opens whole');
    const drawn = await p.page.evaluate(() => {
      const cy = (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph;
      return {
        nodes: cy.nodes().map((n) => n.id()).sort(),
        cycle: cy.elements('.cycle').map((x) => x.id()).sort(),
        colour: cy.$id('device.mutex').style('border-color') as string,
        plain: cy.$id('controller.state_lock').style('border-color') as string,
      };
    });
    assert.deepEqual(drawn.nodes, ['controller.reset_lock', 'controller.state_lock', 'device.mutex', 'vfio_pci_core_device.memory_lock']);
    assert.deepEqual(drawn.cycle, ['controller.reset_lock', 'controller.reset_lock -> device.mutex', 'device.mutex', 'device.mutex -> controller.reset_lock']);
    assert.equal(drawn.colour, 'rgb(204,136,0)', 'the warning colour (its fallback, outside VS Code)');
    assert.notEqual(drawn.plain, drawn.colour);

    // A real click on the middle of the edge device.mutex -> controller.reset_lock, as drawn.
    const edge = graph.edges.find((e) => e.id === 'device.mutex -> controller.reset_lock')!;
    const at = await p.page.evaluate((id) => {
      const cy = (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph;
      const box = document.getElementById('graph')!.getBoundingClientRect();
      const m = cy.$id(id).renderedMidpoint();
      return { x: box.left + m.x, y: box.top + m.y };
    }, edge.id);
    await p.page.mouse.click(at.x, at.y);
    await p.page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'open'));
    const where = edge.chains[0]!.steps.at(-1)!;
    assert.equal(where.function, 'pciehp_reset_slot');
    const opened = (await p.posted()).filter((m) => m.type === 'open');
    assert.deepEqual(opened, [{ type: 'open', file: where.file, line: where.line, column: where.column }]);
    // The chains are listed; a step of them opens its own place.
    const first = edge.chains[0]!.steps[0]!;
    await p.page.getByRole('button', { name: new RegExp(`^${first.message.replace(/[()[\]]/g, '\\$&')}`) }).first().click();
    const last = (await p.posted()).filter((m) => m.type === 'open').at(-1);
    assert.deepEqual(last, { type: 'open', file: first.file, line: first.line, column: first.column });

    fs.mkdirSync(OUTPUT, { recursive: true });
    await p.page.screenshot({ path: path.join(OUTPUT, 'graph-seed003.png') });
    assert.deepEqual(p.console.filter((m) => /Content Security Policy|pageerror|Refused/i.test(m)), []);
  } finally {
    await p.close();
  }
});

test('graph page: a message that is not a graph is ignored', async () => {
  const p = await openPage();
  try {
    await p.page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'));
    await p.page.evaluate(() => {
      window.postMessage({ type: 'graph', graph: { title: 1 } }, '*');
      window.postMessage('<img src=x onerror=alert(1)>', '*');
    });
    await p.page.waitForTimeout(200);
    const title = await p.page.textContent('#title');
    assert.equal(title, 'Lock graph');
    assert.deepEqual((await p.posted()).map((m) => m.type), ['ready']);
  } finally {
    await p.close();
  }
});

test('graph page: filters, a second graph, cycles and expansion behave', async () => {
  const at = (file: string) => ({ file: `/k/${file}`, path: file, line: 1, column: 0, function: 'f', message: `in ${file}` });
  const edge = (from: string, to: string, file: string, inCycle = false) => ({ id: `${from} -> ${to}`, from, to, kinds: ['EN'], inCycle, chains: [{ kind: 'EN', steps: [at(file), at(file)] }] });
  const node = (id: string, folder: string, inCycle = false) => ({ id, primitive: 'mutex', inCycle, folders: [folder] });
  const graph: GraphData = {
    title: 'synthetic', focus: [], cycles: [['A', 'B'], ['X', 'Y']],
    nodes: [node('A', 'a', true), node('B', 'a', true), node('C', 'a'), node('X', 'b', true), node('Y', 'b', true)],
    edges: [edge('A', 'B', 'a/1.c', true), edge('B', 'A', 'a/1.c', true), edge('C', 'X', 'a/2.c'), edge('X', 'Y', 'b/1.c', true), edge('Y', 'X', 'b/1.c', true)],
  };
  const p = await openPage();
  const drawn = () => p.page.evaluate(() => (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph.nodes().map((n) => `${n.id()}${n.hasClass('more') ? '+' : ''}`).sort());
  const settle = async (act: () => Promise<unknown>) => {
    const n = (await p.posted()).length;
    await act();
    await p.page.waitForFunction((k) => (window as unknown as { posted: { type: string }[] }).posted.slice(k).some((m) => m.type === 'laidOut'), n);
  };
  try {
    await p.page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'));
    // Before any graph, the buttons and filters do nothing, and nothing breaks.
    await p.page.click('#all');
    await p.page.fill('#filter', 'a');
    await p.page.waitForTimeout(400);
    await show(p.page, { ...graph, focus: ['nope'] });
    assert.deepEqual(await drawn(), ['A', 'B', 'C', 'X', 'Y'], 'a focus that names no class: the page chooses (all, small as it is)');
    assert.equal(await p.page.inputValue('#filter'), '', 'a new graph clears the lock filter');

    // The folder filter hides; a class whose other neighbours are all hidden is not marked "more".
    await settle(() => p.page.fill('#folder', 'a'));
    assert.deepEqual(await drawn(), ['A', 'B', 'C']);
    // The lock filter (any case) chooses the classes: c and its neighbour x.
    await settle(() => p.page.fill('#folder', ''));
    await settle(() => p.page.fill('#filter', 'c'));
    assert.deepEqual(await drawn(), ['C', 'X+']);
    // A class tapped lists the chains of the dependencies drawn.
    const c = await p.page.evaluate(() => {
      const cy = (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph;
      const box = document.getElementById('graph')!.getBoundingClientRect();
      const q = cy.$id('C').renderedPosition();
      return { x: box.left + q.x, y: box.top + q.y };
    });
    await p.page.mouse.click(c.x, c.y);
    assert.match(await p.page.textContent('#details') ?? '', /C → X \(EN\)/);
    // A double-click shows the neighbours.
    const x = await p.page.evaluate(() => {
      const cy = (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph;
      const box = document.getElementById('graph')!.getBoundingClientRect();
      const q = cy.$id('X').renderedPosition();
      return { x: box.left + q.x, y: box.top + q.y };
    });
    await settle(() => p.page.mouse.dblclick(x.x, x.y));
    assert.deepEqual(await drawn(), ['C', 'X', 'Y']);
    // A cycle from the list is drawn whole, whatever the filters said.
    await settle(() => p.page.fill('#folder', 'a'));
    await settle(() => p.page.getByRole('button', { name: 'X → Y → X' }).click());
    assert.deepEqual(await drawn(), ['X+', 'Y']);
    assert.equal(await p.page.inputValue('#folder'), '');

    // A dependency the working tree adds is drawn dashed, and counted.
    await show(p.page, { ...graph, edges: graph.edges.map((e) => (e.id === 'C -> X' ? { ...e, added: true } : e)) });
    const dashed = await p.page.evaluate(() => (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph.edges('.added').map((e) => `${e.id()} ${e.style('line-style')}`));
    assert.deepEqual(dashed, ['C -> X dashed']);
    assert.match(await p.page.textContent('#count') ?? '', /\(1 added by the working tree, dashed\)/);

    // A second graph: the last one's chains go.
    await show(p.page, { ...graph, title: 'second', nodes: graph.nodes.slice(0, 2), edges: graph.edges.slice(0, 2), cycles: [['A', 'B']] });
    assert.deepEqual(await drawn(), ['A', 'B']);
    assert.doesNotMatch(await p.page.textContent('#details') ?? '', /X/);
    assert.deepEqual(p.console.filter((m) => /pageerror|Content Security Policy/i.test(m)), []);
  } finally {
    await p.close();
  }
});
