// The symbol index over a set of files: lookups by name with C's visibility rules (a file-static
// function or variable is seen only from its own file and the files that include it), types
// resolved through typedefs and anonymous members, and function-pointer bindings resolved to the
// struct type that owns the field.

import type {
  FieldSymbol, FileSymbols, FunctionBinding, FunctionSymbol, StructSymbol, TypedefSymbol, TypeRef,
  VariableSymbol,
} from './symbols';

/** A binding resolved to the struct that owns the field. */
export interface ResolvedBinding {
  readonly struct: string;
  readonly field: string;
  readonly function: string;
  readonly binding: FunctionBinding;
}

const MAX_TYPEDEF_DEPTH = 16;

export class SymbolIndex {
  private readonly structs = new Map<string, StructSymbol[]>();
  private readonly typedefs = new Map<string, TypedefSymbol[]>();
  private readonly functionsByName = new Map<string, FunctionSymbol[]>();
  private readonly variablesByName = new Map<string, VariableSymbol[]>();
  private readonly containerHelpers = new Map<string, string>();
  /** By name: the value as written, or null where two definitions disagree (`#ifdef`/`#else`, two files). */
  private readonly constants = new Map<string, string | null>();
  private resolvedBindings: Map<string, ResolvedBinding[]> | undefined;

  /** `files`: every file of the tree and every header they include. */
  constructor(readonly files: ReadonlyMap<string, FileSymbols>) {
    for (const f of files.values()) {
      for (const s of f.structs) push(this.structs, s.name, s);
      for (const t of f.typedefs) push(this.typedefs, t.name, t);
      for (const fn of f.functions) push(this.functionsByName, fn.name, fn);
      for (const v of f.variables) push(this.variablesByName, v.name, v);
      for (const h of f.containerHelpers ?? []) this.containerHelpers.set(h.name, h.container);
      for (const c of f.constants ?? []) {
        const known = this.constants.get(c.name);
        this.constants.set(c.name, known === undefined || known === c.expr ? c.expr : null);
      }
    }
  }

  /**
   * This index over `files`, whose declarations are this index's but for where they are (a file
   * edited inside its bodies): lookups answer as before, with the declarations as first read.
   * The index reads no position, and its answers are read for names, types and files only.
   */
  over(files: ReadonlyMap<string, FileSymbols>): SymbolIndex {
    return Object.assign(Object.create(SymbolIndex.prototype) as SymbolIndex, this, { files });
  }

  /**
   * The definition of a struct or union as seen from `fromFile`: its own, else a header's, else
   * any. Two drivers may each define a private `struct priv` in their .c files.
   */
  struct(name: string, fromFile?: string): StructSymbol | undefined {
    return preferred(this.structs.get(name), fromFile);
  }

  /** Follows typedefs to the underlying type: `spinlock_t` → `struct spinlock`. */
  resolve(type: TypeRef, fromFile?: string): TypeRef {
    let t = type;
    for (let depth = 0; depth < MAX_TYPEDEF_DEPTH; depth++) {
      const target = preferred(this.typedefs.get(t.base), fromFile)?.type;
      if (!target || target.base === t.base) return t;
      t = {
        base: target.base,
        pointers: t.pointers + target.pointers,
        arrays: t.arrays + target.arrays,
        ...((t.functionPointer || target.functionPointer) && { functionPointer: true }),
      };
    }
    return t;
  }

  /** A field of a struct or union, looking through typedefs and anonymous members. */
  field(structType: TypeRef | string, name: string, fromFile?: string): FieldSymbol | undefined {
    const base = typeof structType === 'string' ? structType : this.resolve(structType, fromFile).base;
    return this.fieldOf(base, name, fromFile, 0);
  }

