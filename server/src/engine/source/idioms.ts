// The kernel idioms the normaliser rewrites, as data. Each entry was added because it left ERROR
// or MISSING nodes in real kernel code (bench/parse measures it); a user adds more through
// `lockreview.json` (see `extendIdioms`). Every rewrite keeps the text's length and newlines.

/** How the normaliser treats an identifier it meets in code (never in comments or strings). */
export type IdiomRule =
  /** An annotation Tree-sitter cannot read (`__iomem`, `__init`): blanked. */
  | { kind: 'annotation' }
  /** A macro that stands for a keyword of the same length (`STATIC` for `static`): replaced. */
  | { kind: 'alias'; to: string }
  /** A macro that ends a `do` loop like `while (…)` (`} while_each_thread(g, t);`). */
  | { kind: 'loop-tail' }
  /** An annotation with arguments (`__free(kfree)`, `__must_hold(&l)`): blanked with them. */
  | { kind: 'annotation-call' }
  /**
   * A macro some of whose arguments are types (`min_t(unsigned int, a, b)`): the blanks and stars
   * of those arguments become `_`, so each reads as one identifier whose original text still says
   * which type it is. (`struct x` arguments of any call are joined without a table entry.)
   */
  | { kind: 'type-arguments'; args: readonly number[] }
  /**
   * A macro that heads a statement like a loop or a block (`list_for_each_entry(...) {`,
   * `scoped_guard(mutex, &l) {`): a `;` is put in the blank after its `)`, so it parses as a call
   * statement followed by its body. The engine reads the pair as the loop or block it is.
   */
  | { kind: 'block-macro' }
  /**
   * A declaration written as a macro call at file scope (`DEFINE_MUTEX(x);`): the call already
   * parses; `declares` says what the index records for it (the variable's type, argument index
   * of its name, and of a bound function, if any).
   */
  | { kind: 'declaration-macro'; declares: MacroDeclaration };

export interface MacroDeclaration {
  /** The declared variable's type, as C text: `struct mutex`, `spinlock_t`. */
  readonly type: string;
  /** Which argument is the variable's name. */
  readonly nameArg: number;
  /** Which argument names a function bound to it (`DECLARE_WORK(w, fn)`), if any. */
  readonly functionArg?: number;
}

/** Annotations without arguments. */
const annotations = [
  '__iomem', '__user', '__rcu', '__percpu', '__kernel', '__force', '__nocast', '__safe',
  '__bitwise', '__private', '__init', '__exit', '__initdata', '__exitdata', '__initconst',
  '__ref', '__refdata', '__weak', '__cold', '__hot', '__pure', '__always_inline',
  '__maybe_unused', '__always_unused', '__used', '__must_check', '__read_mostly',
  '__ro_after_init', '__latent_entropy', '__visible', '__noreturn', 'noinline', '__noinline',
  '__flatten', '__sched', '__kprobes', 'notrace', '__randomize_layout', '__no_randomize_layout',
  '__packed', '__deprecated', '__malloc', '__noclone', 'asmlinkage', '__cpuidle', 'noinstr',
  '__no_kcsan', '__init_or_module', '__meminit', '__meminitdata', '__net_init', '__net_exit',
  '__initdata_or_module', '__attribute_const__', '__nonstring', '____cacheline_aligned',
  '____cacheline_aligned_in_smp', '__cacheline_aligned', '__cacheline_aligned_in_smp',
  '__page_aligned_data', '__page_aligned_bss', '__fix_address', '__no_sanitize_address',
  '__noscs', '__nocfi', '__irq_entry', '__softirq_entry', '__exception_irq_entry',
  '__percpu_seg_override', '__ksym', '__naked', '__no_profile', '__gnu_inline',
  '__inline_maybe_unused', '__lockfunc', '__must_be_array', '__bpf_kfunc',
  '__no_stack_protector', '__nosavedata', '__initconst_or_module', '__head', '__data_racy',
  '__init_memblock', 'noinline_for_stack', 'nokprobe_inline', 'debug_noinline', 'forceinline',
  'TC_INDIRECT_SCOPE', 'INDIRECT_CALLABLE_SCOPE', '__no_kmsan_checks',
];

/** Macros that stand for a keyword of the same length. */
const aliases: Record<string, string> = { STATIC: 'static' };

