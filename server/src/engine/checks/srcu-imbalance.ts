// srcu-imbalance: an SRCU read-side section not left on some path. A reader that never leaves
// blocks every synchronize_srcu() on that srcu_struct forever.
import type { Check } from './registry';
import { exitImbalances } from './exitImbalance';
import { describe } from './support';

export const srcuImbalance: Check = {
  code: 'srcu-imbalance',
  run: (tree) =>
    exitImbalances(tree, 'srcu-imbalance', (h) => h.primitive === 'srcu' && !h.fromCaller,
      (h, s) => `${s.name}() returns inside the SRCU read-side section of ${describe(h)}; other paths leave it`),
};
