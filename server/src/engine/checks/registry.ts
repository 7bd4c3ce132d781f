// The checks, one file each under engine/checks/, named by their finding code. A check reads the
// loaded tree (and, as the lock model grows, the summaries) and returns findings; it never does I/O.

import type { Finding, FindingCode } from '../findings';
import type { LoadedTree } from '../workspace';
import { lockImbalance } from './lock-imbalance';
import { lockInversion } from './lock-inversion';
import { missingLock } from './missing-lock';
import { recursiveLock } from './recursive-lock';
import { sleepInAtomic } from './sleep-in-atomic';
import { srcuDeadlock } from './srcu-deadlock';
import { srcuImbalance } from './srcu-imbalance';
import { srcuSelfDeadlock } from './srcu-self-deadlock';
import { srcuUnprotectedDeref } from './srcu-unprotected-deref';
import { srcuMismatch } from './srcu-mismatch';
import { unlockUnheld } from './unlock-unheld';
import { waitUnderLock } from './wait-under-lock';

/** A check; `run` reads the loaded tree (symbols, index and lock summaries). */
export interface Check {
  readonly code: FindingCode;
  run(tree: LoadedTree): readonly Finding[];
}

/** Every check the engine runs. */
export const checks: readonly Check[] = [
  lockInversion, lockImbalance, unlockUnheld, srcuImbalance, srcuMismatch, recursiveLock, missingLock, srcuDeadlock, srcuSelfDeadlock,
  sleepInAtomic, srcuUnprotectedDeref, waitUnderLock,
];