/** Annotations that take arguments. The lock ones are kept as rewrites for the lock model. */
const annotationCalls = [
  '__free', '__cleanup', '__aligned', '__counted_by', '__counted_by_le', '__counted_by_be',
  '__printf', '__scanf', '__section', '__alloc_size', '__must_hold', '__acquires', '__releases',
  '__cond_acquires', '__diag_ignore', '__diag_push', '__diag_pop', '__designated_init',
  '__assume_aligned', '__aligned_largest', '__compiletime_error', '__no_sanitize_or_inline',
];

/**
 * Macros with type arguments other than `struct x` (those are joined wherever they stand as an
 * argument): name → which arguments (0-based) are types.
 */
const typeArgumentMacros: Record<string, number[]> = {
  min_t: [0], max_t: [0], clamp_t: [0], min3_t: [0], max3_t: [0], va_arg: [1],
  alloc_percpu: [0], alloc_percpu_gfp: [0], sizeof_field: [0], typeof_member: [0],
  DEFINE_RAW_FLEX: [0], DEFINE_FLEX: [0], DEFINE_FREE: [1], DEFINE_CLASS: [1], DEFINE_GUARD: [1],
  DEFINE_LOCK_GUARD_1: [1], EXTEND_CLASS: [2], DECLARE_KFIFO_PTR: [1], DECLARE_KFIFO: [1],
  type_max: [0], type_min: [0], is_signed_type: [0], is_unsigned_type: [0], __same_type: [0, 1],
};

/** Declarations written as macro calls. */
const declarationMacros: Record<string, MacroDeclaration> = {
  DEFINE_MUTEX: { type: 'struct mutex', nameArg: 0 },
  DEFINE_SPINLOCK: { type: 'spinlock_t', nameArg: 0 },
  DEFINE_RAW_SPINLOCK: { type: 'raw_spinlock_t', nameArg: 0 },
  DEFINE_RWLOCK: { type: 'rwlock_t', nameArg: 0 },
  DECLARE_RWSEM: { type: 'struct rw_semaphore', nameArg: 0 },
  DEFINE_SEMAPHORE: { type: 'struct semaphore', nameArg: 0 },
  DEFINE_STATIC_SRCU: { type: 'struct srcu_struct', nameArg: 0 },
  DEFINE_SRCU: { type: 'struct srcu_struct', nameArg: 0 },
  DEFINE_STATIC_PERCPU_RWSEM: { type: 'struct percpu_rw_semaphore', nameArg: 0 },
  DEFINE_PERCPU_RWSEM: { type: 'struct percpu_rw_semaphore', nameArg: 0 },
  DEFINE_SEQLOCK: { type: 'seqlock_t', nameArg: 0 },
  DEFINE_WW_CLASS: { type: 'struct ww_class', nameArg: 0 },
  DECLARE_COMPLETION: { type: 'struct completion', nameArg: 0 },
  DECLARE_COMPLETION_ONSTACK: { type: 'struct completion', nameArg: 0 },
  DECLARE_WAIT_QUEUE_HEAD: { type: 'wait_queue_head_t', nameArg: 0 },
  DECLARE_WAIT_QUEUE_HEAD_ONSTACK: { type: 'wait_queue_head_t', nameArg: 0 },
  LIST_HEAD: { type: 'struct list_head', nameArg: 0 },
  HLIST_HEAD: { type: 'struct hlist_head', nameArg: 0 },
  LLIST_HEAD: { type: 'struct llist_head', nameArg: 0 },
  DEFINE_IDA: { type: 'struct ida', nameArg: 0 },
  DEFINE_IDR: { type: 'struct idr', nameArg: 0 },
  DEFINE_XARRAY: { type: 'struct xarray', nameArg: 0 },
  DEFINE_XARRAY_ALLOC: { type: 'struct xarray', nameArg: 0 },
  DEFINE_XARRAY_ALLOC1: { type: 'struct xarray', nameArg: 0 },
  DEFINE_XARRAY_FLAGS: { type: 'struct xarray', nameArg: 0 },
  BLOCKING_NOTIFIER_HEAD: { type: 'struct blocking_notifier_head', nameArg: 0 },
  ATOMIC_NOTIFIER_HEAD: { type: 'struct atomic_notifier_head', nameArg: 0 },
  RAW_NOTIFIER_HEAD: { type: 'struct raw_notifier_head', nameArg: 0 },
  SRCU_NOTIFIER_HEAD_STATIC: { type: 'struct srcu_notifier_head', nameArg: 0 },
  DECLARE_WORK: { type: 'struct work_struct', nameArg: 0, functionArg: 1 },
  DECLARE_DELAYED_WORK: { type: 'struct delayed_work', nameArg: 0, functionArg: 1 },
  DECLARE_DEFERRABLE_WORK: { type: 'struct delayed_work', nameArg: 0, functionArg: 1 },
  DEFINE_TIMER: { type: 'struct timer_list', nameArg: 0, functionArg: 1 },
  DECLARE_TASKLET: { type: 'struct tasklet_struct', nameArg: 0, functionArg: 1 },
  DECLARE_TASKLET_OLD: { type: 'struct tasklet_struct', nameArg: 0, functionArg: 1 },
  DEFINE_STATIC_KEY_FALSE: { type: 'struct static_key_false', nameArg: 0 },
  DEFINE_STATIC_KEY_TRUE: { type: 'struct static_key_true', nameArg: 0 },
  DEFINE_PER_CPU: { type: 'per-cpu', nameArg: 1 },
  DEFINE_RATELIMIT_STATE: { type: 'struct ratelimit_state', nameArg: 0 },
};

