// What HEAD has, so that the editor can tell the findings the working tree adds (issue 9): the
// folder's tree with every file that differs from HEAD — on disk, or in an unsaved buffer — read
// back as HEAD has it (from git's objects), reviewed once per HEAD and set of such files.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { dependencies } from '../engine/diff';
import type { FindingCode } from '../engine/findings';
import { identityKey, identityOf } from '../engine/identity';
import type { Catalog } from '../engine/locks/catalog';
import { TreeModel } from '../engine/model';
import { reviewTree } from '../engine/review';
import type { IdiomTable } from '../engine/source/idioms';
import type { LoadedTree } from '../engine/workspace';
import { commitOf, gitTop, GitReader } from '../host/gitReader';

export interface Baseline {
  /** Identity keys (identity.ts) of HEAD's findings, one per finding. */
  readonly findings: readonly string[];
  /** Keys of HEAD's dependencies (diff.ts). */
  readonly dependencies: ReadonlySet<string>;
}

export class HeadBaseline {
  private readonly top: string | undefined;
  private commit: string | undefined;
  private memo: { key: string; baseline: Baseline } | undefined;

  constructor(folder: string) {
    this.top = gitTop(folder);
    this.refresh();
  }

  /** Reads which commit HEAD is again (after a commit or a checkout). */
  refresh(): void {
    this.commit = this.top ? commitOf(this.top, 'HEAD') : undefined;
  }

  /** Files under `folder` that differ from HEAD on disk: modified, added, deleted, untracked. */
  changedOnDisk(folder: string): string[] {
    if (!this.top) return [];
    try {
      const out = execFileSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', folder], { cwd: this.top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      // Entries are "XY path", NUL-separated; a rename is followed by its old path.
      const entries = out.split('\0').filter(Boolean);
      const files: string[] = [];
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        files.push(path.join(this.top, e.slice(3)));
        if (e[0] === 'R' || e[0] === 'C') files.push(path.join(this.top, entries[++i]!));
      }
      return files;
    } catch {
      return [];
    }
  }

  /**
   * HEAD's findings and dependencies, given the tree as it stands and the files that differ from
   * HEAD; undefined outside a git repository or without a HEAD.
   */
  baseline(tree: LoadedTree, changed: readonly string[], vocabulary: { idioms: IdiomTable; catalog: Catalog }, checks: ReadonlySet<FindingCode>): Baseline | undefined {
    const { top, commit } = this;
    if (!top || !commit) return undefined;
    const relevant = [...new Set(changed)].filter((f) => tree.symbols.has(f) || tree.files.includes(f) || /\.[ch]$/.test(f)).sort();
    const key = JSON.stringify([commit, relevant, [...checks].sort()]);
    if (this.memo?.key === key) return this.memo.baseline;
    const model = new TreeModel(tree, { reader: new GitReader(top, commit), ...vocabulary });
    try {
      for (const f of relevant) if (tree.symbols.has(f) || tree.files.includes(f)) model.update(f);
      const head = model.tree;
      const baseline: Baseline = {
        findings: reviewTree(head, { checks, unfiltered: true }).findings.map((f) => identityKey(identityOf(head, f))),
        dependencies: new Set(dependencies(head).keys()),
      };
      this.memo = { key, baseline };
      return baseline;
    } finally {
      model.dispose();
    }
  }
}
