// The package's own folder (where package.json, grammars/ and docs/ are), found upwards from the
// running code: out/server/src/… when built with tsc, dist/ when bundled into the extension.
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'docs', 'checks'))) return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`lockreview: no package folder above ${__dirname}`);
  }
}
