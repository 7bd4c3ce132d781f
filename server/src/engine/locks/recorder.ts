// Collects the facts of one function's walk into its summary. The walk may visit a statement
// more than once (loops run to a fixpoint, backward gotos rerun); facts are kept once per
// (place, held set).

import { heldKey } from './state';
import type { Acquisition, Call, Exit, GlobalAssignment, Lock, Other, Release, Requirement, Site } from './summary';

export class Recorder {
  private readonly acquisitions = new Map<string, Acquisition>();
  private readonly releases = new Map<string, { lock: Lock; at: Site; call: string; held: boolean; unheld: boolean; releasedTwice?: boolean; viaHelper?: boolean; srcuIndex?: string; srcuMismatch?: string }>();
  private readonly calls = new Map<string, Call>();
  private readonly exits = new Map<string, Exit>();
  private readonly requires = new Map<string, Requirement>();
  private readonly others = new Map<string, Other>();
  private readonly assigned = new Map<string, GlobalAssignment>();
  private readonly stored = new Map<string, { field: string; value: string }>();

  acquisition(a: Acquisition): void {
    const key = `${a.at.offset}#${a.lock.instance}#${heldKey(a.held)}#${a.retake}`;
    const known = this.acquisitions.get(key);
    if (!known) this.acquisitions.set(key, a);
    else if (known.when) this.acquisitions.set(key, withWhen(known, common(known.when, a.when)));
  }

  release(
    lock: Lock, at: Site, call: string, wasHeld: boolean, srcu?: { index?: string; mismatch?: string },
    viaHelper = false, releasedTwice = false,
  ): void {
    const key = `${at.offset}#${lock.instance}`;
    const r = this.releases.get(key);
    if (r) {
      r.held ||= wasHeld;
      r.unheld ||= !wasHeld;
      if (releasedTwice) r.releasedTwice = true;
      if (srcu?.mismatch) r.srcuMismatch = srcu.mismatch;
      return;
    }
    this.releases.set(key, {
      lock, at, call, held: wasHeld, unheld: !wasHeld,
      ...(viaHelper && { viaHelper }),
      ...(releasedTwice && { releasedTwice }),
      ...(srcu?.index !== undefined && { srcuIndex: srcu.index }),
      ...(srcu?.mismatch !== undefined && { srcuMismatch: srcu.mismatch }),
    });
  }

  call(c: Call): void {
    // Paths reaching one call through different function pointer values stay apart.
    const key = `${c.at.offset}#${heldKey(c.held)}#${c.targets.length === 1 ? c.targets[0] : c.targets.join(',')}`;
    const known = this.calls.get(key);
    if (!known) this.calls.set(key, c);
    else if (known.when) this.calls.set(key, withWhen(known, common(known.when, c.when)));
  }

  exit(e: Exit): void {
    // Paths reaching one return with the same locks are one exit: what any of them released.
    const key = `${e.at.offset}#${heldKey(e.held)}`;
    const known = this.exits.get(key);
    if (!known) this.exits.set(key, e);
    else if (e.released.some((r) => !known.released.includes(r))) {
      this.exits.set(key, { ...known, released: [...new Set([...known.released, ...e.released])].sort() });
    }
  }

  requirement(r: Requirement): void {
    const key = `${r.at.offset}#${r.lock.instance}`;
    if (!this.requires.has(key)) this.requires.set(key, r);
  }

  other(o: Other): void {
    const key = `${o.at.offset}#${o.kind}#${heldKey(o.held)}`;
    if (!this.others.has(key)) this.others.set(key, o);
  }

  /** The function assigns the file-scope variable at its top level (the first such assignment counts). */
  assigns(a: GlobalAssignment): void {
    const known = this.assigned.get(a.name);
    if (known === undefined || a.offset < known.offset) this.assigned.set(a.name, a);
  }

  /** The function stores `value` (a constant as written, or `?`) into a `field` of some struct. */
  store(field: string, value: string): void {
    const key = `${field}=${value}`;
    if (!this.stored.has(key)) this.stored.set(key, { field, value });
  }

  facts(): {
    acquisitions: Acquisition[]; releases: Release[]; calls: Call[]; exits: Exit[];
    requires: Requirement[]; others: Other[]; assigns?: GlobalAssignment[];
    stores?: { field: string; value: string }[];
  } {
    const byOffset = <T extends { at: Site }>(xs: Iterable<T>) => [...xs].sort((a, b) => a.at.offset - b.at.offset);
    return {
      acquisitions: byOffset(this.acquisitions.values()),
      releases: byOffset(this.releases.values()).map(({ held, unheld, ...r }) => ({ ...r, heldOnSomePath: held, unheldOnSomePath: unheld })),
      calls: byOffset(this.calls.values()),
      exits: byOffset(this.exits.values()),
      requires: byOffset(this.requires.values()),
      others: byOffset(this.others.values()),
      ...(this.stored.size > 0 && { stores: [...this.stored.values()] }),
      ...(this.assigned.size > 0 && { assigns: [...this.assigned.values()].sort((a, b) => a.offset - b.offset) }),
    };
  }
}

/** What two paths reaching one place both know of the parameters. */
function common(a: Readonly<Record<string, boolean>>, b: Readonly<Record<string, boolean>> | undefined): Record<string, boolean> | undefined {
  if (!b) return undefined;
  const out = Object.fromEntries(Object.entries(a).filter(([k, v]) => b[k] === v));
  return Object.keys(out).length > 0 ? out : undefined;
}

function withWhen<T extends { when?: Readonly<Record<string, boolean>> }>(x: T, when: Record<string, boolean> | undefined): T {
  const { when: _old, ...rest } = x;
  return (when ? { ...rest, when } : rest) as T;
}
