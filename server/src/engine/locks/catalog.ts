// The kernel's locking vocabulary, as data: what each primitive does to which argument. The lock
// model reads nothing else to know that `down_read_trylock` may fail, that `device_lock(dev)`
// takes `dev->mutex`, or that `msleep` sleeps. A user extends it from `lockreview.json`.

/** How a lock is held (DESIGN.md, "acquisition kinds"). */
export type LockMode = 'exclusive' | 'shared' | 'recursive-read';

/** The primitive family: decides what "atomic context" and "sleeping" mean for it. */
export type Primitive =
  | 'mutex' | 'spinlock' | 'raw-spinlock' | 'rwlock' | 'rwsem' | 'rcu' | 'srcu' | 'device'
  | 'pci-cfg' | 'semaphore'
  /** Not locks: sections of atomic context, one per CPU (interrupts, bottom halves, preemption off). */
  | 'irq' | 'bh' | 'preempt';

/** Where the lock is, from the call's arguments: `arg` itself, or a field path from it. */
export interface LockOperand {
  /** Argument index holding the lock (or a pointer to its owner); undefined for RCU (global). */
  readonly arg?: number;
  /** Fields from the argument to the lock: `device_lock(dev)` takes `dev->mutex`. */
  readonly path?: readonly string[];
}

/** How an acquisition may fail, and what it returns on success (see `fallible` below). */
export type Fallible = 'try' | 'try-zero' | 'interruptible';
/** A trylock never waits for the lock: no dependency into it, and it does not sleep. */
export const isTry = (f: Fallible | undefined): boolean => f === 'try' || f === 'try-zero';
/** The acquisition happened when its result tests true (else when it tests false: returns 0). */
export const succeedsWhenTrue = (f: Fallible): boolean => f === 'try';

export type Effect =
  | (LockOperand & {
      readonly kind: 'acquire';
      readonly primitive: Primitive;
      readonly mode: LockMode;
      /**
       * May fail: a trylock (true on success), one that returns 0 on success (`down_trylock`),
       * or an interruptible/killable lock (0 on success).
       */
      readonly fallible?: Fallible;
      /** Argument index of a lockdep subclass (`mutex_lock_nested(l, SINGLE_DEPTH_NESTING)`). */
      readonly subclassArg?: number;
      /** Interrupts or bottom halves disabled while held. */
      readonly irq?: 'irq' | 'irqsave' | 'bh';
      /** `srcu_read_lock` returns the index that `srcu_read_unlock` must be given. */
      readonly returnsIndex?: boolean;
    })
  | (LockOperand & {
      readonly kind: 'release';
      readonly primitive: Primitive;
      readonly mode?: LockMode;
      /** Argument index of the SRCU index (`srcu_read_unlock(ssp, idx)`). */
      readonly indexArg?: number;
      /**
       * Also turns interrupts (`spin_unlock_irqrestore`) or bottom halves (`spin_unlock_bh`) back
       * on: it ends such a section the caller opened by hand (`local_irq_save(); spin_lock()`).
       */
      readonly irq?: 'irq' | 'bh';
    })
  | (LockOperand & { readonly kind: 'downgrade'; readonly primitive: Primitive })
  | (LockOperand & { readonly kind: 'assert-held'; readonly primitive?: Primitive; readonly mode?: LockMode })
  | (LockOperand & { readonly kind: 'synchronize'; readonly primitive: 'rcu' | 'srcu' })
  | (LockOperand & { readonly kind: 'srcu-dereference'; readonly checked?: boolean })
  | (LockOperand & { readonly kind: 'wait'; readonly on: 'completion' | 'work' | 'workqueue' | 'timer' | 'kthread' })
  | (LockOperand & { readonly kind: 'complete' })
  | { readonly kind: 'sleep'; /** Sleeps only when this argument's GFP flags allow it. */ readonly gfpArg?: number }
  | { readonly kind: 'irq-disable' | 'irq-enable' | 'bh-disable' | 'bh-enable' | 'preempt-disable' | 'preempt-enable' }
  /** Never returns (`BUG()`, `panic()`): the path ends here. */
  | { readonly kind: 'noreturn' }
  /**
   * Calls the function given as argument `arg` when it returns true: `kref_put(ref, release)`
   * runs `release` when the count drops to zero, and `release` often drops a lock.
   */
  | { readonly kind: 'callback-if-true'; readonly arg: number }
  /** Calls the function given as argument `arg` before it returns (`device_for_each_child`). */
  | { readonly kind: 'callback'; readonly arg: number }
  | {
      readonly kind: 'async';
      /** Argument index of the work, timer or callback that runs later. */
      readonly arg?: number;
      /** Argument index of the workqueue it is queued on (`queue_work(wq, work)`). */
      readonly queue?: number;
    }
  /**
   * Binds the work item or timer given as argument `arg` to the function given as argument
   * `fn`, which runs it (`INIT_WORK(&x->work, fn)`, `timer_setup(&x->timer, fn, 0)`): waiting
   * for the item waits for that function (wait-under-lock).
   */
  | { readonly kind: 'bind'; readonly arg: number; readonly fn: number }
  /**
   * Starts a thread of its own running the function given as argument `arg` (an IRQ thread, a
   * kthread): one thread per call, so what it runs never runs twice at once for that call.
   */
  | { readonly kind: 'thread'; readonly arg: number };

