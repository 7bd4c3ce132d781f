// One source file read and parsed: the original text, its normalised twin (same offsets) and the
// syntax tree of the twin. Positions in the tree are positions in the original.

import { defaultIdioms, type IdiomTable } from './idioms';
import { normalise, type Rewrite } from './normalise';
import { parseC, type SyntaxTree } from './parser';

export interface ParsedSource {
  readonly path: string;
  readonly text: string;
  readonly normalisedText: string;
  readonly rewrites: readonly Rewrite[];
  readonly tree: SyntaxTree;
}

/** Why a file was skipped. */
export interface FileProblem {
  readonly file: string;
  readonly reason: string;
}

/** Files larger than this are generated tables, not code to review; parsing them costs seconds. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** Checks that `text` is C source we can read; returns the reason when it is not. */
export function unreadableReason(text: string): string | undefined {
  if (text.length > MAX_SOURCE_BYTES) return `too large (${text.length} characters, limit ${MAX_SOURCE_BYTES})`;
  if (text.includes('\0')) return 'binary content (NUL bytes), not C source';
  return undefined;
}

/**
 * Normalises and parses; throws with a plain reason when the text is not C we can read. With the
 * file as parsed before, only what changed is parsed again (its tree is then spent: delete it).
 */
export function parseSource(path: string, text: string, idioms: IdiomTable = defaultIdioms, earlier?: ParsedSource): ParsedSource {
  const reason = unreadableReason(text);
  if (reason) throw new Error(reason);
  const { text: normalisedText, rewrites } = normalise(text, idioms);
  const tree = parseC(normalisedText, earlier && { tree: earlier.tree, text: earlier.normalisedText });
  return { path, text, normalisedText, rewrites, tree };
}
