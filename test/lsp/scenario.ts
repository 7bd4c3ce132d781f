// A scenario folder copied for a server to work on, and what tests read of its diagnostics.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestEditor } from './client';

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


/** A server on a copy of seed 003's buggy tree, once it has published the inversion. */
export async function onSeed003(initializationOptions?: object): Promise<{
  readonly dir: string; readonly editor: TestEditor; readonly hpc: string;
  readonly inversion: NonNullable<ReturnType<TestEditor['diagnosticsOf']>>[number];
  close(): Promise<void>;
}> {
  const dir = copyOf(path.join(examples, 'buggy'));
  const editor = new TestEditor();
  await editor.initialize(dir, {}, initializationOptions);
  await editor.indexed();
  const hpc = path.join(dir, 'pciehp_hpc.c');
  await editor.until(() => inversions(editor, hpc).length === 1, 'the inversion');
  return { dir, editor, hpc, inversion: inversions(editor, hpc)[0]!, close: async () => { await editor.close(); removeCopy(dir); } };
}

/** The code actions the server offers for a diagnostic of `file`. */
export function codeActions<T>(editor: TestEditor, file: string, d: { range: unknown }): Promise<T[]> {
  return editor.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: pathToFileURL(file).href }, range: d.range, context: { diagnostics: [d] } }) as Promise<T[]>;
}
