// A kernel-like tree for the end-to-end tests: seed 003's files (examples/003-pciehp-reset/buggy)
// under scenario/buggy, the stub header they include, and include/linux/*.h (what the extension
// looks for to serve a folder, and activates on). A fresh copy per run: a quick fix applied in the editor changes it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repo = path.resolve(__dirname, '..', '..', '..');
export const OUTPUT = path.join(repo, 'test-output', 'e2e');

export function kernelLikeTree(): string {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-e2e-tree-'));
  fs.cpSync(path.join(repo, 'examples', 'include'), path.join(top, 'include'), { recursive: true });
  fs.mkdirSync(path.join(top, 'include', 'linux'), { recursive: true });
  fs.writeFileSync(path.join(top, 'include', 'linux', 'mutex.h'), '/* the kernel tree\'s mark: include/linux/*.h */\n');
  fs.cpSync(path.join(repo, 'examples', '003-pciehp-reset', 'buggy'), path.join(top, 'scenario', 'buggy'), { recursive: true });
  return top;
}

/** The .vsix `npm run package` wrote. */
export function vsixPath(): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
  const vsix = path.join(repo, `lockreview-${version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first (npm run test:e2e does)`);
  return vsix;
}
