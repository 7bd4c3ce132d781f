// A function's lock summary (DESIGN.md): what it does to locks, in which order, on which paths,
// with what already held. Every interprocedural report is built from these; they are plain data.

import type { LockMode, Primitive } from './catalog';

/** A place in the function: 0-based offset, line and column on the original text. */
export interface Site {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface Lock {
  readonly class: string;
  readonly instance: string;
  readonly primitive: Primitive;
  readonly mode: LockMode;
  /** A lockdep subclass from a `_nested` acquisition. */
  readonly subclass?: number;
  /**
   * The struct the lock's owner is embedded in, where known: `struct pci_dev` for
   * `pdev->dev.mutex`. Two locks of one class within different structs are different locks.
   */
  readonly within?: string;
  /**
   * What the lock order knows of the owner's driver: `unbound` for the device lock
   * `device_add()` takes before any driver can bind; `bound` for a device lock held while a
   * driver's callback runs (the device, or one below it, has a driver). One lock cannot be both.
   */
  readonly driver?: 'bound' | 'unbound';
}

/** The lock itself, without where or how a path holds it. */
export function bareLock(l: Lock): Lock {
  const { class: c, instance, primitive, mode, subclass, within, driver } = l;
  return { class: c, instance, primitive, mode, ...(subclass !== undefined && { subclass }), ...(within && { within }), ...(driver && { driver }) };
}

export interface Held extends Lock {
  /** Where it was taken (in this function). */
  readonly at: Site;
  /** Taken by a guard: released when the scope ending at this offset ends. */
  readonly guardScopeEnd?: number;
  /** An SRCU read section: the variable holding its index. */
  readonly srcuIndex?: string;
  readonly irq?: 'irq' | 'irqsave' | 'bh';
  /** Held by the caller on entry (the function asserts it, or says `__must_hold`). */
  readonly fromCaller?: boolean;
}

export interface Acquisition {
  readonly lock: Lock;
  readonly at: Site;
  /** Held when this acquisition happens (on the path that reaches it). */
  readonly held: readonly Held[];
  /** A trylock: adds no dependency into the lock it tries. */
  readonly try: boolean;
  /** The call, as written: `down_read_trylock(&parent->unreg_sem)`. */
  readonly call: string;
  /**
   * Taken by a function of the tree that returns holding it (`lock_mutex_and_test_alive()`), not
   * by a primitive: whether that sleeps is the helper's own (a call reach follows).
   */
  readonly helper?: true;
  /** This path had released the lock before: the function retakes what it dropped. */
  readonly retake: boolean;
  /**
   * `synchronize_srcu(S)`: it waits for every reader of S, which lockdep models as taking S for
   * write and releasing it at once. Nothing is held after it.
   */
  readonly sync?: true;
  /**
   * Taken only when these parameters test true/false (`if (!locked) down_read(…)`); keys with
   * `@` test a file-scope variable instead (`@current->pid!=xenwatch_pid`).
   */
  readonly when?: Readonly<Record<string, boolean>>;
}

export interface Release {
  readonly lock: Lock;
  readonly at: Site;
  readonly call: string;
  /** Paths reaching this release hold the lock (true) or not (false); both may occur. */
  readonly heldOnSomePath: boolean;
  readonly unheldOnSomePath: boolean;
  /** Some path reaching it had already released the lock: a double unlock. */
  readonly releasedTwice?: boolean;
  /** Released inside this called function of the tree (an unlock helper), not by a primitive. */
  readonly viaHelper?: boolean;
  /** SRCU: the index given, and the index and srcu_struct of the section it leaves. */
  readonly srcuIndex?: string;
  readonly srcuMismatch?: string;
}

export interface Call {
  readonly callee: string;
  readonly at: Site;
  readonly held: readonly Held[];
  readonly text: string;
  /** The functions of the tree it may reach (`file#offset` keys); through ops fields, several. */
  readonly targets: readonly string[];
  /**
   * The arguments as written, blanks removed: a callee's `dev->mutex` is the caller's
   * `pdev->dev.mutex` when `&pdev->dev` is given for `dev`. Absent for a callback run by a
   * library function (`device_for_each_child(dev, data, fn)`): its arguments are not these.
   */
  readonly args?: readonly string[];
  /**
   * For each argument `&x->member` with `x` a struct pointer: that struct (`struct pci_dev` for
   * `device_add(&pdev->dev)`). A callee that downcasts the parameter to another struct cannot be
   * reached with it; null where the argument says nothing.
   */
  readonly embedded?: readonly (string | null)[];
  /**
   * On the error-unwinding ladder after the function's last top-level return, reached only by
   * `goto`: it undoes what the function set up, on objects whose callbacks are not armed yet
   * (`device_add()`'s `bus_remove_device()` runs before any driver is bound).
   */
  readonly unwinding?: boolean;
  /** A call through a function field: the struct the field is of (`struct pci_driver`). */
  readonly through?: string;
  /** Made only when these parameters test true/false. */
  readonly when?: Readonly<Record<string, boolean>>;
}

/** The function downcasts its parameter at its top: `struct pci_dev *pdev = to_pci_dev(dev);`. */
export interface Downcast {
  readonly param: number;
  readonly container: string;
}

export interface Exit {
  readonly at: Site;
  /** Held at this return (guards already released). */
  readonly held: readonly Held[];
  /** The returned expression as written, if any. */
  readonly value?: string;
  /** Instances this path took and released in the function. */
  readonly released: readonly string[];
}

export interface Requirement {
  readonly lock: Lock;
  readonly at: Site;
  readonly via: 'lockdep_assert_held' | '__must_hold' | 'assert';
}

export interface Other {
  readonly kind: 'sleep' | 'wait' | 'complete' | 'synchronize' | 'srcu-dereference' | 'async' | 'thread' | 'bind';
  readonly callee: string;
  readonly at: Site;
  readonly held: readonly Held[];
  /** The object waited for, completed, synchronized or dereferenced under, if any; a thread's function. */
  readonly target?: string;
  /** The target's lock class, where it is a lock-like object (an srcu_struct, a completion). */
  readonly targetClass?: string;
  /** A wait: what for (a work item, a workqueue, …). */
  readonly on?: 'completion' | 'work' | 'workqueue' | 'timer' | 'kthread';
  /** Queued work: the class of the workqueue it goes on. */
  readonly queue?: string;
  /** An allocation whose GFP flags its caller chooses: whether it sleeps is the caller's to say. */
  readonly callerFlags?: true;
  /** A thread started: the class (or local) its task is stored in, as `kthread_stop()` names it. */
  readonly into?: string;
  /** A bound work item or timer: the function that runs it. */
  readonly runs?: string;
  /** `srcu_dereference_check()`: the caller states its own condition for the access. */
  readonly checked?: true;
  /** Made only when these parameters (or, with `@`, file-scope variables) test true/false. */
  readonly when?: Readonly<Record<string, boolean>>;
  /** Made in a loop: a thread started there may be one of many running the same function. */
  readonly inLoop?: true;
}

/** A top-level assignment to a file-scope variable (not one under a condition or in a loop). */
export interface GlobalAssignment {
  readonly name: string;
  readonly offset: number;
  /** The value, when a constant expression (blanks removed). */
  readonly value?: string;
  /** The file of a `static` variable: only that file's conditions read it. */
  readonly file?: string;
}

export interface FunctionSummary {
  readonly name: string;
  readonly file: string;
  readonly at: Site;
  readonly isStatic: boolean;
  /** As FunctionSymbol.overload: which definition of the name in the file this is. */
  readonly overload?: number;
  /** Parameter names, in order: callers' arguments map onto them. */
  readonly parameters: readonly string[];
  /** What the function takes its parameters to be embedded in (bus and driver callbacks). */
  readonly downcasts?: readonly Downcast[];
  readonly acquisitions: readonly Acquisition[];
  readonly releases: readonly Release[];
  readonly calls: readonly Call[];
  readonly exits: readonly Exit[];
  readonly requires: readonly Requirement[];
  readonly others: readonly Other[];
  /**
   * File-scope variables the function assigns, each with the offset of its first assignment: a
   * callee's path that tests one of them after that is the caller's choice (needs.ts).
   */
  readonly assigns?: readonly GlobalAssignment[];
  /**
   * What the function stores into struct fields, by field name: the value as written when it is
   * a constant expression (`vdev->irq_type = VFIO_PCI_INTX_IRQ_INDEX`), else `?`. The graph
   * reads the values a field can hold off them (graph/values.ts).
   */
  readonly stores?: readonly { readonly field: string; readonly value: string }[];
  /** `__acquires(x)`/`__releases(x)` annotations, as written. */
  readonly annotations: { readonly acquires: readonly string[]; readonly releases: readonly string[] };
  /** The walk gave up part of the body (too many paths, or syntax errors): less to trust. */
  readonly partial: boolean;
}
