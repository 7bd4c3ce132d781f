// Incremental parsing gives the tree a parse from scratch gives, keystroke by keystroke, also
// while the text does not parse (a half-typed statement).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseC, type SyntaxNode } from '../../server/src/engine/source/parser';
import { ready } from '../helpers';

/** Every node with its type and extent, in order. */
function nodes(n: SyntaxNode, out: string[] = []): string[] {
  out.push(`${n.type}@${n.startIndex}-${n.endIndex}`);
  for (const c of n.children) if (c) nodes(c, out);
  return out;
}

const file = path.resolve(__dirname, '..', '..', '..', 'examples', '003-pciehp-reset', 'buggy', 'pciehp_hpc.c');

test('parser: typing a statement one character at a time, the kept tree re-parsed gives the fresh tree', async () => {
  await ready;
  const original = fs.readFileSync(file, 'utf8');
  const at = original.indexOf('\n{\n') + 3;
  const typed = '\tpci_lock_rescan_remove(); /* é, 😀 */\n';
  let text = original;
  let tree = parseC(text);
  try {
    let withErrors = 0;
    for (let n = 1; n <= typed.length; n++) {
      const next = original.slice(0, at) + typed.slice(0, n) + original.slice(at);
      const again = parseC(next, { tree, text });
      tree.delete();
      tree = again;
      text = next;
      const fresh = parseC(next);
      try {
        assert.deepEqual(nodes(tree.rootNode), nodes(fresh.rootNode), `after ${JSON.stringify(typed.slice(0, n))}`);
        if (fresh.rootNode.hasError) withErrors++;
      } finally {
        fresh.delete();
      }
    }
    assert.ok(withErrors > 5, 'some of the texts typed do not parse');
  } finally {
    tree.delete();
  }
});
