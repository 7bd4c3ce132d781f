// `lockreview.json` at the tree root: a user's additions to the kernel vocabulary. Validated
// field by field; every error names the file and the JSON path of the offending value.

import * as path from 'node:path';
import type { IdiomExtension, MacroDeclaration } from './source/idioms';
import type { SourceReader } from './source/reader';

export const CONFIG_FILE = 'lockreview.json';

export interface Config {
  readonly idioms: IdiomExtension;
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
  for (const k of Object.keys(o)) if (k !== 'idioms' && k !== '$schema') fail(file, k, 'unknown key (known: idioms)');
  return { idioms: o.idioms === undefined ? {} : idioms(o.idioms, file) };
}

/** The tree's `lockreview.json` read through `reader`, or the empty config when there is none. */
export function loadConfig(root: string, reader: SourceReader): Config {
  const file = path.join(root, CONFIG_FILE);
  if (!reader.isFile(file)) return { idioms: {} };
  let text: string;
  try {
    text = reader.readFile(file);
  } catch (e) {
    throw new ConfigError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return parseConfig(text, file);
}
