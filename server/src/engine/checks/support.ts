// What the one-function checks share: summaries in, findings out, positions from sites.
import type { Finding, FindingCode, RelatedLocation, Severity } from '../findings';
import type { FunctionSummary, Lock, Site } from '../locks/summary';
import type { LoadedTree } from '../workspace';

/** Every summary of the analysed files. */
export function* allSummaries(tree: LoadedTree): Generator<FunctionSummary> {
  for (const file of tree.files) yield* tree.summaries.get(file) ?? [];
}

export function related(file: string, at: Site, message: string): RelatedLocation {
  return { file, line: at.line, column: at.column, message };
}

export function finding(
  code: FindingCode, severity: Severity, summary: FunctionSummary, at: Site, length: number,
  message: string, locks: readonly string[], rel: readonly RelatedLocation[],
): Finding {
  return {
    code, severity, message, file: summary.file, line: at.line, column: at.column,
    endLine: at.line, endColumn: at.column + length, locks, related: rel, fixes: [],
  };
}

/** `mdev_list_lock`, or `device.mutex (dev->dev.mutex)` when the instance says more. */
export function describe(lock: Lock): string {
  return lock.instance === lock.class ? lock.class : `${lock.class} (${lock.instance})`;
}
