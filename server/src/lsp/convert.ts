// Findings as LSP diagnostics: 0-based positions as the engine keeps them, every chain step as
// related information (as clangd gives its notes), the code linked to its page in docs/checks/.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import type { Finding, Fix, Span } from '../engine/findings';
import type { FileProblem } from '../engine/source/sourceFile';
import { packageRoot } from '../host/packageRoot';
import type { Settings } from './settings';

/** Where the checks' pages are: docs/checks/ of the installed package. */
const DOCS = path.join(packageRoot(), 'docs', 'checks');

export const uriOf = (file: string): string => pathToFileURL(file).href;

export function rangeOf(s: Span): Range {
  return { start: { line: s.line, character: s.column }, end: { line: s.endLine, character: Math.max(s.endColumn, s.column + 1) } };
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

/** A fix as a code action: its edits by document; preferred only when it is the one repair. */
export function codeActionOf(fix: Fix, diagnostic: Diagnostic, preferred: boolean): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) {
    (changes[uriOf(e.file)] ??= []).push({
      range: { start: { line: e.start.line, character: e.start.column }, end: { line: e.end.line, character: e.end.column } },
      newText: e.newText,
    });
  }
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes }, ...(preferred && { isPreferred: true }) };
}

/** A file the engine could not read, said where it is seen: on its first line. */
export function skippedDiagnostic(p: FileProblem): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    severity: DiagnosticSeverity.Information,
    source: 'lockreview',
    code: 'skipped',
    message: `lockreview did not analyse this file: ${p.reason}`,
  };
}

/** lockreview.json could not be used: said on its first line (the reason names what is wrong). */
export function configDiagnostic(p: FileProblem): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    severity: DiagnosticSeverity.Warning,
    source: 'lockreview',
    code: 'config',
    message: `lockreview does not use this file: ${p.reason}`,
  };
}

/** How a finding the working tree adds to HEAD is marked. */
export const NEW_TAG = '[new]';

/** The diagnostic of a finding, with the severity the settings give its code. */
export function diagnosticOf(f: Finding, settings: Settings, isNew = false): Diagnostic {
  return {
    range: rangeOf(f),
    severity: SEVERITY[settings.severity[f.code] ?? f.severity],
    source: 'lockreview',
    code: f.code,
    codeDescription: { href: pathToFileURL(path.join(DOCS, `${f.code}.md`)).href },
    // Made by the working tree's changes: HEAD does not have it.
    message: isNew ? `${NEW_TAG} ${f.message}` : f.message,
    relatedInformation: f.related.map((r) => ({
      location: { uri: uriOf(r.file), range: { start: { line: r.line, character: r.column }, end: { line: r.line, character: r.column + 1 } } },
      message: r.message,
    })),
    data: { locks: f.locks },
  };
}

/** Findings that are a cycle of lock classes: the graph view can show it. */
export const CYCLE_CODES: ReadonlySet<string> = new Set(['lock-inversion', 'srcu-deadlock']);

/** "Show this cycle in the lock graph": a command for the client, never the preferred action. */
export function showCycleAction(uri: string, f: Finding, d: Diagnostic): CodeAction {
  return {
    title: 'Show this cycle in the lock graph',
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    command: { title: 'Show this cycle in the lock graph', command: 'lockreview.showCycle', arguments: [{ uri, locks: f.locks }] },
  };
}