/**
 * Macros that head a loop or block. Names are matched exactly; `blockMacroPatterns` catch the
 * families (`*for_each*`), which the kernel grows every release.
 */
const blockMacros = [
  'scoped_guard', 'scoped_cond_guard', 'do_each_pid_task', 'do_each_pid_thread',
  'do_each_subsys_mask', 'virtio_device_for_each_vq', 'with_intel_runtime_pm',
];

/** Macros that end a `do { … }` loop begun by their `do_each_*` twin. */
const loopTails = ['while_each_thread', 'while_each_pid_task', 'while_each_pid_thread', 'while_each_subsys_mask'];
const blockMacroPatterns: readonly RegExp[] = [/for_?each/i, /^__?scoped_/];

export interface IdiomTable {
  readonly rules: ReadonlyMap<string, IdiomRule>;
  readonly blockMacroPatterns: readonly RegExp[];
}

function buildTable(): IdiomTable {
  const rules = new Map<string, IdiomRule>();
  for (const name of annotations) rules.set(name, { kind: 'annotation' });
  for (const name of annotationCalls) rules.set(name, { kind: 'annotation-call' });
  for (const [name, args] of Object.entries(typeArgumentMacros)) {
    rules.set(name, { kind: 'type-arguments', args });
  }
  for (const [name, declares] of Object.entries(declarationMacros)) {
    rules.set(name, { kind: 'declaration-macro', declares });
  }
  for (const name of blockMacros) rules.set(name, { kind: 'block-macro' });
  for (const name of loopTails) rules.set(name, { kind: 'loop-tail' });
  for (const [name, to] of Object.entries(aliases)) rules.set(name, { kind: 'alias', to });
  return { rules, blockMacroPatterns };
}

export const defaultIdioms: IdiomTable = buildTable();

/** A user's additions, as read from `lockreview.json` (validated by its reader). */
export interface IdiomExtension {
  readonly annotations?: readonly string[];
  readonly annotationCalls?: readonly string[];
  readonly typeArgumentMacros?: Readonly<Record<string, readonly number[]>>;
  readonly blockMacros?: readonly string[];
  readonly declarationMacros?: Readonly<Record<string, MacroDeclaration>>;
}

/** The default table plus a user's additions; later entries win. */
export function extendIdioms(base: IdiomTable, ext: IdiomExtension): IdiomTable {
  const rules = new Map(base.rules);
  for (const name of ext.annotations ?? []) rules.set(name, { kind: 'annotation' });
  for (const name of ext.annotationCalls ?? []) rules.set(name, { kind: 'annotation-call' });
  for (const [name, args] of Object.entries(ext.typeArgumentMacros ?? {})) {
    rules.set(name, { kind: 'type-arguments', args });
  }
  for (const name of ext.blockMacros ?? []) rules.set(name, { kind: 'block-macro' });
  for (const [name, declares] of Object.entries(ext.declarationMacros ?? {})) {
    rules.set(name, { kind: 'declaration-macro', declares });
  }
  return { rules, blockMacroPatterns: base.blockMacroPatterns };
}

/** The rule for an identifier, if it names an idiom. */
export function ruleFor(table: IdiomTable, name: string): IdiomRule | undefined {
  const rule = table.rules.get(name);
  if (rule) return rule;
  // Cheap prefilter: every pattern today needs an underscore or an `each`.
  if ((name.includes('_') || name.includes('ach')) && table.blockMacroPatterns.some((p) => p.test(name))) {
    return { kind: 'block-macro' };
  }
  return undefined;
}
