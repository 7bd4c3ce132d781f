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
