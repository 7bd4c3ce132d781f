// A tree as a git revision has it, read from the repository's objects: the user's checkout is
// never touched (no checkout, no worktree). A SourceReader like the others; paths are absolute,
// under the repository's top folder.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { SourceReader } from '../engine/source/reader';

const git = (cwd: string, args: readonly string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });

/** The repository's top folder above `dir`; undefined outside one. */
export function gitTop(dir: string): string | undefined {
  try {
    return git(dir, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    return undefined;
  }
}

/** The commit `rev` names in the repository at `top`; undefined when it names none. */
export function commitOf(top: string, rev: string): string | undefined {
  try {
    return git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim() || undefined;
  } catch {
    return undefined;
  }
}

export class GitReader implements SourceReader {
  private readonly files: ReadonlySet<string>;
  private readonly dirs = new Map<string, Map<string, boolean>>();

  constructor(private readonly top: string, private readonly commit: string) {
    this.files = new Set(git(top, ['ls-tree', '-r', '--name-only', '-z', commit]).split('\0').filter(Boolean));
    for (const f of this.files) {
      const parts = f.split('/');
      for (let i = 0; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        let entries = this.dirs.get(dir);
        if (!entries) this.dirs.set(dir, (entries = new Map()));
        entries.set(parts[i]!, i < parts.length - 1);
      }
    }
  }

  private relative(p: string): string | undefined {
    const r = path.relative(this.top, p);
    return r.startsWith('..') || path.isAbsolute(r) ? undefined : r.split(path.sep).join('/');
  }

  readFile(p: string): string {
    const r = this.relative(p);
    if (r === undefined || !this.files.has(r)) throw new Error(`not in ${this.commit.slice(0, 12)}`);
    return git(this.top, ['cat-file', 'blob', `${this.commit}:${r}`]);
  }

  isFile(p: string): boolean {
    const r = this.relative(p);
    return r !== undefined && this.files.has(r);
  }

  isDirectory(p: string): boolean {
    const r = this.relative(p);
    return r !== undefined && this.dirs.has(r);
  }

  readDirectory(p: string): { name: string; directory: boolean }[] {
    const r = this.relative(p);
    return [...(r === undefined ? [] : this.dirs.get(r) ?? [])].map(([name, directory]) => ({ name, directory }));
  }
}
