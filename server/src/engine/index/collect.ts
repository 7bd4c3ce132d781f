// Collects what one parsed file declares: structs and their fields, typedefs, globals (including
// locks declared by macros), functions and prototypes, includes, and function-pointer bindings.
// Preprocessor branches are all read: both sides of an `#ifdef` may declare what we need.

import type { ParsedSource } from '../source/sourceFile';
import type { SyntaxNode } from '../source/parser';
import { defaultIdioms, type IdiomTable } from '../source/idioms';
import { LineMap } from '../source/lineMap';
import {
  baseTypeName, declaratorsOf, declaresFunction, readDeclarator, storageClasses, typeRef,
  type DeclaratorInfo,
} from './declarators';
import { fingerprint } from '../source/fingerprint';
import { collectBindings } from './bindings';
import { initializerStores, type FieldStore } from './stores';
import type {
  Constant, ContainerHelper, FieldSymbol, FileSymbols, FunctionBinding, FunctionSymbol, Location, StructSymbol, Suppression, TypedefSymbol,
  TypeRef, VariableSymbol,
} from './symbols';

/** Nodes whose children are top-level items too: preprocessor branches and error recovery. */
const CONTAINERS = new Set([
  'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef',
  'linkage_specification', 'declaration_list', 'ERROR',
]);

