// The symbol index over a set of files: lookups by name with C's visibility rules (a file-static
// function or variable is seen only from its own file and the files that include it), types
// resolved through typedefs and anonymous members, and function-pointer bindings resolved to the
// struct type that owns the field.

import type {
  FieldSymbol, FileSymbols, FunctionBinding, FunctionSymbol, StructSymbol, TypeRef, VariableSymbol,
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
  private readonly structs = new Map<string, StructSymbol>();
  private readonly typedefs = new Map<string, TypeRef>();
  private readonly functionsByName = new Map<string, FunctionSymbol[]>();
  private readonly variablesByName = new Map<string, VariableSymbol[]>();
  private resolvedBindings: Map<string, ResolvedBinding[]> | undefined;

  /** `files`: every file of the tree and every header they include. */
  constructor(readonly files: ReadonlyMap<string, FileSymbols>) {
    for (const f of files.values()) {
      // The first definition wins: config variants of one struct rarely differ in lock fields.
      for (const s of f.structs) if (!this.structs.has(s.name)) this.structs.set(s.name, s);
      for (const t of f.typedefs) if (!this.typedefs.has(t.name)) this.typedefs.set(t.name, t.type);
      for (const fn of f.functions) push(this.functionsByName, fn.name, fn);
      for (const v of f.variables) push(this.variablesByName, v.name, v);
    }
  }

  struct(name: string): StructSymbol | undefined {
    return this.structs.get(name);
  }

  /** Follows typedefs to the underlying type: `spinlock_t` → `struct spinlock`. */
  resolve(type: TypeRef): TypeRef {
    let t = type;
    for (let depth = 0; depth < MAX_TYPEDEF_DEPTH; depth++) {
      const target = this.typedefs.get(t.base);
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
  field(structType: TypeRef | string, name: string): FieldSymbol | undefined {
    const base = typeof structType === 'string' ? structType : this.resolve(structType).base;
    return this.fieldOf(base, name, 0);
  }

  private fieldOf(base: string, name: string, depth: number): FieldSymbol | undefined {
    const s = this.structs.get(base);
    if (!s || depth > 8) return undefined;
    const direct = s.fields.find((f) => f.name === name);
    if (direct) return direct;
    for (const anon of s.anonymousMembers) {
      const found = this.fieldOf(anon, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** The type reached by following `path` from `type` (`p->a.b`); pointers are dereferenced. */
  fieldPathType(type: TypeRef, path: readonly string[]): TypeRef | undefined {
    let t: TypeRef | undefined = type;
    for (const name of path) {
      if (!t) return undefined;
      t = this.field(t, name)?.type;
    }
    return t;
  }

  /** Every function (definition or prototype) with this name, in any file. */
  functionsNamed(name: string): readonly FunctionSymbol[] {
    return this.functionsByName.get(name) ?? [];
  }

  /**
   * The definition a call to `name` from `fromFile` reaches: the file's own static function,
   * else a static inline in a header, else the one external definition.
   */
  lookupFunction(name: string, fromFile: string): FunctionSymbol | undefined {
    const all = (this.functionsByName.get(name) ?? []).filter((f) => f.isDefinition);
    return (
      all.find((f) => f.isStatic && f.location.file === fromFile) ??
      all.find((f) => !f.isStatic) ??
      all.find((f) => f.isStatic && f.location.file.endsWith('.h'))
    );
  }

  /** The global or file-static variable `name` as seen from `fromFile`. */
  lookupVariable(name: string, fromFile: string): VariableSymbol | undefined {
    const all = this.variablesByName.get(name) ?? [];
    return (
      all.find((v) => v.isStatic && v.location.file === fromFile) ??
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
        const owner = b.path.length > 1 ? this.fieldPathType(root, b.path.slice(0, -1)) : root;
        if (!owner) continue;
        const struct = this.resolve(owner).base;
        const field = b.path[b.path.length - 1]!;
        push(out, `${struct}.${field}`, { struct, field, function: b.function, binding: b });
      }
    }
    return out;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
