/// <reference lib="dom" />
// The graph page opened on its own in headless Chromium (Debian's, driven by playwright-core), as
// the extension's webview shows it: `acquireVsCodeApi` records what the page posts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { pageHtml } from '../../client/webview/page';
import { listSourceFiles } from '../../server/src/engine/workspace';
import { FileSystemReader } from '../../server/src/host/fsReader';
import { loadTreeParallel } from '../../server/src/host/parallelTree';
import { graphData } from '../../server/src/lsp/graphData';
import type { FromPage, GraphData } from '../../server/src/protocol/graph';

export const repo = path.resolve(__dirname, '..', '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const OUTPUT = path.join(repo, 'test-output');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The page in a fresh browser, with `acquireVsCodeApi` recording what the page posts. */
export async function openPage(): Promise<{ context: BrowserContext; page: Page; posted: () => Promise<FromPage[]>; console: string[]; close: () => Promise<void> }> {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-page-'));
  const html = path.join(dir, 'graph.html');
  const script = path.join(repo, 'out', 'webview', 'graph.js');
  fs.writeFileSync(html, pageHtml({ script: pathToFileURL(script).href, cspSource: 'file:', nonce: 'Tm9uY2VGb3JUZXN0' }));
  const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1200, height: 700 } });
  const page = context.pages()[0] ?? await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { posted: unknown[]; acquireVsCodeApi: () => unknown };
    w.posted = [];
    w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.posted.push(m) });
  });
  await page.goto(pathToFileURL(html).href);
  const posted = () => page.evaluate(() => (window as unknown as { posted: FromPage[] }).posted);
  return { context, page, posted, console, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** Posts the graph as the extension would, and waits for the page to say it is laid out. */
export async function show(page: Page, graph: GraphData, timeout = 30_000): Promise<Extract<FromPage, { type: 'laidOut' }>> {
  await page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'), undefined, { timeout });
  const before = await page.evaluate(() => (window as unknown as { posted: unknown[] }).posted.length);
  await page.evaluate((g) => window.postMessage({ type: 'graph', graph: g }, '*'), graph as unknown as Record<string, unknown>);
  await page.waitForFunction((n) => (window as unknown as { posted: { type: string }[] }).posted.slice(n).some((m) => m.type === 'laidOut'), before, { timeout });
  const all = await page.evaluate(() => (window as unknown as { posted: FromPage[] }).posted);
  return all.slice(before).find((m): m is Extract<FromPage, { type: 'laidOut' }> => m.type === 'laidOut')!;
}


/** The graph of drivers/pci + drivers/base, as the server sends it for "Show Lock Graph". */
export async function kernelGraph(tree: string): Promise<GraphData> {
  const reader = new FileSystemReader();
  const files = ['drivers/pci', 'drivers/base'].flatMap((f) => listSourceFiles(path.join(tree, f), reader));
  return graphData(await loadTreeParallel(files, { root: tree }), {});
}

