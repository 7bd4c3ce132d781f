// The engine reads source only through a reader it is given: the CLI passes one over the file
// system, the language server one that prefers the editor's unsaved buffers, tests one over a map.

export interface SourceReader {
  /** The file's text. Throws (with a message naming the problem) when it cannot be read. */
  readFile(path: string): string;
  /** True when `path` is a file that exists. */
  isFile(path: string): boolean;
  /** True when `path` is a directory. */
  isDirectory(path: string): boolean;
  /** Entries of a directory: names, and whether each is a directory. */
  readDirectory(path: string): readonly { name: string; directory: boolean }[];
}

/** The file's text, or undefined when it cannot be read (gone, a directory, no permission). */
export function readOrUndefined(reader: SourceReader, path: string): string | undefined {
  try {
    return reader.readFile(path);
  } catch {
    return undefined;
  }
}

/** A reader over an in-memory map of absolute paths to text (tests, unsaved buffers). */
export class MemoryReader implements SourceReader {
  private readonly files: ReadonlyMap<string, string>;

  constructor(files: Record<string, string> | ReadonlyMap<string, string>) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
  }

  readFile(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw new Error('no such file');
    return text;
  }

  isFile(path: string): boolean {
    return this.files.has(path);
  }

  isDirectory(path: string): boolean {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const name of this.files.keys()) if (name.startsWith(prefix)) return true;
    return false;
  }

  readDirectory(path: string): { name: string; directory: boolean }[] {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const entries = new Map<string, boolean>();
    for (const name of this.files.keys()) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      const slash = rest.indexOf('/');
      entries.set(slash < 0 ? rest : rest.slice(0, slash), slash >= 0);
    }
    return [...entries].map(([name, directory]) => ({ name, directory }));
  }
}
