// A function's text, reduced to a fingerprint: when a file is read again, a definition whose
// fingerprint is unchanged needs no new walk (model.ts). cyrb53, a 53-bit non-cryptographic hash:
// a collision would need two edits of one function to hash alike.

/** Fingerprint of `texts`, each read over [start, end): base-36. */
export function fingerprint(texts: readonly string[], start: number, end: number): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const text of texts) {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
