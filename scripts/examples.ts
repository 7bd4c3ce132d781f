// The bundled examples and the C fixtures state what they expect in comments:
// `/* expect: CODE CLASS... */` (or `/* expect: none */`). Shared by the demo and the tests.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ExpectComment {
  /** 1-based line of the comment. */
  readonly line: number;
  /** What follows `expect:`: `lock-imbalance mdev_list_lock`, or `none`. */
  readonly text: string;
}

export function expectComments(source: string): ExpectComment[] {
  return source.split('\n').flatMap((l, i) =>
    [...l.matchAll(/\/\*\s*expect:\s*([^*]*?)\s*\*\//g)].map((m) => ({ line: i + 1, text: m[1]! })));
}

/** Folders under `dir` holding .c files directly, sorted: each is one variant of one scenario. */
export function exampleVariants(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const here = entries.some((e) => e.isFile() && e.name.endsWith('.c')) ? [dir] : [];
  return here.concat(...entries.filter((e) => e.isDirectory()).map((e) => exampleVariants(path.join(dir, e.name))));
}
