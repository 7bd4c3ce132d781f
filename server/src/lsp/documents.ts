// What the engine reads in the editor: an open buffer's text where there is one, else the disk.
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import type { SourceReader } from '../engine/source/reader';

export class BufferReader implements SourceReader {
  constructor(private readonly documents: TextDocuments<TextDocument>, private readonly disk: SourceReader) {}

  private open(path: string): TextDocument | undefined {
    for (const d of this.documents.all()) if (d.uri.startsWith('file:') && fileURLToPath(d.uri) === path) return d;
    return undefined;
  }

  readFile(path: string): string {
    return this.open(path)?.getText() ?? this.disk.readFile(path);
  }

  isFile(path: string): boolean {
    return this.open(path) !== undefined || this.disk.isFile(path);
  }

  isDirectory(path: string): boolean {
    return this.disk.isDirectory(path);
  }

  readDirectory(path: string): readonly { name: string; directory: boolean }[] {
    return this.disk.readDirectory(path);
  }
}
