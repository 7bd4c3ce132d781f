// `lockreview summary FILE[:FUNCTION]`: the lock summaries of a file's functions, readably.
import type { FunctionSummary, Held, Lock } from '../engine/locks/summary';
import { displayPath } from './args';

function lock(l: Lock): string {
  const sub = l.subclass !== undefined ? `/${l.subclass}` : '';
  return l.instance === l.class ? `${l.class}${sub}` : `${l.class}${sub} (${l.instance})`;
}

function held(hs: readonly Held[]): string {
  return hs.length === 0 ? '—' : hs.map((h) => `${lock(h)}${h.mode === 'exclusive' ? '' : ` [${h.mode}]`}`).join(', ');
}

const line = (at: { line: number }) => `L${at.line + 1}`;

export function formatSummary(s: FunctionSummary, base: string): string {
  const out: string[] = [];
  const flags = [s.isStatic ? 'static' : '', s.partial ? 'partial: some paths not followed' : ''].filter(Boolean);
  out.push(`${displayPath(s.file, base)}:${s.at.line + 1}: ${s.name}${flags.length ? ` (${flags.join('; ')})` : ''}`);
  const section = (title: string, rows: string[]) => {
    if (rows.length) out.push(`  ${title}:`, ...rows.map((r) => `    ${r}`));
  };
  section('acquires', s.acquisitions.map((a) =>
    `${line(a.at)} ${a.call}: ${lock(a.lock)} [${a.lock.mode}${a.try ? ', trylock' : ''}]; held: ${held(a.held)}`));
  section('releases', s.releases.map((r) =>
    `${line(r.at)} ${r.call}: ${lock(r.lock)}${r.unheldOnSomePath ? (r.heldOnSomePath ? ' (not held on some paths)' : ' (not taken here: the caller\'s)') : ''}${r.srcuMismatch ? `; mismatch: ${r.srcuMismatch}` : ''}`));
  section('calls with locks held', s.calls.filter((c) => c.held.length > 0).map((c) => `${line(c.at)} ${c.callee}(); held: ${held(c.held)}`));
  section('requires', s.requires.map((r) => `${line(r.at)} ${lock(r.lock)} (${r.via})`));
  section('sleeps, waits, completes, synchronizes', s.others.map((o) =>
    `${line(o.at)} ${o.kind} ${o.callee}${o.target ? `(${o.target})` : ''}; held: ${held(o.held)}`));
  section('exits', s.exits.map((e) => `${line(e.at)} ${e.value !== undefined ? `return ${e.value}` : 'end'}; held: ${held(e.held)}`));
  if (s.annotations.acquires.length || s.annotations.releases.length) {
    out.push(`  annotations: ${[...s.annotations.acquires.map((a) => `__acquires(${a})`), ...s.annotations.releases.map((r) => `__releases(${r})`)].join(' ')}`);
  }
  return out.join('\n');
}
