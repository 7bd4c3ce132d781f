// Shared test helpers: parse snippets through the real front end, build trees from strings.
import assert from 'node:assert/strict';
import type { Finding } from '../server/src/engine/findings';
import { initParser, parseC, type SyntaxNode } from '../server/src/engine/source/parser';
import { normalise } from '../server/src/engine/source/normalise';
import { MemoryReader } from '../server/src/engine/source/reader';
import { loadTree, type LoadedTree } from '../server/src/engine/workspace';

export const ready = initParser();

/** The first ERROR or MISSING node of a parse, as `line:col type`, or undefined when clean. */
export function firstError(text: string): string | undefined {
  const tree = parseC(text);
  try {
    const stack: SyntaxNode[] = [tree.rootNode];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'ERROR' || n.isMissing) return `${n.startPosition.row + 1}:${n.startPosition.column + 1} ${n.isMissing ? 'MISSING' : 'ERROR'}`;
      for (const c of n.children) if (c && (c.hasError || c.isMissing)) stack.push(c);
    }
    return undefined;
  } finally {
    tree.delete();
  }
}

export function normalised(text: string): string {
  return normalise(text).text;
}

/** Loads an in-memory tree rooted at /k; keys are paths under it. */
export async function memoryTree(files: Record<string, string>, analyse?: string[]): Promise<LoadedTree> {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`/k/${k}`, v]));
  const targets = (analyse ?? Object.keys(files).filter((f) => f.endsWith('.c'))).map((f) => `/k/${f}`);
  return loadTree(targets, { root: '/k', reader: new MemoryReader(abs) });
}

/** Every class pair of the cycle has its chain in the notes: `[A -> B] …` from A taken to B taken. */
export function assertBothChains(f: Finding): void {
  const locks = [...f.locks];
  for (let i = 0; i < locks.length; i++) {
    const tag = `[${locks[i]} -> ${locks[(i + 1) % locks.length]}]`;
    const chain = f.related.filter((r) => r.message.startsWith(tag));
    assert.ok(chain.length >= 2, `${f.message}: no chain ${tag}`);
    assert.match(chain[0]!.message, / (acquired here|held on entry)/, `${tag} starts where ${locks[i]} is taken`);
    // (An srcu_struct is "taken" by synchronize_srcu(), which waits for its readers.)
    assert.match(chain.at(-1)!.message, /acquired here|waits for the readers of/, `${tag} ends where ${locks[(i + 1) % locks.length]} is taken`);
  }
}
