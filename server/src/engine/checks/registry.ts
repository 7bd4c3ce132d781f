// The checks, one file each under engine/checks/, named by their finding code. A check reads the
// loaded tree (and, as the lock model grows, the summaries) and returns findings; it never does I/O.

import type { Finding, FindingCode } from '../findings';
import type { LoadedTree } from '../workspace';

export interface Check {
  readonly code: FindingCode;
  run(tree: LoadedTree): readonly Finding[];
}

/** Every check the engine runs. Empty until the lock model (issue 3) gives them facts to read. */
export const checks: readonly Check[] = [];
