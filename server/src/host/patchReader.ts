// A tree with a patch applied in memory: the base tree's reader, with the files the patch touches
// read as it leaves them. Reads a unified diff as `git diff` or `git format-patch` (an mbox) writes
// it, parsed and applied by jsdiff. A patch that does not apply says which file and why.
import * as path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import type { SourceReader } from '../engine/source/reader';

/** `a/drivers/pci/pci.c` → `drivers/pci/pci.c`; undefined for /dev/null (an added or deleted file). */
const pathOf = (name: string | undefined): string | undefined => {
  if (!name || name === '/dev/null') return undefined;
  return name.replace(/^[ab]\//, '');
};

export class PatchedReader implements SourceReader {
  private readonly texts = new Map<string, string>();
  private readonly deleted = new Set<string>();

  /** `top`: the folder the patch's paths are relative to (the repository's top). */
  constructor(private readonly base: SourceReader, top: string, patch: string, source: string) {
    // An mbox (git format-patch) signs each mail off with "-- " and git's version: not a hunk's line.
    let files: ReturnType<typeof parsePatch>;
    try {
      files = parsePatch(patch.replace(/^-- \n.*(?:\n|$)/gm, ''));
    } catch (e) {
      throw new Error(`${source}: not a patch jsdiff can read: ${(e as Error).message}`);
    }
    if (files.length === 0 || files.every((f) => f.hunks.length === 0)) throw new Error(`${source}: no unified diff in it`);
    for (const f of files) {
      if (f.hunks.length === 0) continue;
      const before = pathOf(f.oldFileName);
      const after = pathOf(f.newFileName);
      const oldText = before ? this.read(path.join(top, before), source) : '';
      const result = applyPatch(oldText, f);
      if (result === false) throw new Error(`${source}: the change to ${after ?? before} does not apply to the base tree`);
      if (before && !after) this.deleted.add(path.join(top, before));
      if (after) this.texts.set(path.join(top, after), result);
    }
  }

  private read(file: string, source: string): string {
    try {
      return this.readFile(file);
    } catch (e) {
      throw new Error(`${source}: ${file} is not in the base tree (${(e as Error).message})`);
    }
  }

  readFile(p: string): string {
    const text = this.texts.get(p);
    if (text !== undefined) return text;
    if (this.deleted.has(p)) throw new Error('deleted by the patch');
    return this.base.readFile(p);
  }

  isFile(p: string): boolean {
    return this.texts.has(p) || (!this.deleted.has(p) && this.base.isFile(p));
  }

  isDirectory(p: string): boolean {
    return this.base.isDirectory(p) || [...this.texts.keys()].some((f) => f.startsWith(p + path.sep));
  }

  readDirectory(p: string): { name: string; directory: boolean }[] {
    const out = new Map(this.base.readDirectory(p).filter((e) => !this.deleted.has(path.join(p, e.name))).map((e) => [e.name, e.directory]));
    for (const f of this.texts.keys()) {
      const r = path.relative(p, f);
      if (r.startsWith('..') || path.isAbsolute(r)) continue;
      const [first, ...rest] = r.split(path.sep);
      if (first && !out.has(first)) out.set(first, rest.length > 0);
    }
    return [...out].map(([name, directory]) => ({ name, directory }));
  }
}