/**
 * Structs embedded in many others, passed around generically: a callback reached with one of
 * these, of a kind the caller does not know, is not assumed to be any bus's or driver's.
 */
export const GENERIC_OBJECTS: ReadonlySet<string> = new Set(['struct device', 'struct kobject']);
/**
 * Arguments whose truth is known: a callee taking a lock only `if (!probe)` does not take it for
 * `pci_bus_reset(bus, PCI_RESET_PROBE)`.
 */
/**
 * GFP flags: whether an allocation with them may sleep, as `gfpflags_allow_blocking()` tells
 * (they include `__GFP_DIRECT_RECLAIM`). Undefined when the text names no known GFP constant.
 */
export function gfpAllowsBlocking(flags: string): boolean | undefined {
  // `atomic ? GFP_ATOMIC : GFP_KERNEL`: both branches agree, or it is taken not to block (the
  // allocation is written for atomic callers too; calls.ts makes a parameter's test a need).
  const t = gfpChoice(flags);
  if (t) {
    const a = gfpAllowsBlocking(t.then);
    const b = gfpAllowsBlocking(t.otherwise);
    return a === b ? a : a === false || b === false ? false : undefined;
  }
  // Direct reclaim cleared (`gfp & ~__GFP_DIRECT_RECLAIM`): it cannot block.
  if (/~\s*\(?\s*__GFP_(?:DIRECT_)?RECLAIM\b/.test(flags)) return false;
  const names = flags.replace(/~\s*(?:\([^)]*\)|\w+)/g, '').match(/\b(?:__)?GFP_\w+/g);
  if (!names) return undefined;
  if (names.some((n) => GFP_BLOCKING.has(n))) return true;
  return names.some((n) => GFP_NONBLOCKING.has(n)) ? false : undefined;
}
/** `cond ? a : b` as written, split (blanks kept out of the condition); undefined for anything else. */
export function gfpChoice(flags: string): { cond: string; then: string; otherwise: string } | undefined {
  const m = /^\s*\(?([^?:()]+)\)?\s*\?([^?:]+):([^?:]+)$/.exec(flags);
  return m ? { cond: m[1]!.replace(/\s+/g, ''), then: m[2]!, otherwise: m[3]! } : undefined;
}
const GFP_BLOCKING: ReadonlySet<string> = new Set([
  'GFP_KERNEL', 'GFP_KERNEL_ACCOUNT', 'GFP_NOIO', 'GFP_NOFS', 'GFP_USER', 'GFP_HIGHUSER', 'GFP_HIGHUSER_MOVABLE',
  'GFP_NOWAIT_RECLAIM', '__GFP_DIRECT_RECLAIM', '__GFP_RECLAIM',
]);
const GFP_NONBLOCKING: ReadonlySet<string> = new Set(['GFP_ATOMIC', 'GFP_NOWAIT', 'GFP_DMA', 'GFP_DMA32']);
/** The need of an allocation made with the caller's GFP flags: they allow blocking. */
export const GFP_BLOCKING_TEST = '$&__GFP_DIRECT_RECLAIM';

export const FLAG_CONSTANTS: Readonly<Record<string, boolean>> = {
  true: true, false: false, 1: true, 0: false, NULL: false,
  PCI_RESET_PROBE: true, PCI_RESET_DO_RESET: false,
};

/**
 * What the kernel knows of an object by the struct it is embedded in, as conditions on it (`$`):
 * the device of a device link (`&link->link_dev`) is a class device of `devlink_class`, with no
 * firmware node, bus or driver, that needs no power management. A callee's path that tests its
 * device the other way (`if (dev->class == &devlink_class) return;`) is not taken for it.
 */
