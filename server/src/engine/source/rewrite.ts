import type { IdiomRule } from './idioms';

export type RewriteKind = IdiomRule['kind'] | 'case-range' | 'conditional-branch' | 'string-macros' | 'token-paste';

/** One rewrite: the original text at [start, end) was replaced by as many characters. */
export interface Rewrite {
  readonly kind: RewriteKind;
  /** The idiom's name (`__iomem`, `list_for_each_entry`) or what the rewrite stands for. */
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** A rewrite with its replacement text, which has the length of the text it replaces. */
export interface Edit extends Rewrite {
  readonly replacement: string;
}
