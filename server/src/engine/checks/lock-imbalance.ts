// lock-imbalance: some path returns holding a lock that other paths release (seed 004: the
// duplicate-UUID exit of mdev_device_create returned with mdev_list_lock held).
import type { Check } from './registry';
import { exitImbalances } from './exitImbalance';
import { describe } from './support';

export const lockImbalance: Check = {
  code: 'lock-imbalance',
  run: (tree) =>
    exitImbalances(tree, 'lock-imbalance', (h) => h.primitive !== 'srcu' && !h.fromCaller,
      (h, s) => `${s.name}() returns with ${describe(h)} held on this path; other paths release it`),
};