export const KIND_FACTS: Readonly<Record<string, Readonly<Record<string, boolean>>>> = {
  'struct device_link': {
    '$->class==&devlink_class': true, '$->fwnode': false, '$->bus': false, '$->driver': false,
    'device_pm_not_required($)': true,
  },
};

/**
 * The bus a device embedded in these structs is on: `dev->bus == &genpd_bus_type` is false for
 * the device of an auxiliary device, which `auxiliary_bus_probe()` has downcast.
 */
export const BUS_OF: Readonly<Record<string, string>> = {
  'struct pci_dev': '&pci_bus_type', 'struct platform_device': '&platform_bus_type',
  'struct auxiliary_device': '&auxiliary_bus_type', 'struct mdev_device': '&mdev_bus_type',
  'struct pcie_device': '&pcie_port_bus_type', 'struct xenbus_device': '&xenbus_frontend.bus',
};

/** What the catalog knows of condition `template` (on `$`) for an object within `struct`. */
export function kindFact(struct: string, template: string): boolean | undefined {
  const known = KIND_FACTS[struct]?.[template];
  if (known !== undefined) return known;
  const bus = /^\$->bus==(&[\w.]+)$/.exec(template)?.[1];
  return bus !== undefined && BUS_OF[struct] !== undefined ? bus === BUS_OF[struct] : undefined;
}

/**
 * Structs whose function fields are a driver's callbacks: the core calls them only for a device
 * the driver is bound to (or binding, in `probe`).
 */
export const DRIVER_STRUCTS: ReadonlySet<string> = new Set([
  'struct device_driver', 'struct pci_driver', 'struct platform_driver', 'struct xenbus_driver',
  'struct ap_driver', 'struct mdev_driver', 'struct pcie_port_service_driver', 'struct virtio_driver',
  'struct auxiliary_driver', 'struct usb_driver', 'struct i2c_driver', 'struct spi_driver',
  'struct amba_driver', 'struct fsl_mc_driver', 'struct cdx_driver', 'struct css_driver',
  'struct ccw_driver',
]);

/**
 * Functions during which the device of parameter `param` has no driver and can get none, so its
 * own lock (`lock`, the path from the parameter) there cannot be one a driver's callback runs
 * under. Other devices' locks reached from it (its bridge's) are not meant. `own`: only the function's own
 * acquisitions — `device_add()` takes the device lock to set `ready_to_probe`, which until then
 * keeps every probe away (what it calls afterwards may bind a driver). `all`: everything the
 * function reaches — `pci_device_add()` adds the device with `match_driver = false`, which the
 * PCI bus's match tests, until `pci_bus_add_device()` later.
 */
export const UNBOUND_DURING: Readonly<Record<string, { readonly param: number; readonly lock: string; readonly scope: 'own' | 'all' }>> = {
  device_add: { param: 0, lock: '->mutex', scope: 'own' },
  pci_device_add: { param: 0, lock: '->dev.mutex', scope: 'all' },
};

/**
 * Calls only the driver of a device with devices below it makes: registering a hotplug
 * controller or its slots, creating a host bridge's root bus. A file that makes one is such a
 * driver (a controller driver), and its callbacks run for that controller's device.
 */
export const CONTROLLER_REGISTRATIONS: ReadonlySet<string> = new Set([
  'pci_hp_register', '__pci_hp_register', 'pci_hp_initialize', '__pci_hp_initialize',
  'cpci_hp_register_controller',
  'pci_create_root_bus', 'pci_scan_root_bus', 'pci_scan_root_bus_bridge', 'pci_host_probe',
  'pci_alloc_host_bridge', 'devm_pci_alloc_host_bridge', 'pci_host_common_probe',
]);

/** Calls that (re)arm a completion: a wait after one in the same function waits for a fresh one. */
export const COMPLETION_INITS: ReadonlySet<string> = new Set(['init_completion', 'reinit_completion']);

/**
 * Calls the graph reads by name even when they reach no function of the tree (the two tables
 * above): any other call that reaches none is inert, and a change to it changes no lock order.
 */
export const CALLS_READ_BY_NAME: ReadonlySet<string> = new Set([...CONTROLLER_REGISTRATIONS, ...COMPLETION_INITS]);

/**
 * Functions that run drivers' callbacks (through the devices they add or remove) only for
 * devices that cannot be a given kind of controller, named by the registration its driver makes:
 * a VF has no devices below it, so no controller driver serves it; a board in a CompactPCI slot
 * is not the system's one cpci controller, which registered that slot.
 */
