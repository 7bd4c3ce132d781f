// The `lockreview.*` settings the client contributes (package.json), read from the editor and
// checked: a value of the wrong shape is ignored with a message, never fatal.
import type { FindingCode, Severity } from '../engine/findings';

export type Level = Severity | 'hint';

export interface Settings {
  /** Folders to analyse, relative to the workspace folder; none: the whole folder. */
  readonly scope: readonly string[];
  /** Paths (relative, prefixes) left out of the analysis. */
  readonly exclude: readonly string[];
  /** Codes turned off. */
  readonly disabled: ReadonlySet<FindingCode>;
  /** Severity by code, over each finding's own. */
  readonly severity: Readonly<Partial<Record<FindingCode, Level>>>;
  /** Levels of `#include` read (as the CLI's --include-depth). */
  readonly includeDepth?: number;
  /** Quiet time after an edit before it is analysed, in milliseconds. */
  readonly debounceMs: number;
  /** Show only the findings the working tree adds to HEAD (in a git repository). */
  readonly onlyNew: boolean;
}

export const DEFAULT_SETTINGS: Settings = { scope: [], exclude: [], disabled: new Set(), severity: {}, debounceMs: 0, onlyNew: false };

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Settings from the editor's `lockreview` section; `problems` receives what was ignored and why. */
export function readSettings(raw: unknown, codes: readonly FindingCode[], problems: string[]): Settings {
  if (raw === null || raw === undefined) return DEFAULT_SETTINGS;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('lockreview: settings: expected an object');
    return DEFAULT_SETTINGS;
  }
  const o = raw as Record<string, unknown>;
  const strings = (key: string): string[] => {
    const v = o[key];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push(`lockreview.${key}: expected a list of folder names`);
    return [];
  };
  const known = new Set<string>(codes);
  const disabled = new Set<FindingCode>();
  const severity: Partial<Record<FindingCode, Level>> = {};
  const checks = o.checks;
  if (checks !== undefined) {
    if (typeof checks !== 'object' || checks === null || Array.isArray(checks)) problems.push('lockreview.checks: expected { "<code>": "error" | "warning" | "information" | "hint" | "off" }');
    else {
      for (const [code, level] of Object.entries(checks)) {
        if (!known.has(code)) problems.push(`lockreview.checks.${code}: no such check (known: ${codes.join(', ')})`);
        else if (typeof level !== 'string' || !LEVELS.has(level)) problems.push(`lockreview.checks.${code}: expected error, warning, information, hint or off`);
        else if (level === 'off') disabled.add(code as FindingCode);
        else severity[code as FindingCode] = level as Level;
      }
    }
  }
  const depth = o.includeDepth;
  const includeDepth = typeof depth === 'number' && Number.isInteger(depth) && depth >= 0 ? depth : undefined;
  if (depth !== undefined && includeDepth === undefined) problems.push('lockreview.includeDepth: expected a whole number (0 for all)');
  const debounce = o.debounceMs;
  const debounceMs = typeof debounce === 'number' && debounce >= 0 ? debounce : DEFAULT_SETTINGS.debounceMs;
  if (o.onlyNew !== undefined && typeof o.onlyNew !== 'boolean') problems.push('lockreview.onlyNew: expected true or false');
  const onlyNew = o.onlyNew === true;
  return { scope: strings('scope'), exclude: strings('exclude'), disabled, severity, ...(includeDepth !== undefined && { includeDepth }), debounceMs, onlyNew };
}
