// A finding, as DESIGN.md defines it. Positions are 0-based offsets and lines/columns on the
// original text; the adapters convert (the CLI prints 1-based, LSP keeps 0-based).

export type FindingCode =
  | 'lock-inversion' | 'recursive-lock' | 'lock-imbalance' | 'unlock-unheld' | 'missing-lock'
  | 'srcu-imbalance' | 'srcu-mismatch' | 'srcu-self-deadlock' | 'srcu-deadlock'
  | 'srcu-unprotected-deref' | 'sleep-in-atomic' | 'wait-under-lock';

export type Severity = 'error' | 'warning' | 'information';

export interface Span {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface RelatedLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface TextEdit {
  readonly file: string;
  readonly start: { readonly line: number; readonly column: number };
  readonly end: { readonly line: number; readonly column: number };
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Finding extends Span {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  /** Lock class names involved. */
  readonly locks: readonly string[];
  readonly related: readonly RelatedLocation[];
  readonly fixes: readonly Fix[];
}
