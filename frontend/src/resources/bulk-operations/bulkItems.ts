import type { BulkItem } from '../../providers/dataProvider';

/** An item of a preview (no status) or of a requested bulk operation (its status in the API). */
export type BulkItemRow = BulkItem & { status?: string };

/**
 * What the table says of one account. The API sends a diff only for an item still waiting (what
 * it would change now); an applied item comes with neither diff nor reason, so it must not be read
 * as "not changed": its change is in the account's history. A failed item's `skip` is the error.
 */
export type BulkItemOutcome =
  | { kind: 'diff'; changes: NonNullable<BulkItem['changes']> }
  | { kind: 'changed'; changes?: NonNullable<BulkItem['changes']> }
  | { kind: 'failed'; reason: string }
  | { kind: 'not-changed'; reason: string };

export function bulkItemOutcome(item: BulkItemRow): BulkItemOutcome {
  if (item.status === 'applied')
    return item.changes ? { kind: 'changed', changes: item.changes } : { kind: 'changed' };
  if (item.status === 'failed') return { kind: 'failed', reason: item.skip ?? 'no reason given' };
  if (item.changes) return { kind: 'diff', changes: item.changes };
  return { kind: 'not-changed', reason: item.skip ?? 'not applicable' };
}
