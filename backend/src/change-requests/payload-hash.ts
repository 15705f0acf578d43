import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical';

/** The hash that binds a request: what runs on approval must hash to what was approved. */
export function payloadHash(p: {
  operation: string;
  targetId: string;
  params: Record<string, unknown>;
  expectedVersion: number;
  changes: Record<string, unknown>;
}): string {
  return createHash('sha256').update(canonicalJson(p)).digest('hex');
}
