// Shared argument handling: the tree root and the paths to analyse.
import * as path from 'node:path';
import type { SourceReader } from '../engine/source/reader';
import { findKernelRoot, listSourceFiles } from '../engine/workspace';

/** A usage or input error: the CLI prints it and exits with status 2. */
export class UsageError extends Error {}

export interface Targets {
  readonly root: string;
  readonly files: string[];
}

/**
 * Absolute files to analyse from the command-line PATHs (directories expanded to their .c and .h
 * files) and the tree root: `--root`, else the nearest ancestor of the first PATH holding
 * `include/linux`, else the current directory.
 */
export function resolveTargets(paths: readonly string[], rootOption: string | undefined, reader: SourceReader): Targets {
  const cwd = process.cwd();
  const absolute = (paths.length > 0 ? paths : ['.']).map((p) => path.resolve(cwd, p));
  const files: string[] = [];
  for (const p of absolute) {
    if (reader.isDirectory(p)) files.push(...listSourceFiles(p, reader));
    else if (reader.isFile(p)) files.push(p);
    else throw new UsageError(`${p}: no such file or directory`);
  }
  let root: string;
  if (rootOption !== undefined) {
    root = path.resolve(cwd, rootOption);
    if (!reader.isDirectory(root)) throw new UsageError(`--root ${rootOption}: not a directory`);
  } else {
    const first = absolute[0]!;
    root = findKernelRoot(reader.isDirectory(first) ? first : path.dirname(first), reader) ?? cwd;
  }
  return { root, files };
}

/** How a path is shown: relative to `base` when inside it, else as it is. */
export function displayPath(file: string, base: string): string {
  const rel = path.relative(base, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
