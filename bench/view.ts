/// <reference lib="dom" />
// npm run bench:view — the graph page on drivers/pci + drivers/base of linux-source-6.12, in
// Debian's Chromium: the time from the graph's arrival to its first frame drawn, for the view it
// opens on (the classes of the cycles) and for "Show all". RUNS fresh pages; medians.
import { kernelTree, machine, median } from './kernel';
import { kernelGraph, openPage, show } from '../test/webview/browser';

const RUNS = Number(process.env.RUNS ?? 5);

async function main(): Promise<void> {
  const root = kernelTree({ install: true, version: '6.12' });
  const graph = await kernelGraph(root);
  console.log(`machine: ${machine()}`);
  console.log(`linux-source-6.12 drivers/pci + drivers/base: ${graph.nodes.length} classes, ${graph.edges.length} dependencies, ${graph.cycles.length} cycles; ${RUNS} pages`);
  const opened: number[] = [];
  const all: number[] = [];
  const total: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const p = await openPage();
    try {
      opened.push((await show(p.page, graph)).ms);
      // From the page's navigation to its first frame with the graph: load, bundle, message, layout.
      total.push(await p.page.evaluate(() => performance.now()));
      const before = (await p.posted()).length;
      await p.page.click('#all');
      await p.page.waitForFunction((n) => (window as unknown as { posted: { type: string }[] }).posted.slice(n).some((m) => m.type === 'laidOut'), before);
      const laid = (await p.posted()).slice(before).find((m) => m.type === 'laidOut');
      if (laid?.type === 'laidOut') all.push(laid.ms);
    } finally {
      await p.close();
    }
  }
  const ms = (xs: number[]) => `${Math.round(median(xs))} ms (runs: ${xs.map((x) => Math.round(x)).join(', ')})`;
  console.log(`  opens (the classes of the cycles) laid out and drawn: ${ms(opened)}`);
  console.log(`  from the page's navigation to the graph drawn (the page loaded, then the above): ${ms(total)}`);
  console.log(`  Show all (every class and dependency) laid out and drawn: ${ms(all)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
