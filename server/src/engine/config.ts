// `lockreview.json` at the tree root: a user's additions to the kernel vocabulary. Validated
// field by field; every error names the file and the JSON path of the offending value.

import * as path from 'node:path';
import { defaultCatalog, extendCatalog, type Catalog, type Effect } from './locks/catalog';
import { defaultIdioms, extendIdioms, type IdiomExtension, type IdiomTable, type MacroDeclaration } from './source/idioms';
import type { SourceReader } from './source/reader';

export const CONFIG_FILE = 'lockreview.json';

export interface Config {
  readonly idioms: IdiomExtension;
  /** Functions added to the lock catalog: their effects, or the name of a known one they act like. */
  readonly catalog: Readonly<Record<string, readonly Effect[] | string>>;
}

export class ConfigError extends Error {}

type Json = unknown;

function fail(file: string, at: string, what: string): never {
  throw new ConfigError(`${file}: ${at}: ${what}`);
}

function object(v: Json, file: string, at: string): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(file, at, 'expected an object');
  return v as Record<string, Json>;
}

function identifiers(v: Json, file: string, at: string): string[] {
  if (!Array.isArray(v)) fail(file, at, 'expected an array of identifiers');
  return v.map((x, i) => {
    if (typeof x !== 'string' || !/^[A-Za-z_]\w*$/.test(x)) fail(file, `${at}[${i}]`, `expected a C identifier, got ${JSON.stringify(x)}`);
    return x;
  });
}

function index(v: Json, file: string, at: string): number {
  if (!Number.isInteger(v) || (v as number) < 0) fail(file, at, `expected an argument index (0, 1, …), got ${JSON.stringify(v)}`);
  return v as number;
}

const IDIOM_KEYS = ['annotations', 'annotationCalls', 'typeArgumentMacros', 'blockMacros', 'declarationMacros'];

function idioms(v: Json, file: string): IdiomExtension {
  const o = object(v, file, 'idioms');
  for (const k of Object.keys(o)) if (!IDIOM_KEYS.includes(k)) fail(file, `idioms.${k}`, `unknown key (known: ${IDIOM_KEYS.join(', ')})`);
  const out: {
    annotations?: string[]; annotationCalls?: string[]; blockMacros?: string[];
    typeArgumentMacros?: Record<string, number[]>; declarationMacros?: Record<string, MacroDeclaration>;
  } = {};
  if (o.annotations !== undefined) out.annotations = identifiers(o.annotations, file, 'idioms.annotations');
  if (o.annotationCalls !== undefined) out.annotationCalls = identifiers(o.annotationCalls, file, 'idioms.annotationCalls');
  if (o.blockMacros !== undefined) out.blockMacros = identifiers(o.blockMacros, file, 'idioms.blockMacros');
  if (o.typeArgumentMacros !== undefined) {
    const m = object(o.typeArgumentMacros, file, 'idioms.typeArgumentMacros');
    out.typeArgumentMacros = Object.fromEntries(Object.entries(m).map(([name, args]) => {
      const at = `idioms.typeArgumentMacros.${name}`;
      if (!Array.isArray(args)) fail(file, at, 'expected an array of argument indexes');
      return [name, args.map((a, i) => index(a, file, `${at}[${i}]`))];
    }));
  }
  if (o.declarationMacros !== undefined) {
    const m = object(o.declarationMacros, file, 'idioms.declarationMacros');
    out.declarationMacros = Object.fromEntries(Object.entries(m).map(([name, d]) => {
      const at = `idioms.declarationMacros.${name}`;
      const decl = object(d, file, at);
      if (typeof decl.type !== 'string' || decl.type.trim() === '') fail(file, `${at}.type`, 'expected the declared type as C text, e.g. "struct mutex"');
      const md: MacroDeclaration = {
        type: decl.type,
        nameArg: index(decl.nameArg ?? 0, file, `${at}.nameArg`),
        ...(decl.functionArg !== undefined && { functionArg: index(decl.functionArg, file, `${at}.functionArg`) }),
      };
      return [name, md];
    }));
  }
  return out;
}

/** Parses and validates the text of a `lockreview.json`; `file` is used in error messages. */
export function parseConfig(text: string, file: string): Config {
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const o = object(json, file, '(top level)');
  for (const k of Object.keys(o)) if (!['idioms', 'catalog', '$schema'].includes(k)) fail(file, k, 'unknown key (known: idioms, catalog)');
  return {
    idioms: o.idioms === undefined ? {} : idioms(o.idioms, file),
    catalog: o.catalog === undefined ? {} : catalog(o.catalog, file),
  };
}

