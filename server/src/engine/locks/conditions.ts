// Conditions on a function's parameters, as callers see them: `dev->fwnode` of parameter `dev`
// is the template `$->fwnode`, and only some templates can ever be decided by a caller. The
// walker keeps facts only for those; the lock graph's needs (graph/needs.ts) carry only those.

import { KIND_FACTS } from './catalog';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const made = new Map<string, string>();

/** `dev->fwnode` of parameter `dev`, as `$->fwnode`. */
export function template(condition: string, param: string): string {
  const key = `${param} ${condition}`;
  let out = made.get(key);
  if (out === undefined) {
    out = condition.replace(new RegExp(`(?<![\\w.>])${escape(param)}(?![\\w])`, 'g'), '$');
    if (made.size > 50_000) made.clear(); // a long-lived server sees many; keep it bounded
    made.set(key, out);
  }
  return out;
}

const templates = new Map<string, boolean>();
/** A test of one member of the parameter (`$->running`, `$->type==X`): a caller's own test of it decides. */
const MEMBER_TEST = /^\$(?:->|\.)\w+(?:[=!]=\w+)?$/;

/**
 * A condition some call could ever decide: on the parameter's own value (a flag, `$==X`: a
 * constant or a field's known values decide it), on one member of it (a caller testing the same
 * member, `if (!d->running) stop_worker(d)`), or one the catalog knows of some kind of object
 * (KIND_FACTS, BUS_OF). `$->power.runtime_status==RPM_ACTIVE` no caller can tell: carrying it
 * would only multiply paths and what each function reaches.
 */
export function decidableTemplate(t: string): boolean {
  let out = templates.get(t);
  if (out === undefined) {
    out = !/\$(?:->|\.|\[)|\w\s*\([^)]*\$/.test(t) || MEMBER_TEST.test(t) ||
      Object.values(KIND_FACTS).some((facts) => t in facts) || /^\$->bus==&[\w.]+$/.test(t);
    templates.set(t, out);
  }
  return out;
}