export const NOT_CONTROLLERS: Readonly<Record<string, readonly string[] | 'any'>> = {
  pci_iov_add_virtfn: 'any', pci_iov_remove_virtfn: 'any',
  cpci_configure_slot: ['cpci_hp_register_controller'], cpci_unconfigure_slot: ['cpci_hp_register_controller'],
};

/**
 * Accessors that return NULL for a NULL argument (and, as far as a test of the result cares,
 * only then): `if (!sp)` after `sp = bus_to_subsys(dev->bus)` tests `dev->bus`, which the
 * device of a device link has not.
 */
export const NULL_PASSING: ReadonlySet<string> = new Set(['bus_to_subsys', 'class_to_subsys']);

/** Calls that only test their argument: a path remembers their answer like a pure condition. */
export const PURE_TESTS: ReadonlySet<string> = new Set([
  'device_pm_not_required', 'device_is_registered', 'dev_is_pci', 'dev_is_pf', 'pci_is_bridge',
  'pci_is_root_bus', 'list_empty', 'list_entry_is_head',
]);

/** Marks such an argument in `Call.embedded`. */
export const UNKNOWN_KIND = '?';

export interface Catalog {
  readonly functions: ReadonlyMap<string, readonly Effect[]>;
}

type Row = readonly [names: string | readonly string[], effect: Effect];

const EX = 'exclusive' as const;
const SH = 'shared' as const;
const RR = 'recursive-read' as const;

/** Expands `mutex_lock{,_nested}` into both names. */
function names(pattern: string): string[] {
  const m = /^(.*)\{([^}]*)\}(.*)$/.exec(pattern);
  if (!m) return [pattern];
  return m[2]!.split(',').flatMap((alt) => names(`${m[1]}${alt}${m[3]}`));
}

