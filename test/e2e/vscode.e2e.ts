/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The .vsix in a real VS Code (code-server), on a copy of seed 003's tree, driven through
// Chromium as a user would: the extension activates and indexes (status bar), the inversion is
// squiggled on its line and listed in Problems with its related locations, the lock graph shows
// the cycle, and the quick fix that releases reset_lock around the removal makes it go. A
// screenshot of each step goes to test-output/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openVsCode } from './codeServer';
import { kernelLikeTree, OUTPUT, vsixPath } from './workspace';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUTPUT, `${name}.png`) });

/** Runs a command from the palette, by its title. */
async function command(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.keyboard.type(title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Moves the cursor to `line[:column]` with Go to Line, once its box is open, and checks it got there. */
async function goTo(page: Page, where: string): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(where);
  await page.keyboard.press('Enter');
  // (The status bar counts columns as drawn, a tab as four: only the line is compared.)
  await page.locator('.statusbar-item', { hasText: `Ln ${where.split(':')[0]},` }).waitFor();
}

/** The 1-based line numbers on which the editor draws an error squiggle. */
async function squiggledLines(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const numbers = [...document.querySelectorAll('.editor-instance .margin-view-overlays .line-numbers')] as HTMLElement[];
    return [...document.querySelectorAll('.editor-instance .squiggly-error')].map((s) => {
      const y = s.getBoundingClientRect().top;
      const n = numbers.find((l) => Math.abs(l.getBoundingClientRect().top - y) < 4);
      return Number(n?.textContent ?? 0);
    });
  });
}

test('vscode: the packaged extension reviews seed 003 in a real VS Code: status, squiggle, Problems, graph, quick fix', { timeout: 240_000 }, async () => {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const tree = kernelLikeTree();
  const editor = await openVsCode(vsixPath(), tree);
  const { page } = editor;
  try {
    // Activated and indexed: the status bar counts the finding.
    const status = page.locator('.statusbar-item', { hasText: /1 lock finding/ });
    await status.waitFor({ timeout: 90_000 });
    await shot(page, '1-status');

    // The file with the acquisition that closes the cycle, squiggled on line 72 (down_write).
    await page.keyboard.press('Control+P');
    await page.keyboard.type('pciehp_hpc.c');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'pciehp_hpc.c' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .view-lines').first().waitFor();
    await goTo(page, '72');
    // Squiggles are drawn only for the lines in view.
    await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 60_000 });
    assert.ok((await squiggledLines(page)).includes(72), `squiggles on lines ${await squiggledLines(page)}`);
    await shot(page, '2-squiggle');

    // Problems: the finding, and its chains as related locations.
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'possible circular locking dependency' }).first();
    await problem.waitFor();
    // The finding with its code, then both chains' steps, each at its file and line (the list
    // may draw itself again as diagnostics are refreshed: read until all are there).
    const wanted = [
      /possible circular locking dependency.*lockreview\s*\(?lock-inversion/,
      /pciehp_ctrl\.c\[Ln \d+, Col \d+\]:\[controller\.reset_lock -> device\.mutex\]/,
      /pci\.c\[Ln \d+, Col \d+\]:\[device\.mutex -> controller\.reset_lock\]/,
    ];
    let rows: string[] = [];
    for (let i = 0; i < 50 && !wanted.every((w) => rows.some((r) => w.test(r))); i++) {
      await page.waitForTimeout(200);
      rows = await page.evaluate(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((e) => (e as HTMLElement).innerText.replace(/\n/g, '')));
    }
    for (const w of wanted) assert.ok(rows.some((r) => w.test(r)), `${w} in Problems:\n${rows.join('\n')}`);
    await shot(page, '3-problems');

    // The lock graph: the cycle, in its webview.
    await command(page, 'Lock Review: Show Lock Graph');
    const graph = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await graph.locator('#cycles button', { hasText: 'controller.reset_lock → device.mutex → controller.reset_lock' }).waitFor({ timeout: 60_000 });
    assert.match(await graph.locator('#count').textContent() ?? '', /4 of 4 classes, 4 of 4 dependencies/);
    await page.waitForTimeout(500);
    await shot(page, '4-graph');

    // The quick fix on the squiggled line: release reset_lock around the removal; the finding goes.
    // (Back in the editor first: the graph's webview has the keyboard.)
    await page.locator('.editor-instance .view-lines').first().click();
    await goTo(page, '72:4');
    const fix = page.locator('.action-widget .monaco-list-row, .context-view .monaco-list-row', { hasText: 'Release &ctrl->reset_lock around pci_stop_and_remove_bus_device()' }).first();
    // The code actions come from the server: ask again if the menu opened before they did.
    for (let i = 0; i < 5 && !(await fix.isVisible()); i++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+.');
      await fix.waitFor({ timeout: 5000 }).catch(() => undefined);
    }
    await fix.waitFor();
    await shot(page, '5-quick-fix');
    await fix.click();
    await page.locator('.statusbar-item', { hasText: /0 lock findings/ }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    assert.deepEqual(await squiggledLines(page), []);
    await shot(page, '6-fixed');
  } catch (e) {
    await shot(page, 'failure').catch(() => undefined);
    throw e;
  } finally {
    await editor.close();
    fs.rmSync(tree, { recursive: true, force: true });
  }
});
