/// <reference lib="dom" />
// The graph page on a real subsystem: drivers/pci + drivers/base of linux-source-6.12 (.ci/run
// installs it; elsewhere the test is skipped, saying why). It opens on the classes of its cycles,
// and "Show all" draws everything; each is laid out and drawn in under 2 s in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kernelTree } from '../../bench/kernel';
import { kernelGraph, OUTPUT, openPage, show } from './browser';

const root = kernelTree({ install: false });
const skip = root ? false : 'linux-source-6.12 is not installed (apt-get install -y linux-source-6.12)';

test('graph page: drivers/pci + drivers/base of linux-source-6.12 open and lay out in under 2 s', { skip }, async () => {
  const graph = await kernelGraph(root!);
  assert.ok(graph.nodes.length > 50 && graph.edges.length > 50, `${graph.nodes.length} classes, ${graph.edges.length} dependencies`);
  const p = await openPage();
  try {
    // No focus: it opens on the classes of the cycles, each marked as having more to show.
    const opened = await show(p.page, graph);
    const cyclic = graph.nodes.filter((n) => n.inCycle).length;
    assert.ok(cyclic > 0 && opened.nodes === cyclic, `opens on the ${cyclic} classes of cycles (drew ${opened.nodes})`);
    assert.ok(opened.ms < 2000, `opened in ${Math.round(opened.ms)} ms`);
    const marked = await p.page.evaluate(() => (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph.nodes('.cycle.more').length);
    assert.equal(marked, cyclic, 'each has neighbours not shown yet');
    fs.mkdirSync(OUTPUT, { recursive: true });
    await p.page.screenshot({ path: path.join(OUTPUT, 'graph-pci-base-cycles.png') });
    // A double-click on a class shows its neighbours too.
    const drawn = () => p.page.evaluate(() => (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph.nodes().map((n) => n.id()));
    const around = await p.page.evaluate(() => {
      const cy = (window as unknown as { lockGraph: import('cytoscape').Core }).lockGraph;
      const box = document.getElementById('graph')!.getBoundingClientRect();
      const at = cy.$id('pci_slot_mutex').renderedPosition();
      return { x: box.left + at.x, y: box.top + at.y };
    });
    const laidBefore = (await p.posted()).length;
    await p.page.mouse.dblclick(around.x, around.y);
    await p.page.waitForFunction((n) => (window as unknown as { posted: { type: string }[] }).posted.slice(n).some((m) => m.type === 'laidOut'), laidBefore);
    const expanded = await drawn();
    const slotNeighbours = new Set(graph.edges.flatMap((e) => (e.from === 'pci_slot_mutex' ? [e.to] : e.to === 'pci_slot_mutex' ? [e.from] : [])));
    assert.ok(expanded.length > cyclic && [...slotNeighbours].every((n) => expanded.includes(n)), `${expanded.length} classes after the double-click`);
    // The folder filter keeps the classes taken in that folder.
    await p.page.fill('#folder', 'drivers/pci/hotplug');
    await p.page.waitForFunction((n) => (window as unknown as { posted: { type: string }[] }).posted.length > n + 1, laidBefore);
    const filtered = await drawn();
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    assert.ok(filtered.length > 0 && filtered.length < expanded.length, `${filtered.length} classes in drivers/pci/hotplug`);
    assert.ok(filtered.every((id) => byId.get(id)!.folders.some((f) => f.startsWith('drivers/pci/hotplug'))));
    const cleared = (await p.posted()).length;
    await p.page.fill('#folder', '');
    await p.page.waitForFunction((n) => (window as unknown as { posted: unknown[] }).posted.length > n, cleared);
    // Everything: the whole graph laid out and drawn.
    const before = (await p.posted()).length;
    await p.page.click('#all');
    await p.page.waitForFunction((n) => (window as unknown as { posted: { type: string }[] }).posted.slice(n).some((m) => m.type === 'laidOut'), before);
    const all = (await p.posted()).slice(before).find((m) => m.type === 'laidOut');
    assert.ok(all?.type === 'laidOut');
    assert.equal(all.nodes, graph.nodes.length);
    assert.equal(all.edges, graph.edges.length);
    assert.ok(all.ms < 2000, `the whole graph (${all.nodes} classes, ${all.edges} dependencies) laid out and drawn in ${Math.round(all.ms)} ms`);
    await p.page.screenshot({ path: path.join(OUTPUT, 'graph-pci-base-all.png') });
    assert.deepEqual(p.console.filter((m) => /pageerror|Content Security Policy/i.test(m)), []);
    console.log(`graph page, drivers/pci + drivers/base: opens on ${opened.nodes} classes in ${Math.round(opened.ms)} ms; all ${all.nodes} classes and ${all.edges} dependencies in ${Math.round(all.ms)} ms`);
  } finally {
    await p.close();
  }
});
