// The reader over the real file system, shared by the CLI and the language server.
import * as fs from 'node:fs';
import type { SourceReader } from '../engine/source/reader';

/** `stat` that answers undefined for any path it cannot stat (missing, too long, a loop, …). */
function stat(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export class FileSystemReader implements SourceReader {
  readFile(path: string): string {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new Error(err.code === 'EISDIR' ? 'is a directory' : (err.code ?? err.message));
    }
  }

  isFile(path: string): boolean {
    return stat(path)?.isFile() ?? false;
  }

  isDirectory(path: string): boolean {
    return stat(path)?.isDirectory() ?? false;
  }

  /**
   * Entries of a directory. Symbolic links to directories are not listed as directories, so a
   * walk never loops (`self -> .`) and never leaves the tree; a PATH given on the command line is
   * followed all the same.
   */
  readDirectory(path: string): { name: string; directory: boolean }[] {
    try {
      return fs.readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
    } catch {
      return [];
    }
  }
}
