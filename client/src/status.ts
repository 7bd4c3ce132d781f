// What the client decides without VS Code: which folders it serves, and the status bar's words.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A folder lockreview serves: a kernel tree (it has include/linux), or one configured for it. */
export function servesFolder(folder: string): boolean {
  return fs.existsSync(path.join(folder, 'include', 'linux')) || fs.existsSync(path.join(folder, 'lockreview.json'));
}

/** The server's `lockreview/status` notification. */
export interface Status {
  readonly state: 'indexing' | 'ready';
  readonly done?: number;
  readonly total?: number;
  readonly findings?: number;
}

export function statusText(s: Status): string {
  if (s.state === 'indexing') return `$(sync~spin) Locks: ${(s.done ?? 0).toLocaleString('en')}/${s.total === undefined ? '?' : s.total.toLocaleString('en')} files`;
  return `$(lock) ${s.findings ?? 0} lock finding${s.findings === 1 ? '' : 's'}`;
}
