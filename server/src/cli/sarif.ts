// SARIF 2.1.0 for `lockreview diff --format sarif`: the findings a change makes new
// (baselineState "new") and those it makes go ("absent"), each with its chains as related
// locations, for code-scanning tools that show a patch's results.
import * as path from 'node:path';
import { checks } from '../engine/checks/registry';
import type { Finding } from '../engine/findings';
import type { TreeDiff } from '../engine/diff';

const LEVEL = { error: 'error', warning: 'warning', information: 'note' } as const;

export function formatSarif(d: TreeDiff, root: string): string {
  const uri = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const region = (line: number, column: number) => ({ startLine: line + 1, startColumn: column + 1 });
  const result = (f: Finding, baselineState: 'new' | 'absent') => ({
    ruleId: f.code,
    level: LEVEL[f.severity],
    baselineState,
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.file), uriBaseId: 'ROOT' }, region: { ...region(f.line, f.column), endLine: f.endLine + 1, endColumn: f.endColumn + 1 } } }],
    relatedLocations: f.related.map((r, id) => ({ id, message: { text: r.message }, physicalLocation: { artifactLocation: { uri: uri(r.file), uriBaseId: 'ROOT' }, region: region(r.line, r.column) } })),
  });
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'lockreview', rules: checks.map((c) => ({ id: c.code })) } },
      originalUriBaseIds: { ROOT: { uri: `file://${root.endsWith('/') ? root : `${root}/`}` } },
      results: [...d.newFindings.map((f) => result(f, 'new')), ...d.goneFindings.map((f) => result(f, 'absent'))],
    }],
  }, null, 2) + '\n';
}