  private fieldOf(base: string, name: string, fromFile: string | undefined, depth: number): FieldSymbol | undefined {
    const s = this.struct(base, fromFile);
    if (!s || depth > 8) return undefined;
    const direct = s.fields.find((f) => f.name === name);
    if (direct) return direct;
    for (const anon of s.anonymousMembers) {
      const found = this.fieldOf(anon, name, fromFile, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** The type reached by following `path` from `type` (`p->a.b`); pointers are dereferenced. */
  fieldPathType(type: TypeRef, path: readonly string[], fromFile?: string): TypeRef | undefined {
    let t: TypeRef | undefined = type;
    for (const name of path) {
      if (!t) return undefined;
      t = this.field(t, name, fromFile)?.type;
    }
    return t;
  }

  /** Every function (definition or prototype) with this name, in any file. */
  functionsNamed(name: string): readonly FunctionSymbol[] {
    return this.functionsByName.get(name) ?? [];
  }

  /**
   * The definition a call to `name` from `fromFile` reaches: the file's own, else the external
   * definition, else a static inline in a header.
   */
  lookupFunction(name: string, fromFile: string): FunctionSymbol | undefined {
    const all = (this.functionsByName.get(name) ?? []).filter((f) => f.isDefinition);
    return (
      all.find((f) => f.location.file === fromFile) ??
      all.find((f) => !f.isStatic) ??
      all.find((f) => f.isStatic && f.location.file.endsWith('.h'))
    );
  }

  /** The struct a downcast helper returns its argument's container as: `to_pci_dev` → `struct pci_dev`. */
  containerHelper(name: string): string | undefined {
    return this.containerHelpers.get(name);
  }

  /** The value of integer constant `name` (a macro or an enumerator), as written; none if defined two ways. */
  constantExpr(name: string): string | undefined {
    return this.constants.get(name) ?? undefined;
  }

  /** The global or file-static variable `name` as seen from `fromFile`. */
  lookupVariable(name: string, fromFile: string): VariableSymbol | undefined {
    const all = this.variablesByName.get(name) ?? [];
    return (
      all.find((v) => v.location.file === fromFile && !v.isExtern) ??
      all.find((v) => !v.isStatic && !v.isExtern) ??
      all.find((v) => !v.isStatic) ??
      all.find((v) => v.isStatic && v.location.file.endsWith('.h'))
    );
  }

  /** The functions that may be stored in `struct.field`, from initializers and assignments. */
  bindingsOf(struct: string, field: string): readonly ResolvedBinding[] {
    this.resolvedBindings ??= this.resolveBindings();
    return this.resolvedBindings.get(`${struct}.${field}`) ?? [];
  }

  /** All resolved bindings, for statistics and the graph. */
  allBindings(): readonly ResolvedBinding[] {
    this.resolvedBindings ??= this.resolveBindings();
    return [...this.resolvedBindings.values()].flat();
  }

  private resolveBindings(): Map<string, ResolvedBinding[]> {
    const out = new Map<string, ResolvedBinding[]>();
    for (const f of this.files.values()) {
      for (const b of f.bindings) {
        if (!this.functionsByName.has(b.function)) continue; // not a function: a data pointer
        const root = 'type' in b.receiver ? b.receiver.type : this.lookupVariable(b.receiver.global, f.file)?.type;
        if (!root) continue;
        const owner = b.path.length > 1 ? this.fieldPathType(root, b.path.slice(0, -1), f.file) : root;
        if (!owner) continue;
        const struct = this.resolve(owner, f.file).base;
        const field = b.path[b.path.length - 1]!;
        push(out, `${struct}.${field}`, { struct, field, function: b.function, binding: b });
      }
    }
    return out;
  }
}

/** Of several definitions of one name: the one in `fromFile`, else one in a header, else the first. */
function preferred<T extends { location: { file: string } }>(list: readonly T[] | undefined, fromFile?: string): T | undefined {
  if (!list || list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  return (
    (fromFile !== undefined ? list.find((x) => x.location.file === fromFile) : undefined) ??
    list.find((x) => x.location.file.endsWith('.h')) ??
    list[0]
  );
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