const rows: Row[] = [
  // mutex
  [['mutex_lock', 'mutex_lock_io'], { kind: 'acquire', arg: 0, primitive: 'mutex', mode: EX }],
  [['mutex_lock_nested', 'mutex_lock_io_nested'], { kind: 'acquire', arg: 0, primitive: 'mutex', mode: EX, subclassArg: 1 }],
  [names('mutex_lock_{interruptible,killable}'), { kind: 'acquire', arg: 0, primitive: 'mutex', mode: EX, fallible: 'interruptible' }],
  [names('mutex_lock_{interruptible,killable}_nested'), { kind: 'acquire', arg: 0, primitive: 'mutex', mode: EX, fallible: 'interruptible', subclassArg: 1 }],
  [['mutex_trylock'], { kind: 'acquire', arg: 0, primitive: 'mutex', mode: EX, fallible: 'try' }],
  [['mutex_unlock'], { kind: 'release', arg: 0, primitive: 'mutex' }],
  // spinlocks
  [names('{spin,raw_spin}_lock'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX }],
  [names('{spin,raw_spin}_lock_nested'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, subclassArg: 1 }],
  [names('{spin,raw_spin}_lock_irq'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, irq: 'irq' }],
  [names('{spin,raw_spin}_lock_irqsave'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, irq: 'irqsave' }],
  [names('{spin,raw_spin}_lock_irqsave_nested'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, irq: 'irqsave', subclassArg: 2 }],
  [names('{spin,raw_spin}_lock_bh'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, irq: 'bh' }],
  [names('{spin,raw_spin}_trylock'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, fallible: 'try' }],
  [names('{spin,raw_spin}_trylock_irq'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, fallible: 'try', irq: 'irq' }],
  [names('{spin,raw_spin}_trylock_irqsave'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, fallible: 'try', irq: 'irqsave' }],
  [names('{spin,raw_spin}_trylock_bh'), { kind: 'acquire', arg: 0, primitive: 'spinlock', mode: EX, fallible: 'try', irq: 'bh' }],
  [names('{spin,raw_spin}_unlock'), { kind: 'release', arg: 0, primitive: 'spinlock' }],
  [names('{spin,raw_spin}_unlock{_irq,_irqrestore}'), { kind: 'release', arg: 0, primitive: 'spinlock', irq: 'irq' }],
  [names('{spin,raw_spin}_unlock_bh'), { kind: 'release', arg: 0, primitive: 'spinlock', irq: 'bh' }],
  // rwlock_t: readers are recursive (lockdep: read_lock is a recursive read lock)
  [names('read_lock{,_irq,_irqsave,_bh}'), { kind: 'acquire', arg: 0, primitive: 'rwlock', mode: RR }],
  [['read_trylock'], { kind: 'acquire', arg: 0, primitive: 'rwlock', mode: RR, fallible: 'try' }],
  [names('write_lock{,_irq,_irqsave,_bh}'), { kind: 'acquire', arg: 0, primitive: 'rwlock', mode: EX }],
  [['write_trylock'], { kind: 'acquire', arg: 0, primitive: 'rwlock', mode: EX, fallible: 'try' }],
  [['read_unlock'], { kind: 'release', arg: 0, primitive: 'rwlock', mode: RR }],
  [names('read_unlock{_irq,_irqrestore}'), { kind: 'release', arg: 0, primitive: 'rwlock', mode: RR, irq: 'irq' }],
  [['read_unlock_bh'], { kind: 'release', arg: 0, primitive: 'rwlock', mode: RR, irq: 'bh' }],
  [['write_unlock'], { kind: 'release', arg: 0, primitive: 'rwlock', mode: EX }],
  [names('write_unlock{_irq,_irqrestore}'), { kind: 'release', arg: 0, primitive: 'rwlock', mode: EX, irq: 'irq' }],
  [['write_unlock_bh'], { kind: 'release', arg: 0, primitive: 'rwlock', mode: EX, irq: 'bh' }],
  // rw_semaphore: readers are not recursive
  [['down_read'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: SH }],
  [['down_read_nested', 'down_read_non_owner'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: SH, subclassArg: 1 }],
  [names('down_read_{interruptible,killable}'), { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: SH, fallible: 'interruptible' }],
  [['down_read_killable_nested'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: SH, fallible: 'interruptible', subclassArg: 1 }],
  [['down_read_trylock'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: SH, fallible: 'try' }],
  [['down_write'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: EX }],
  [['down_write_nested'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: EX, subclassArg: 1 }],
  [['down_write_killable'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: EX, fallible: 'interruptible' }],
  [['down_write_killable_nested'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: EX, fallible: 'interruptible', subclassArg: 1 }],
  [['down_write_trylock'], { kind: 'acquire', arg: 0, primitive: 'rwsem', mode: EX, fallible: 'try' }],
  [['up_read', 'up_read_non_owner'], { kind: 'release', arg: 0, primitive: 'rwsem', mode: SH }],
  [['up_write'], { kind: 'release', arg: 0, primitive: 'rwsem', mode: EX }],
  [['downgrade_write'], { kind: 'downgrade', arg: 0, primitive: 'rwsem' }],
  // counting semaphores
  [['down'], { kind: 'acquire', arg: 0, primitive: 'semaphore', mode: EX }],
  [names('down_{interruptible,killable}'), { kind: 'acquire', arg: 0, primitive: 'semaphore', mode: EX, fallible: 'interruptible' }],
  [['down_trylock'], { kind: 'acquire', arg: 0, primitive: 'semaphore', mode: EX, fallible: 'try-zero' }],
  [['up'], { kind: 'release', arg: 0, primitive: 'semaphore' }],
  // RCU: one global read side, recursive
  [names('rcu_read_lock{,_bh,_sched}'), { kind: 'acquire', primitive: 'rcu', mode: RR }],
  [names('rcu_read_unlock{,_bh,_sched}'), { kind: 'release', primitive: 'rcu', mode: RR }],
  [names('synchronize_rcu{,_expedited}'), { kind: 'synchronize', primitive: 'rcu' }],
  // SRCU
  [names('srcu_read_lock{,_nmisafe,_lite}'), { kind: 'acquire', arg: 0, primitive: 'srcu', mode: RR, returnsIndex: true }],
  [names('srcu_read_unlock{,_nmisafe,_lite}'), { kind: 'release', arg: 0, primitive: 'srcu', mode: RR, indexArg: 1 }],
  [names('synchronize_srcu{,_expedited}'), { kind: 'synchronize', arg: 0, primitive: 'srcu' }],
  [['srcu_dereference'], { kind: 'srcu-dereference', arg: 1 }],
  [['srcu_dereference_check'], { kind: 'srcu-dereference', arg: 1, checked: true }],
  // the device and PCI locks: the device lock is `dev->mutex`, not validated by lockdep
  [['device_lock'], { kind: 'acquire', arg: 0, path: ['mutex'], primitive: 'device', mode: EX }],
  [['device_lock_interruptible'], { kind: 'acquire', arg: 0, path: ['mutex'], primitive: 'device', mode: EX, fallible: 'interruptible' }],
  [['device_trylock'], { kind: 'acquire', arg: 0, path: ['mutex'], primitive: 'device', mode: EX, fallible: 'try' }],
  [['device_unlock'], { kind: 'release', arg: 0, path: ['mutex'], primitive: 'device' }],
  [['device_lock_assert'], { kind: 'assert-held', arg: 0, path: ['mutex'], primitive: 'device' }],
  [['pci_dev_lock'], { kind: 'acquire', arg: 0, path: ['dev', 'mutex'], primitive: 'device', mode: EX }],
  [['pci_dev_trylock'], { kind: 'acquire', arg: 0, path: ['dev', 'mutex'], primitive: 'device', mode: EX, fallible: 'try' }],
  [['pci_dev_unlock'], { kind: 'release', arg: 0, path: ['dev', 'mutex'], primitive: 'device' }],
  [['pci_cfg_access_lock'], { kind: 'acquire', arg: 0, path: ['block_cfg_access'], primitive: 'pci-cfg', mode: EX }],
  [['pci_cfg_access_trylock'], { kind: 'acquire', arg: 0, path: ['block_cfg_access'], primitive: 'pci-cfg', mode: EX, fallible: 'try' }],
  [['pci_cfg_access_unlock'], { kind: 'release', arg: 0, path: ['block_cfg_access'], primitive: 'pci-cfg' }],
  // assertions
  [['lockdep_assert_held', 'lockdep_assert_held_once'], { kind: 'assert-held', arg: 0 }],
  [['lockdep_assert_held_write'], { kind: 'assert-held', arg: 0, mode: EX }],
  [['lockdep_assert_held_read'], { kind: 'assert-held', arg: 0, mode: SH }],
  [['lockdep_assert_in_rcu_read_lock'], { kind: 'assert-held', primitive: 'rcu' }],
  [['lockdep_assert_irqs_disabled'], { kind: 'assert-held', primitive: 'irq' }],
  [names('lockdep_assert_{preemption_disabled,in_softirq}'), { kind: 'assert-held', primitive: 'preempt' }],
  // waits and completes
  [names('wait_for_completion{,_io,_interruptible,_killable,_timeout,_io_timeout,_interruptible_timeout,_killable_timeout,_state}'), { kind: 'wait', arg: 0, on: 'completion' }],
  [names('{flush_work,cancel_work_sync,flush_delayed_work,cancel_delayed_work_sync,flush_rcu_work}'), { kind: 'wait', arg: 0, on: 'work' }],
  [names('{flush_workqueue,drain_workqueue,destroy_workqueue}'), { kind: 'wait', arg: 0, on: 'workqueue' }],
  [names('{del_timer_sync,timer_delete_sync,timer_shutdown_sync}'), { kind: 'wait', arg: 0, on: 'timer' }],
  [['kthread_stop'], { kind: 'wait', arg: 0, on: 'kthread' }],
  [names('complete{,_all,_release}'), { kind: 'complete', arg: 0 }],
  // calls that may sleep
  [names('{msleep,msleep_interruptible,ssleep,usleep_range,might_sleep,schedule,schedule_timeout,cond_resched,wait_event,wait_event_interruptible,wait_event_timeout,wait_event_interruptible_timeout,copy_from_user,copy_to_user,get_user,put_user,vmalloc,vzalloc,synchronize_net,request_firmware}'), { kind: 'sleep' }],
  [names('{kmalloc,kzalloc,kvmalloc,kvzalloc,kmem_cache_alloc,kmem_cache_zalloc,kstrdup}'), { kind: 'sleep', gfpArg: 1 }],
  [names('{alloc_pages,__get_free_pages,get_zeroed_page,__get_free_page}'), { kind: 'sleep', gfpArg: 0 }],
  [['kmemdup'], { kind: 'sleep', gfpArg: 2 }],
  [names('{kcalloc,kmalloc_array,kvcalloc,kvmalloc_array,krealloc,devm_kmalloc,devm_kzalloc}'), { kind: 'sleep', gfpArg: 2 }],
  [['kmalloc_node', 'kzalloc_node'], { kind: 'sleep', gfpArg: 1 }],
  // interrupts and preemption
  [names('{local_irq_disable,local_irq_save}'), { kind: 'irq-disable' }],
  [names('{local_irq_enable,local_irq_restore}'), { kind: 'irq-enable' }],
  [['local_bh_disable'], { kind: 'bh-disable' }],
  [['local_bh_enable'], { kind: 'bh-enable' }],
  [names('{preempt_disable,get_cpu,get_cpu_var}'), { kind: 'preempt-disable' }],
  [names('{preempt_enable,preempt_enable_no_resched,put_cpu,put_cpu_var}'), { kind: 'preempt-enable' }],
  // calls that run a callback of their argument, in the caller's context (not on another CPU:
  // on_each_cpu() and stop_machine() run it elsewhere while the caller waits)
  [names('{kref_put,kref_put_mutex,kref_put_lock}'), { kind: 'callback-if-true', arg: 1 }],
  [names('{device_for_each_child,device_for_each_child_reverse,device_find_child,iommu_group_for_each_dev}'), { kind: 'callback', arg: 2 }],
  [names('{bus_for_each_dev,bus_for_each_drv,bus_find_device,driver_for_each_device,driver_find_device,class_for_each_device,class_find_device}'), { kind: 'callback', arg: 3 }],
  [names('{pci_walk_bus,pci_walk_bus_locked,pci_for_each_dma_alias,idr_for_each}'), { kind: 'callback', arg: 1 }],
  // calls that never return
  [names('{BUG,panic,do_exit,kthread_exit,make_task_dead,unreachable,__builtin_unreachable,machine_halt,emergency_restart}'), { kind: 'noreturn' }],
  // async boundaries: the callee runs later, elsewhere
  [names('{schedule_work,schedule_delayed_work,mod_timer,add_timer}'), { kind: 'async', arg: 0 }],
  [names('{queue_work,queue_delayed_work,mod_delayed_work,queue_rcu_work}'), { kind: 'async', arg: 1, queue: 0 }],
  [names('{queue_work_on,queue_delayed_work_on,mod_delayed_work_on}'), { kind: 'async', arg: 2, queue: 1 }],
  [names('{call_rcu,call_srcu,tasklet_schedule}'), { kind: 'async' }],
  [names('{INIT_WORK,INIT_WORK_ONSTACK,INIT_DELAYED_WORK,INIT_DELAYED_WORK_ONSTACK,INIT_DEFERRABLE_WORK,INIT_RCU_WORK,timer_setup,timer_setup_on_stack}'), { kind: 'bind', arg: 0, fn: 1 }],
  [names('{kthread_run,kthread_create,kthread_create_on_node,kthread_run_on_cpu}'), { kind: 'thread', arg: 0 }],
  [['request_threaded_irq'], { kind: 'thread', arg: 2 }],
  [['devm_request_threaded_irq'], { kind: 'thread', arg: 3 }],
];

