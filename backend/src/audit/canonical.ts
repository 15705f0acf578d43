import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace, undefined dropped. The hash of an event must
 * not depend on key order or on how a database returns JSON, so both writer and verifier use this.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * hash = SHA-256 of `prevHash:seq:canonical JSON of the event's content`, as UTF-8. The database
 * computes the same expression when it appends an event (audit.service.ts), so the position in
 * the chain is taken and linked in one statement; this is the verifier's side of it.
 */
export function chainHash(prevHash: string, seq: bigint | string, content: unknown): string {
  return createHash('sha256')
    .update(`${prevHash}:${String(seq)}:${canonicalJson(content)}`, 'utf8')
    .digest('hex');
}
