import { hash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace, undefined dropped. The hash of an event must
 * not depend on key order or on how a database returns JSON, so both writer and verifier use this.
 * It must give, byte for byte, what it always gave (existing chains were hashed with it): keys in
 * UTF-16 code unit order, values through JSON.stringify, a function or symbol as null, an array
 * hole as nothing (the join of a mapped sparse array). Written as loops because verification runs
 * it for every event of the log.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      if (i in value) out += canonicalJson(value[i]);
    }
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  // Object.keys lists what Object.entries did; the default sort compares UTF-16 code units, as `<` does.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += JSON.stringify(key) + ':' + canonicalJson(v);
  }
  return out + '}';
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * hash = SHA-256 of `prevHash:seq:canonical JSON of the event's content`, as UTF-8. The database
 * computes the same expression when it appends an event (audit.service.ts), so the position in
 * the chain is taken and linked in one statement; this is the verifier's side of it.
 */
export function chainHash(prevHash: string, seq: bigint | string, content: unknown): string {
  return chainHashOfJson(prevHash, String(seq), canonicalJson(content));
}

/** chainHash for content already in canonical JSON. */
export function chainHashOfJson(prevHash: string, seq: string, canonical: string): string {
  return hash('sha256', `${prevHash}:${seq}:${canonical}`, 'hex');
}
