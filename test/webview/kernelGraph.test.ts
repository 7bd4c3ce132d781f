/// <reference lib="dom" />
// The graph page on a real subsystem: drivers/pci + drivers/base of linux-source-6.12 (.ci/run
// installs it; elsewhere the test is skipped, saying why). It opens on the classes of its cycles,
// and "Show all" draws everything; each is laid out and drawn in under 2 s in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kernelTree } from '../../bench/kernel';
import { listSourceFiles } from '../../server/src/engine/workspace';
import { FileSystemReader } from '../../server/src/host/fsReader';
import { loadTreeParallel } from '../../server/src/host/parallelTree';
import { graphData } from '../../server/src/lsp/graphData';
import { OUTPUT, openPage, show } from './browser';

const root = kernelTree({ install: false });
const skip = root ? false : 'linux-source-6.12 is not installed (apt-get install -y linux-source-6.12)';

/** The graph of drivers/pci + drivers/base, as the server sends it for "Show Lock Graph". */
export async function kernelGraph(tree: string) {
  const reader = new FileSystemReader();
  const files = ['drivers/pci', 'drivers/base'].flatMap((f) => listSourceFiles(path.join(tree, f), reader));
  return graphData(await loadTreeParallel(files, { root: tree }), {});
}

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
    console.log(`graph page, drivers/pci + drivers/base: opens on ${opened.nodes} classes in ${Math.round(opened.ms)} ms; all ${all.nodes} classes and ${all.edges} dependencies in ${Math.round(all.ms)} ms`);
  } finally {
    await p.close();
  }
});