/**
 * Scope-based locking: `guard(T)(&l)` and `scoped_guard(T, &l)` take what the lock function of
 * guard class T takes, and release it at the end of the scope.
 */
export const guardClasses: Readonly<Record<string, string>> = {
  mutex: 'mutex_lock', mutex_intr: 'mutex_lock_interruptible', mutex_try: 'mutex_trylock',
  spinlock: 'spin_lock', spinlock_irq: 'spin_lock_irq', spinlock_irqsave: 'spin_lock_irqsave',
  spinlock_bh: 'spin_lock_bh', spinlock_try: 'spin_trylock', raw_spinlock: 'raw_spin_lock',
  raw_spinlock_irq: 'raw_spin_lock_irq', raw_spinlock_irqsave: 'raw_spin_lock_irqsave',
  read_lock: 'read_lock', read_lock_irq: 'read_lock_irq', read_lock_irqsave: 'read_lock_irqsave',
  write_lock: 'write_lock', write_lock_irq: 'write_lock_irq', write_lock_irqsave: 'write_lock_irqsave',
  rwsem_read: 'down_read', rwsem_read_try: 'down_read_trylock', rwsem_read_intr: 'down_read_interruptible',
  rwsem_write: 'down_write', rwsem_write_try: 'down_write_trylock', rwsem_write_kill: 'down_write_killable',
  rcu: 'rcu_read_lock', srcu: 'srcu_read_lock', device: 'device_lock', pci_dev: 'pci_dev_lock',
  irq: 'local_irq_disable', irqsave: 'local_irq_save', preempt: 'preempt_disable',
};

