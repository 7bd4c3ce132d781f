// The lock graph on the wire: what the server answers to `lockreview/graph`, what the extension
// hands the graph page, and what the page may say back. Plain types and their validators; this
// module imports nothing, so the server, the client and the page (a browser bundle) all share it.
// Nothing from the page is acted on before `fromPage` has read it.

/** One step of a chain: where, in which function, and what happens there. */
export interface StepData {
  /** Absolute path, as the editor opens it. */
  readonly file: string;
  /** The path shown: relative to the tree's root. */
  readonly path: string;
  /** 0-based, as LSP counts. */
  readonly line: number;
  readonly column: number;
  readonly function: string;
  readonly message: string;
}

export interface NodeData {
  /** The lock class (`controller.reset_lock`). */
  readonly id: string;
  readonly primitive: string;
  readonly inCycle: boolean;
  /** Folders (relative to the root) where the graph's chains take this class. */
  readonly folders: readonly string[];
}

export interface EdgeData {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** lockdep's kinds that occur (`EN`, `SR`, …). */
  readonly kinds: readonly string[];
  readonly inCycle: boolean;
  /** Not in HEAD: the working tree's changes add it (in a git repository). */
  readonly added?: boolean;
  /** One chain per kind, shortest first: from the acquisition of `from` to that of `to`. */
  readonly chains: readonly { readonly kind: string; readonly steps: readonly StepData[] }[];
}

export interface GraphData {
  readonly title: string;
  readonly nodes: readonly NodeData[];
  readonly edges: readonly EdgeData[];
  /** Each cycle as its classes, in order. */
  readonly cycles: readonly (readonly string[])[];
  /** What was asked for: the page opens on these classes and their neighbours. Empty: the page chooses. */
  readonly focus: readonly string[];
  /** Show only classes taken under this folder (relative to the root), if set. */
  readonly folder?: string;
}

/** What the graph is asked for: a folder's whole graph, a lock's, a function's, or a cycle. */
export interface GraphRequest {
  /** A document or folder of the workspace: the graph of the folder it is in. */
  readonly uri: string;
  readonly focus?:
    | { readonly kind: 'lock'; readonly lock: string }
    | { readonly kind: 'function'; readonly line: number; readonly character: number }
    | { readonly kind: 'cycle'; readonly locks: readonly string[] }
    /** The cycle a finding at this line of the document reports. */
    | { readonly kind: 'cycleAt'; readonly line: number };
}

export type ToPage = { readonly type: 'graph'; readonly graph: GraphData };

export type FromPage =
  | { readonly type: 'ready' }
  /** Open the source at a step the page was given. */
  | { readonly type: 'open'; readonly file: string; readonly line: number; readonly column: number }
  /** The graph is drawn: how many elements, and how long the layout took. */
  | { readonly type: 'laidOut'; readonly nodes: number; readonly edges: number; readonly ms: number };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 2 ** 31;

/** A message from the page, if it is one of those above with fields of the right types. */
export function fromPage(x: unknown): FromPage | undefined {
  if (!isObject(x)) return undefined;
  switch (x.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open':
      return typeof x.file === 'string' && x.file.length > 0 && x.file.length < 4096 && isCount(x.line) && isCount(x.column)
        ? { type: 'open', file: x.file, line: x.line, column: x.column }
        : undefined;
    case 'laidOut':
      return isCount(x.nodes) && isCount(x.edges) && typeof x.ms === 'number' && Number.isFinite(x.ms) && x.ms >= 0
        ? { type: 'laidOut', nodes: x.nodes, edges: x.edges, ms: x.ms }
        : undefined;
    default:
      return undefined;
  }
}

/** A message to the page, if it is a graph of the right shape (the page reads nothing else). */
export function toPage(x: unknown): ToPage | undefined {
  if (!isObject(x) || x.type !== 'graph' || !isObject(x.graph)) return undefined;
  const g = x.graph;
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const ok = typeof g.title === 'string' && Array.isArray(g.nodes) && Array.isArray(g.edges) && Array.isArray(g.cycles) && strings(g.focus)
    && (g.folder === undefined || typeof g.folder === 'string')
    && g.nodes.every((n) => isObject(n) && typeof n.id === 'string' && typeof n.primitive === 'string' && typeof n.inCycle === 'boolean' && strings(n.folders))
    && g.edges.every((e) => isObject(e) && typeof e.id === 'string' && typeof e.from === 'string' && typeof e.to === 'string' && strings(e.kinds)
      && typeof e.inCycle === 'boolean' && (e.added === undefined || typeof e.added === 'boolean') && Array.isArray(e.chains) && e.chains.every((c) => isObject(c) && typeof c.kind === 'string' && Array.isArray(c.steps)
        && c.steps.every((s) => isObject(s) && typeof s.file === 'string' && typeof s.path === 'string' && isCount(s.line) && isCount(s.column)
          && typeof s.function === 'string' && typeof s.message === 'string')))
    && g.cycles.every(strings);
  return ok ? { type: 'graph', graph: g as unknown as GraphData } : undefined;
}

/** A `lockreview/graph` request's parameters, if they are of the shape above. */
export function graphRequest(x: unknown): GraphRequest | undefined {
  if (!isObject(x) || typeof x.uri !== 'string') return undefined;
  const f = x.focus;
  if (f === undefined) return { uri: x.uri };
  if (!isObject(f)) return undefined;
  if (f.kind === 'lock' && typeof f.lock === 'string') return { uri: x.uri, focus: { kind: 'lock', lock: f.lock } };
  if (f.kind === 'function' && isCount(f.line) && isCount(f.character)) return { uri: x.uri, focus: { kind: 'function', line: f.line, character: f.character } };
  if (f.kind === 'cycleAt' && isCount(f.line)) return { uri: x.uri, focus: { kind: 'cycleAt', line: f.line } };
  if (f.kind === 'cycle' && Array.isArray(f.locks) && f.locks.length > 0 && f.locks.every((l) => typeof l === 'string')) {
    return { uri: x.uri, focus: { kind: 'cycle', locks: f.locks as string[] } };
  }
  return undefined;
}

/** Every place the graph names: the only ones an `open` from its page may ask for. */
export function placesOf(g: GraphData): Set<string> {
  const out = new Set<string>();
  for (const e of g.edges) for (const c of e.chains) for (const s of c.steps) out.add(placeKey(s.file, s.line, s.column));
  return out;
}

export const placeKey = (file: string, line: number, column: number): string => `${file}:${line}:${column}`;

/** The place a page's message asks to open, if it is an `open` of a place its graph names. */
export function openOf(raw: unknown, places: ReadonlySet<string>): { file: string; line: number; column: number } | undefined {
  const m = fromPage(raw);
  return m?.type === 'open' && places.has(placeKey(m.file, m.line, m.column)) ? { file: m.file, line: m.line, column: m.column } : undefined;
}
