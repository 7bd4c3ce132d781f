// Summaries with their positions moved, or compared without them. Text added or taken out above a
// function moves every position in it by as much, and nothing else: its summary is the old one,
// shifted. And two summaries alike but for where things are, and for calls that reach nothing the
// graph reads, give the lock graph the same dependencies, chains and findings, only elsewhere.

import { CALLS_READ_BY_NAME } from './catalog';
import type { Call, FunctionSummary, Site } from './summary';

export const isSite = (v: unknown): v is Site =>
  typeof v === 'object' && v !== null && typeof (v as Site).offset === 'number' && typeof (v as Site).line === 'number' && typeof (v as Site).column === 'number';

/** Offsets that are not Sites: a guard's scope end, an assignment's place. */
const isBareOffset = (key: string, v: unknown): v is number => typeof v === 'number' && (key === 'guardScopeEnd' || key === 'offset');

/**
 * `s` moved by `offset` characters and `line` lines, as when the text above its function grew
 * or shrank. Undefined when one of its positions lies outside [start, end], its function's old
 * extent: that position is not the function's to move.
 */
export function shiftSummary(s: FunctionSummary, offset: number, line: number, start: number, end: number): FunctionSummary | undefined {
  let outside = false;
  const moved = (o: number) => {
    if (o < start || o > end) outside = true;
    return o + offset;
  };
  const copy = (v: unknown, key: string): unknown => {
    if (isSite(v)) return { offset: moved(v.offset), line: v.line + line, column: v.column };
    if (isBareOffset(key, v)) return moved(v);
    if (Array.isArray(v)) return v.map((x) => copy(x, ''));
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copy(x, k);
    return out;
  };
  const shifted = copy(s, '') as FunctionSummary;
  return outside ? undefined : shifted;
}

/** A call that reaches no function of the tree and that nothing reads by name: it adds nothing. */
export const inertCall = (c: Call): boolean =>
  c.targets.length === 0 && !c.when && c.through === undefined && !CALLS_READ_BY_NAME.has(c.callee);

export interface LockShape {
  /** The summary as JSON, every position blanked and inert calls left out. */
  readonly shape: string;
  /** Its positions in the order they occur in `shape`: Sites, and bare offsets as `{ offset }`. */
  readonly positions: readonly (Site | { readonly offset: number })[];
}

/** Every position of `s`, inert calls' included, in an order a summary and its shifted copy share. */
export function positionsOf(s: FunctionSummary): LockShape['positions'] {
  const out: (Site | { offset: number })[] = [];
  const walk = (v: unknown, key: string): void => {
    if (isSite(v)) out.push(v);
    else if (isBareOffset(key, v)) out.push({ offset: v });
    else if (Array.isArray(v)) for (const x of v) walk(x, '');
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(s, '');
  return out;
}

/** What the lock graph reads of `s`, apart from where: equal shapes, equal graphs. */
export function lockShape(s: FunctionSummary): LockShape {
  const positions: (Site | { offset: number })[] = [];
  const shape = JSON.stringify(s, (key, v: unknown) => {
    if (isSite(v)) {
      positions.push(v);
      return 0;
    }
    if (isBareOffset(key, v)) {
      positions.push({ offset: v });
      return 0;
    }
    if (key === 'calls' && Array.isArray(v)) return (v as Call[]).filter((c) => !inertCall(c));
    return v;
  });
  return { shape, positions };
}