function build(): Catalog {
  const functions = new Map<string, Effect[]>();
  for (const [n, effect] of rows) {
    for (const name of typeof n === 'string' ? [n] : n) {
      const list = functions.get(name);
      if (list) list.push(effect);
      else functions.set(name, [effect]);
    }
  }
  return { functions };
}

export const defaultCatalog: Catalog = build();

/**
 * The default catalog plus a user's entries (`lockreview.json`, `catalog`): a function's effects,
 * or the name of a known function it acts like (`"my_lock": "mutex_lock"`).
 */
export function extendCatalog(base: Catalog, extra: Readonly<Record<string, readonly Effect[] | string>>): Catalog {
  const functions = new Map(base.functions);
  for (const [name, entry] of Object.entries(extra)) {
    const effects = typeof entry === 'string' ? base.functions.get(entry) : entry;
    if (effects) functions.set(name, effects);
  }
  return { functions };
}

/** The effects of calling `name`, if it is a locking primitive or one of the other kinds. */
export function effectsOf(catalog: Catalog, name: string): readonly Effect[] | undefined {
  return catalog.functions.get(name);
}

/**
 * How each acquiring call is undone, for fixes/ to write: the releasing function, and which of
 * the acquisition's arguments it takes — the lock (`first`), all of them (`spin_lock_irqsave(l,
 * flags)` → `spin_unlock_irqrestore(l, flags)`), or the lock and the index the call returned
 * (`idx = srcu_read_lock(s)` → `srcu_read_unlock(s, idx)`).
 */
