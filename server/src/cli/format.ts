// Output formats of `lockreview check`: gcc-style text and JSON (DESIGN.md, "Command line").
import type { Finding } from '../engine/findings';
import type { Review } from '../engine/review';
import { displayPath } from './args';

/** `file:line:col: severity: message [code]`, then `note:` lines for related locations. */
export function formatText(review: Review, base: string): string {
  const lines = review.findings.flatMap((f) => findingText(f, base));
  const { files } = review.tree;
  const n = review.findings.length;
  lines.push(`${n} finding${n === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'} (${review.functions} functions)`);
  return lines.join('\n') + '\n';
}

/** One finding as gcc does: its line, then a `note:` line per related location. */
export function findingText(f: Finding, base: string): string[] {
  return [
    `${displayPath(f.file, base)}:${f.line + 1}:${f.column + 1}: ${f.severity}: ${f.message} [${f.code}]`,
    ...f.related.map((r) => `${displayPath(r.file, base)}:${r.line + 1}:${r.column + 1}: note: ${r.message}`),
  ];
}

export function findingJson(f: Finding, root: string): object {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    file: displayPath(f.file, root),
    line: f.line + 1,
    column: f.column + 1,
    endLine: f.endLine + 1,
    endColumn: f.endColumn + 1,
    locks: f.locks,
    related: f.related.map((r) => ({ file: displayPath(r.file, root), line: r.line + 1, column: r.column + 1, message: r.message })),
    fixes: f.fixes.map((x) => ({
      title: x.title,
      edits: x.edits.map((e) => ({
        file: displayPath(e.file, root),
        start: { line: e.start.line + 1, column: e.start.column + 1 },
        end: { line: e.end.line + 1, column: e.end.column + 1 },
        newText: e.newText,
      })),
    })),
  };
}

/** `{ version: 1, root, files, functions, findings, skipped }`; paths relative to the root. */
export function formatJson(review: Review): string {
  const { root, files, problems } = review.tree;
  return JSON.stringify(
    {
      version: 1,
      root,
      files: files.length,
      functions: review.functions,
      findings: review.findings.map((f) => findingJson(f, root)),
      skipped: problems.map((p) => ({ file: displayPath(p.file, root), reason: p.reason })),
    },
    null,
    2,
  ) + '\n';
}