/** `#define to_x(p) container_of(p, struct x, member)` (the parameter used as the pointer). */
const CONTAINER_MACRO = /^[ \t]*#[ \t]*define[ \t]+(\w+)\([ \t]*(\w+)[ \t]*\)[ \t]+\(?container_of(?:_const)?\([ \t]*\(?[ \t]*(\w+)[ \t]*\)?[ \t]*,[ \t]*(?:const[ \t]+)?struct[ \t]+(\w+)[ \t]*,/gm;
/** `static inline struct x *to_x(struct y *p) { return container_of(p, struct x, member); }` */
const CONTAINER_INLINE = /\bstatic\s+(?:__always_)?inline\s+(?:const\s+)?struct\s+\w+\s*\*\s*(\w+)\s*\(\s*(?:const\s+)?struct\s+\w+\s*\*\s*(\w+)\s*\)\s*\{\s*return\s+container_of(?:_const)?\(\s*\2\s*,\s*(?:const\s+)?struct\s+(\w+)\s*,[^;]*;\s*\}/g;

/** `#define NAME value` where the value can only be an integer expression (no calls, no strings). */
const CONSTANT_MACRO = /^[ \t]*#[ \t]*define[ \t]+([A-Z_][A-Z0-9_]*)[ \t]+([\w \t()|&<>+\-~^*]+?)[ \t]*(?:\/\*.*)?$/gm;

/** A body that may bind a function to a field: a store of a plain name into a field, or a local table. */
const MAY_BIND = /(?:->|\.)\s*\w+(?:\s*\[[^\]]*\])?\s*=\s*(?:\([^)]*\)\s*)?&?\s*[A-Za-z_]\w*\s*;|=\s*\{/;

export function collectFileSymbols(source: ParsedSource, idioms: IdiomTable = defaultIdioms): FileSymbols {
  return new Collector(source, idioms).run();
}

const SUPPRESSION = /(?:\/\*|\/\/)\s*lockreview:\s*ignore\b([^\n]*?)(?:\*\/|$)/gm;
/** A finding code: lowercase words joined by hyphens (`lock-imbalance`); a reason after them is prose. */
const CODE = /^[a-z]+(?:-[a-z]+)+$/;

/**
 * `/* lockreview: ignore sleep-in-atomic *\/` (or `// …`, several codes, or none for all): on a
 * line of code it silences that line; alone on its line, the next one.
 */
export function findSuppressions(text: string, lines: LineMap): Suppression[] {
  const out: Suppression[] = [];
  for (const m of text.matchAll(SUPPRESSION)) {
    const { line } = lines.position(m.index);
    const start = text.lastIndexOf('\n', m.index) + 1;
    const alone = text.slice(start, m.index).trim() === '' && /^\s*$/.test(text.slice(m.index + m[0].length, text.indexOf('\n', m.index) < 0 ? text.length : text.indexOf('\n', m.index)));
    // The codes first, then whatever reason the reviewer gives (`ignore lock-imbalance: the caller unlocks`).
    const codes: string[] = [];
    for (const word of m[1]!.split(/[\s,:;()]+/).filter((c) => c !== '')) {
      if (!CODE.test(word)) break;
      codes.push(word);
    }
    out.push({ line: alone ? line + 1 : line, codes: codes.length > 0 ? codes : ['all'] });
  }
  return out;
}

class Collector {
  private readonly lines: LineMap;
  private readonly includes: { path: string; system: boolean }[] = [];
  private readonly structs: StructSymbol[] = [];
  private readonly typedefs: TypedefSymbol[] = [];
  private readonly variables: VariableSymbol[] = [];
  private readonly functions: FunctionSymbol[] = [];
  private readonly bindings: FunctionBinding[] = [];
  private readonly constants: Constant[] = [];
  private readonly stores: FieldStore[] = [];

  private readonly anonymous = new Map<number, number>();

  constructor(private readonly source: ParsedSource, private readonly idioms: IdiomTable) {
    this.lines = new LineMap(source.text);
  }

  run(): FileSymbols {
    this.visitItems(this.source.tree.rootNode);
    const { file, includes, structs, typedefs, variables, bindings } = this;
    const containerHelpers = this.containerHelpers();
    this.constantMacros();
    const { constants, stores } = this;
    const suppressions = findSuppressions(this.source.text, this.lines);
    return {
      file, includes, structs, typedefs, variables, functions: this.withLinkage(), bindings,
      ...(containerHelpers.length > 0 && { containerHelpers }),
      ...(constants.length > 0 && { constants }),
      ...(stores.length > 0 && { stores }),
      ...(suppressions.length > 0 && { suppressions }),
    };
  }

  /**
   * `#define to_pci_dev(n) container_of(n, struct pci_dev, dev)` and inline functions that only
   * return such a `container_of` of their parameter. Read from the text: macros are not in the
   * syntax tree's terms, and the shape is fixed.
   */
  private containerHelpers(): ContainerHelper[] {
    const out: ContainerHelper[] = [];
    const text = this.source.text;
    if (!text.includes('container_of')) return out;
    for (const m of text.matchAll(CONTAINER_MACRO)) if (m[2] === m[3]) out.push({ name: m[1]!, container: `struct ${m[4]!}` });
    for (const m of text.matchAll(CONTAINER_INLINE)) out.push({ name: m[1]!, container: `struct ${m[3]!}` });
    return out;
  }

  /** Object-like macros whose value is an integer expression (read from the text, like the above). */
  private constantMacros(): void {
    const text = this.source.text;
    if (!text.includes('#define')) return;
    for (const m of text.matchAll(CONSTANT_MACRO)) {
      const expr = m[2]!.trim();
      if (/[\w)]/.test(expr) && !/\w\s*\(/.test(expr.replace(/\bBIT(_ULL)?\s*\(/g, ''))) this.constants.push({ name: m[1]!, expr });
    }
  }

  /** `enum { A, B = 4, C }`: A is 0, B is 4, C is (4)+1. */
  private enumerators(body: SyntaxNode): void {
    let base = '0';
    let step = 0;
    for (const e of body.namedChildren) {
      if (e?.type !== 'enumerator') continue;
      const name = e.childForFieldName('name')?.text;
      const value = e.childForFieldName('value');
      if (value) {
        base = `(${this.text(value)})`;
        step = 0;
      }
      if (name) this.constants.push({ name, expr: step === 0 ? base : `${base}+${step}` });
      step++;
    }
  }

  /** C: a function declared `static` earlier in the file stays static at its definition. */
  private withLinkage(): FunctionSymbol[] {
    const staticDeclared = new Set<string>();
    const defined = new Map<string, number>();
    return this.functions.map((f) => {
      if (f.isStatic) staticDeclared.add(f.name);
      const linked = !f.isStatic && staticDeclared.has(f.name) ? { ...f, isStatic: true } : f;
      if (!f.isDefinition) return linked;
      // Several definitions of one name (`#ifdef` variants) are told apart by their order.
      const n = defined.get(f.name) ?? 0;
      defined.set(f.name, n + 1);
      return n > 0 ? { ...linked, overload: n } : linked;
    });
  }

  private get file(): string {
    return this.source.path;
  }

  private text(node: SyntaxNode): string {
    return this.source.text.slice(node.startIndex, node.endIndex);
  }

  private location(node: SyntaxNode): Location {
    const { line, column } = this.lines.position(node.startIndex);
    return { file: this.file, start: node.startIndex, end: node.endIndex, line, column };
  }

  private visitItems(parent: SyntaxNode): void {
    for (const node of parent.namedChildren) {
      if (!node) continue;
      if (CONTAINERS.has(node.type)) {
        this.visitItems(node);
        continue;
      }
      switch (node.type) {
        case 'preproc_include':
          this.include(node);
          break;
        case 'function_definition':
          this.functionDefinition(node);
          break;
        case 'declaration':
          this.declaration(node);
          break;
        case 'type_definition':
          this.typeDefinition(node);
          break;
        case 'expression_statement':
          this.macroDeclaration(node);
          break;
        case 'struct_specifier':
        case 'union_specifier':
        case 'enum_specifier':
          this.typeOf(node);
          break;
      }
    }
  }

  private include(node: SyntaxNode): void {
    const pathNode = node.childForFieldName('path');
    if (!pathNode) return;
    const raw = this.text(pathNode);
    if (pathNode.type === 'system_lib_string') this.includes.push({ path: raw.slice(1, -1), system: true });
    else if (pathNode.type === 'string_literal') this.includes.push({ path: raw.slice(1, -1), system: false });
  }

  /**
   * Anonymous structs, unions and enums are named by their order in the file, not their offset:
   * a line added above one leaves its lock classes' names, and the summaries that hold them, as
   * they were.
   */
  private anonymousOrdinal(n: SyntaxNode): number {
    let k = this.anonymous.get(n.startIndex);
    if (k === undefined) this.anonymous.set(n.startIndex, (k = this.anonymous.size + 1));
    return k;
  }

  /** The base type name of a specifier, registering any struct/union body it defines. */
  private typeOf(typeNode: SyntaxNode | null): string {
    const name = baseTypeName(typeNode, (n) => `${n.type.slice(0, n.type.indexOf('_'))} <anonymous@${this.file}#${this.anonymousOrdinal(n)}>`);
    if (typeNode && (typeNode.type === 'struct_specifier' || typeNode.type === 'union_specifier')) {
      const body = typeNode.childForFieldName('body');
      if (body) this.registerStruct(name, body, typeNode);
    } else if (typeNode?.type === 'enum_specifier') {
      const body = typeNode.childForFieldName('body');
      if (body) this.enumerators(body);
    }
    return name;
  }

  private registerStruct(name: string, body: SyntaxNode, at: SyntaxNode): void {
    const fields: FieldSymbol[] = [];
    const anonymousMembers: string[] = [];
    const visit = (list: SyntaxNode): void => {
      for (const member of list.namedChildren) {
        if (!member) continue;
        if (CONTAINERS.has(member.type)) {
          visit(member);
          continue;
        }
        if (member.type !== 'field_declaration') continue;
        const base = this.typeOf(member.childForFieldName('type'));
        const declarators = declaratorsOf(member);
        if (declarators.length === 0 && base.includes('<anonymous@')) anonymousMembers.push(base);
        for (const d of declarators) {
          const info = readDeclarator(d);
          if (info) fields.push({ name: info.name, type: typeRef(base, info) });
        }
      }
    };
    visit(body);
    this.structs.push({ name, fields, anonymousMembers, location: this.location(at) });
  }

  private typeDefinition(node: SyntaxNode): void {
    const base = this.typeOf(node.childForFieldName('type'));
    for (const d of declaratorsOf(node)) {
      const info = readDeclarator(d);
      if (info) this.typedefs.push({ name: info.name, type: typeRef(base, info), location: this.location(info.nameNode) });
    }
  }

  private declaration(node: SyntaxNode): void {
    const base = this.typeOf(node.childForFieldName('type'));
    const storage = storageClasses(node);
    for (const d of declaratorsOf(node)) {
      const info = readDeclarator(d);
      if (!info) continue;
      if (declaresFunction(info)) {
        this.functions.push(this.functionSymbol(node, info, base, storage, false));
        continue;
      }
      const type = typeRef(base, info);
      this.variables.push({
        name: info.name,
        type,
        isStatic: storage.has('static'),
        isExtern: storage.has('extern'),
        location: this.location(info.nameNode),
      });
      if (info.value) collectBindings(info.value, { type }, this.bindingSink(), []);
      if (info.value?.type === 'initializer_list') {
        for (const pair of info.value.descendantsOfType('initializer_pair')) if (pair) this.stores.push(...initializerStores(pair, this.source.text));
      }
    }
  }

  private functionDefinition(node: SyntaxNode): void {
    const info = readDeclarator(node.childForFieldName('declarator')!);
    if (!info || !info.parameters) return;
    const base = this.typeOf(node.childForFieldName('type'));
    const fn = this.functionSymbol(node, info, base, storageClasses(node), true);
    this.functions.push(fn);
    const body = node.childForFieldName('body');
    // A header's inline functions are read for their signatures; the bindings their bodies make
    // (rare: ops are bound in .c files) are not worth reading every body of every header for.
    if (body && !this.file.endsWith('.h') && MAY_BIND.test(this.text(body))) collectBindings(body, undefined, this.bindingSink(), fn.parameters);
  }

  private functionSymbol(
    node: SyntaxNode, info: DeclaratorInfo, base: string, storage: Set<string>, isDefinition: boolean,
  ): FunctionSymbol {
    const parameters = [];
    for (const p of info.parameters!.namedChildren) {
      if (p?.type !== 'parameter_declaration') continue;
      const pbase = this.typeOf(p.childForFieldName('type'));
      const decl = p.childForFieldName('declarator');
      const pinfo = decl ? readDeclarator(decl) : undefined;
      if (pinfo) parameters.push({ name: pinfo.name, type: typeRef(pbase, pinfo) });
    }
    return {
      name: info.name,
      isStatic: storage.has('static'),
      isDefinition,
      returnType: typeRef(base, info),
      parameters,
      location: this.location(info.nameNode),
      start: node.startIndex,
      end: node.endIndex,
      hasSyntaxError: node.hasError,
      // From the start of its first line: the same digest, the same columns too.
      ...(isDefinition && { digest: fingerprint([this.source.text, this.source.normalisedText], this.source.text.lastIndexOf('\n', node.startIndex - 1) + 1, node.endIndex) }),
    };
  }

  /** `DEFINE_MUTEX(name);` and friends at file scope. */
  private macroDeclaration(node: SyntaxNode): void {
    const call = node.namedChildren[0];
    if (call?.type !== 'call_expression') return;
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'identifier') return;
    const rule = this.idioms.rules.get(callee.text);
    if (rule?.kind !== 'declaration-macro') return;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => a !== null) ?? [];
    const nameNode = args[rule.declares.nameArg];
    if (nameNode?.type !== 'identifier') return;
    const bound = rule.declares.functionArg !== undefined ? args[rule.declares.functionArg] : undefined;
    const before = this.source.text.slice(Math.max(0, node.startIndex - 40), node.startIndex);
    this.variables.push({
      name: nameNode.text,
      type: parseTypeText(rule.declares.type),
      isStatic: /\bstatic\s*$/.test(before),
      isExtern: false,
      macro: callee.text,
      ...(bound?.type === 'identifier' && { boundFunction: bound.text }),
      location: this.location(nameNode),
    });
  }

  private bindingSink() {
    return (b: Omit<FunctionBinding, 'location'>, at: SyntaxNode) =>
      this.bindings.push({ ...b, location: this.location(at) });
  }
}

/** `struct mutex`, `spinlock_t`, `struct foo *` as a TypeRef. */
export function parseTypeText(text: string): TypeRef {
  const pointers = (text.match(/\*/g) ?? []).length;
  return { base: text.replace(/\*/g, '').trim().replace(/\s+/g, ' '), pointers, arrays: 0 };
}