export const RELEASE_OF: Readonly<Record<string, { readonly call: string; readonly args: 'first' | 'all' | 'first+result' | 'none' }>> = {
  ...pairs('mutex_{lock,lock_nested,lock_interruptible,lock_killable,lock_io,trylock}', 'mutex_unlock', 'first'),
  ...pairs('{spin,raw_spin}_{lock,lock_nested,trylock}', '$1_unlock', 'first'),
  ...pairs('{spin,raw_spin}_{lock_irq,trylock_irq}', '$1_unlock_irq', 'first'),
  ...pairs('{spin,raw_spin}_{lock_irqsave,trylock_irqsave}', '$1_unlock_irqrestore', 'all'),
  ...pairs('{spin,raw_spin}_{lock_bh,trylock_bh}', '$1_unlock_bh', 'first'),
  ...pairs('{read,write}_{lock,trylock}', '$1_unlock', 'first'),
  ...pairs('{read,write}_lock_irq', '$1_unlock_irq', 'first'),
  ...pairs('{read,write}_lock_irqsave', '$1_unlock_irqrestore', 'all'),
  ...pairs('{read,write}_lock_bh', '$1_unlock_bh', 'first'),
  ...pairs('down_read{,_nested,_interruptible,_killable,_trylock}', 'up_read', 'first'),
  ...pairs('down_write{,_nested,_killable,_trylock}', 'up_write', 'first'),
  ...pairs('down{,_interruptible,_killable,_trylock}', 'up', 'first'),
  ...pairs('rcu_read_lock', 'rcu_read_unlock', 'none'),
  ...pairs('srcu_read_lock', 'srcu_read_unlock', 'first+result'),
  ...pairs('device_lock', 'device_unlock', 'first'),
  ...pairs('pci_dev_{lock,trylock}', 'pci_dev_unlock', 'first'),
  ...pairs('pci_cfg_access_{lock,trylock}', 'pci_cfg_access_unlock', 'first'),
};

/** The trylock of a blocking acquisition, true on success (fixes/' back-off). */
export const TRYLOCK_OF: Readonly<Record<string, string>> = {
  mutex_lock: 'mutex_trylock', spin_lock: 'spin_trylock', raw_spin_lock: 'raw_spin_trylock', down_read: 'down_read_trylock',
  down_write: 'down_write_trylock', device_lock: 'device_trylock', pci_dev_lock: 'pci_dev_trylock', read_lock: 'read_trylock', write_lock: 'write_trylock',
};

function pairs(pattern: string, release: string, args: 'first' | 'all' | 'first+result' | 'none'): Record<string, { call: string; args: typeof args }> {
  const out: Record<string, { call: string; args: typeof args }> = {};
  const first = /^\{([^}]*)\}_/.exec(pattern);
  for (const name of names(pattern)) {
    const prefix = first ? first[1]!.split(',').find((p) => name.startsWith(`${p}_`)) : undefined;
    out[name] = { call: prefix !== undefined ? release.replace('$1', prefix) : release, args };
  }
  return out;
}

/** Releasing and taking back a lock held from the caller, by primitive (and mode): no call of this function names it. */
export const RELEASE_BY_PRIMITIVE: Readonly<Record<string, { readonly release: string; readonly take: string }>> = {
  mutex: { release: 'mutex_unlock', take: 'mutex_lock' },
  'rwsem:shared': { release: 'up_read', take: 'down_read' },
  'rwsem:exclusive': { release: 'up_write', take: 'down_write' },
  semaphore: { release: 'up', take: 'down' },
  device: { release: 'device_unlock', take: 'device_lock' },
};
