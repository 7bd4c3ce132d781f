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
  /** Only silences the finding (an ignore comment): no repair, never the preferred fix. */
  readonly suppresses?: true;
}

export interface Finding extends Span {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  /** Lock class names involved. */
  readonly locks: readonly string[];
  readonly related: readonly RelatedLocation[];
  readonly fixes: readonly Fix[];
  /**
   * What would repair it, in the engine's terms (offsets in the file's text): fixes/ turns each
   * into text edits once an adapter hands it the text (the editor's buffer, or the file).
   */
  readonly repairs?: readonly Repair[];
}

/**
 * A repair the engine knows enough to propose. Offsets are into `file`'s text: the acquisition
 * whose lock is meant (its call names the lock and its primitive), and the statement to change.
 */
export type Repair =
  /** Let go of the lock before this exit (`return`, or the function's closing brace). */
  | { readonly kind: 'release-before-exit'; readonly file: string; readonly exit: number; readonly acquired: number }
  /**
   * Let go of the lock around this call and take it back after (pciehp's fix): the lock the
   * function took (`acquired`), or one it holds from its caller (`held`, by primitive and mode).
   */
  | {
      readonly kind: 'release-around-call'; readonly file: string; readonly call: number;
      readonly acquired?: number; readonly held?: { readonly instance: string; readonly primitive: string; readonly mode: string };
    }
  /** Take the lock with a trylock, and back off with -EAGAIN when it is busy. */
  | { readonly kind: 'trylock'; readonly file: string; readonly acquired: number }
  /** Move `synchronize_srcu()` to after the release of the lock held around it. */
  | { readonly kind: 'synchronize-after-release'; readonly file: string; readonly sync: number; readonly acquired: number };
