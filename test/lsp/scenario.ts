// A scenario folder copied for a server to work on, and what tests read of its diagnostics.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestEditor } from './client';

export const examplesRoot = path.resolve(__dirname, '..', '..', '..', 'examples');
export const examples = path.join(examplesRoot, '003-pciehp-reset');

/** A scratch copy of a scenario folder, two levels below a copy of examples/include it includes. */
export function copyOf(dir: string): string {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'lockreview-lsp-'));
  fs.cpSync(path.join(examplesRoot, 'include'), path.join(top, 'include'), { recursive: true });
  const to = path.join(top, 'scenario', 'buggy');
  fs.cpSync(dir, to, { recursive: true });
  return to;
}

export const removeCopy = (dir: string) => fs.rmSync(path.resolve(dir, '..', '..'), { recursive: true, force: true });

export const inversions = (e: TestEditor, file: string) => (e.diagnosticsOf(file) ?? []).filter((d) => d.code === 'lock-inversion');

