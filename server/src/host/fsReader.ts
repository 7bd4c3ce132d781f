// The reader over the real file system, shared by the CLI and the language server.
import * as fs from 'node:fs';
import type { SourceReader } from '../engine/source/reader';

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
    return fs.statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  }

  isDirectory(path: string): boolean {
    return fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  }

  readDirectory(path: string): { name: string; directory: boolean }[] {
    return fs.readdirSync(path, { withFileTypes: true }).map((e) => ({
      name: e.name,
      // A symlink counts as what it points to; a dangling one as a file whose read then fails.
      directory: e.isDirectory() || (e.isSymbolicLink() && this.isDirectory(`${path}/${e.name}`)),
    }));
  }
}