const EFFECT_KINDS = [
  'acquire', 'release', 'downgrade', 'assert-held', 'synchronize', 'srcu-dereference', 'wait',
  'complete', 'sleep', 'irq-disable', 'irq-enable', 'bh-disable', 'bh-enable', 'preempt-disable', 'preempt-enable', 'async',
  'thread', 'bind', 'noreturn', 'callback-if-true', 'callback',
];
const PRIMITIVES = ['mutex', 'spinlock', 'raw-spinlock', 'rwlock', 'rwsem', 'rcu', 'srcu', 'device', 'pci-cfg', 'semaphore', 'irq', 'bh', 'preempt'];
const MODES = ['exclusive', 'shared', 'recursive-read'];
const EFFECT_KEYS: Record<string, 'index' | 'path' | 'primitive' | 'mode' | 'fallible' | 'irq' | 'on' | 'bool'> = {
  arg: 'index', path: 'path', primitive: 'primitive', mode: 'mode', fallible: 'fallible', subclassArg: 'index',
  irq: 'irq', returnsIndex: 'bool', indexArg: 'index', checked: 'bool', on: 'on', gfpArg: 'index',
  queue: 'index', fn: 'index',
};

function oneOf(v: Json, allowed: readonly string[], file: string, at: string): string {
  if (typeof v !== 'string' || !allowed.includes(v)) fail(file, at, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v;
}

/** `catalog: { "my_lock": [ { "kind": "acquire", "arg": 0, … } ], "my_unlock": "mutex_unlock" }` */
function catalog(v: Json, file: string): Record<string, readonly Effect[] | string> {
  const o = object(v, file, 'catalog');
  const out: Record<string, readonly Effect[] | string> = {};
  for (const [name, entry] of Object.entries(o)) {
    const at = `catalog.${name}`;
    if (!/^[A-Za-z_]\w*$/.test(name)) fail(file, at, 'expected a C function name as the key');
    if (typeof entry === 'string') {
      if (!/^[A-Za-z_]\w*$/.test(entry)) fail(file, at, 'expected the name of a known function it acts like');
      out[name] = entry;
      continue;
    }
    if (!Array.isArray(entry)) fail(file, at, 'expected an array of effects, or the name of a known function');
    out[name] = entry.map((e, i) => effect(e, file, `${at}[${i}]`));
  }
  return out;
}

function effect(v: Json, file: string, at: string): Effect {
  const e = object(v, file, at);
  const out: Record<string, unknown> = { kind: oneOf(e.kind, EFFECT_KINDS, file, `${at}.kind`) };
  for (const [k, val] of Object.entries(e)) {
    if (k === 'kind') continue;
    const type = EFFECT_KEYS[k];
    const where = `${at}.${k}`;
    if (!type) fail(file, where, `unknown key (known: kind, ${Object.keys(EFFECT_KEYS).join(', ')})`);
    switch (type) {
      case 'index': out[k] = index(val, file, where); break;
      case 'path': out[k] = identifiers(val, file, where); break;
      case 'primitive': out[k] = oneOf(val, PRIMITIVES, file, where); break;
      case 'mode': out[k] = oneOf(val, MODES, file, where); break;
      case 'fallible': out[k] = oneOf(val, ['try', 'try-zero', 'interruptible'], file, where); break;
      case 'irq': out[k] = oneOf(val, ['irq', 'irqsave', 'bh'], file, where); break;
      case 'on': out[k] = oneOf(val, ['completion', 'work', 'workqueue', 'timer', 'kthread'], file, where); break;
      case 'bool':
        if (typeof val !== 'boolean') fail(file, where, 'expected true or false');
        out[k] = val;
        break;
    }
  }
  const kind = out.kind as string;
  if ((kind === 'acquire' || kind === 'release') && out.primitive === undefined) fail(file, `${at}.primitive`, `an ${kind} needs its primitive (${PRIMITIVES.join(', ')})`);
  if ((kind === 'thread' || kind === 'bind') && out.arg === undefined) fail(file, `${at}.arg`, `a ${kind} needs the argument index of its ${kind === 'thread' ? 'function' : 'work item'}`);
  if (kind === 'bind' && out.fn === undefined) fail(file, `${at}.fn`, 'a bind needs the argument index of the function that runs the item');
  if (kind === 'acquire' && out.mode === undefined) fail(file, `${at}.mode`, `an acquire needs its mode (${MODES.join(', ')})`);
  return out as unknown as Effect;
}

/** The tree's `lockreview.json` read through `reader`, or the empty config when there is none. */
export function loadConfig(root: string, reader: SourceReader): Config {
  const file = path.join(root, CONFIG_FILE);
  if (!reader.isFile(file)) return { idioms: {}, catalog: {} };
  let text: string;
  try {
    text = reader.readFile(file);
  } catch (e) {
    throw new ConfigError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return parseConfig(text, file);
}

/** The default idioms and lock catalog plus those of the tree's `lockreview.json`. */
export function treeVocabulary(root: string, reader: SourceReader): { idioms: IdiomTable; catalog: Catalog } {
  const config = loadConfig(root, reader);
  for (const [name, entry] of Object.entries(config.catalog)) {
    if (typeof entry === 'string' && !defaultCatalog.functions.has(entry)) {
      throw new ConfigError(`${path.join(root, CONFIG_FILE)}: catalog.${name}: "${entry}" is no function the catalog knows`);
    }
  }
  return { idioms: extendIdioms(defaultIdioms, config.idioms), catalog: extendCatalog(defaultCatalog, config.catalog) };
}
