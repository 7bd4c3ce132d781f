// What the index knows, as plain data: it can be cached, sent to a worker, or compared in a test.

/** A C type as far as the lock model needs it: the base type and how many pointers lead to it. */
export interface TypeRef {
  /** `struct device`, `union foo`, `enum bar`, a typedef name (`spinlock_t`) or a basic type. */
  readonly base: string;
  /** Levels of `*`. */
  readonly pointers: number;
  /** Array dimensions. */
  readonly arrays: number;
  /** A pointer to a function (a callback field or variable). */
  readonly functionPointer?: boolean;
}

/** A position in a file: 0-based, on the original text. */
export interface Location {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export interface FieldSymbol {
  readonly name: string;
  readonly type: TypeRef;
}

export interface StructSymbol {
  /** `struct mdev_parent`, `union foo`; an anonymous one is `struct <anonymous@file#n>`, the file's n-th. */
  readonly name: string;
  readonly fields: readonly FieldSymbol[];
  /** Members without a name (anonymous structs and unions) whose fields read as this one's. */
  readonly anonymousMembers: readonly string[];
  readonly location: Location;
}

export interface TypedefSymbol {
  readonly name: string;
  readonly type: TypeRef;
  readonly location: Location;
}

export interface VariableSymbol {
  readonly name: string;
  readonly type: TypeRef;
  /** File-static: visible in its file only. */
  readonly isStatic: boolean;
  /** Declared `extern` (or by a prototype-like declaration): not the definition. */
  readonly isExtern: boolean;
  /** The macro that declared it (`DEFINE_MUTEX`), if one did. */
  readonly macro?: string;
  /** A function bound by the declaring macro (`DECLARE_WORK(w, fn)` binds `fn`). */
  readonly boundFunction?: string;
  readonly location: Location;
}

export interface ParameterSymbol {
  readonly name: string;
  readonly type: TypeRef;
}

export interface FunctionSymbol {
  readonly name: string;
  readonly isStatic: boolean;
  /** A definition (with a body) or a prototype. */
  readonly isDefinition: boolean;
  readonly returnType: TypeRef;
  readonly parameters: readonly ParameterSymbol[];
  /** The function's name. */
  readonly location: Location;
  /** The whole definition or declaration, as [start, end) offsets. */
  readonly start: number;
  readonly end: number;
  /** The definition contains ERROR or MISSING nodes: its reading may be partial. */
  readonly hasSyntaxError: boolean;
  /** The second (1), third (2), … definition of this name in the file (`#ifdef` variants). */
  readonly overload?: number;
  /** A definition's text (as written and as parsed), fingerprinted: unchanged, no new walk. */
  readonly digest?: string;
}

/**
 * A function stored in a function-pointer field: `.remove = foo` in an initializer of a
 * `struct mdev_parent_ops`, or `ops->reset_slot = foo;`.
 */
export interface FunctionBinding {
  /**
   * Where the field path starts: the type of the initialized variable or of the assignment's
   * receiver (`ops` in `ops->reset_slot`), or a global's name whose type is looked up later.
   */
  readonly receiver: { readonly type: TypeRef } | { readonly global: string };
  /** Fields from the receiver to the bound field: `['reset_slot']`, `['ops', 'remove']`. */
  readonly path: readonly string[];
  readonly function: string;
  readonly via: 'initializer' | 'assignment';
  readonly location: Location;
}

import type { FieldStore } from './stores';

/** Everything one file declares, plus its includes. */
export interface FileSymbols {
  readonly file: string;
  readonly includes: readonly { readonly path: string; readonly system: boolean }[];
  readonly structs: readonly StructSymbol[];
  readonly typedefs: readonly TypedefSymbol[];
  readonly variables: readonly VariableSymbol[];
  readonly functions: readonly FunctionSymbol[];
  readonly bindings: readonly FunctionBinding[];
  /** Downcast helpers: `to_pci_dev(d)` is `container_of(d, struct pci_dev, dev)`. */
  readonly containerHelpers?: readonly ContainerHelper[];
  /** Integer constants: object-like macros and enumerators, each with its value as written. */
  readonly constants?: readonly Constant[];
  /** Stores into struct fields by the file's static initializers (`{ .irq_type = X }`). */
  readonly stores?: readonly FieldStore[];
  /** `/* lockreview: ignore <code> *\/` comments: the line each applies to (0-based), and the codes. */
  readonly suppressions?: readonly Suppression[];
}

/** A reviewer's "not a bug" for one line: the codes it silences there (`all` for every code). */
export interface Suppression {
  readonly line: number;
  readonly codes: readonly string[];
}

/** `#define VFIO_IRQ_SET_ACTION_MASK (1 << 3)`, or an enumerator (`VFIO_PCI_ERR_IRQ_INDEX`). */
export interface Constant {
  readonly name: string;
  /** A C constant expression: `(1 << 3)`; an enumerator without a value counts on from the last. */
  readonly expr: string;
}

/** A macro or inline function whose result is the struct its one argument is embedded in. */
export interface ContainerHelper {
  readonly name: string;
  /** `struct pci_dev`. */
  readonly container: string;
}
