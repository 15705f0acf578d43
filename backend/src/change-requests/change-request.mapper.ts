import { FIELD_POLICY } from '@custodian/shared';
import { bulkCounts, presentChanges, type Viewer } from '../access/field-policy';
import type { BulkItemStatus } from '../operations/bulk-item.entity';
import type { ChangeRequestEntity } from './change-request.entity';

/** One account of a bulk request: its diff while it waits, or why it will not or did not run. */
export interface BulkRequestItem {
  accountId: string;
  status: BulkItemStatus;
  changes?: Record<string, unknown>;
  skip?: string;
}

/**
 * The diff passes the field policy like every other read path; the raw params are never sent. A
 * bulk request's stored change is only its counts: each account's diff comes as `items`, each
 * through the account field policy (detail only: there may be thousands).
 */
export function toChangeRequest(
  e: ChangeRequestEntity,
  viewer: Viewer,
  { items, blocker }: { items?: BulkRequestItem[]; blocker?: string } = {},
) {
  const bulk = e.targetType === 'bulk';
  // While an account change or a role grant waits, whether approving it can still apply: its
  // target may have moved on since it was filed (ChangeRequestsService.blockers says why).
  const applicability =
    e.status === 'pending' && !bulk
      ? { applicable: !blocker, ...(blocker && { notApplicableBecause: blocker }) }
      : {};
  return {
    id: e.id,
    operation: e.operation,
    targetType: e.targetType,
    targetId: e.targetId,
    // A parameter of an account operation that is an account field (a new email) is shown as that
    // field would be; a role grant's parameter (the roles) is staff data.
    params: Object.fromEntries(
      Object.entries(e.params).map(([k, v]) => [
        k,
        e.targetType !== 'staff' && k in FIELD_POLICY.account
          ? presentChanges({ [k]: { before: null, after: v } }, viewer)[k]!.after
          : v,
      ]),
    ),
    changes: bulk ? {} : presentChanges(e.changes, viewer, e.targetType),
    ...(bulk
      ? {
          summary: bulkSummary(e.changes),
          ...(items && {
            items: items.map(({ changes, ...item }) => ({
              ...item,
              ...(changes && { changes: presentChanges(changes, viewer, 'account') }),
            })),
          }),
        }
      : {}),
    expectedVersion: e.expectedVersion,
    requestedBy: { id: e.requestedBy, email: e.requestedByEmail },
    reason: e.reason,
    ticket: e.ticket,
    status: e.status,
    createdAt: e.createdAt.toISOString(),
    expiresAt: e.expiresAt.toISOString(),
    decidedBy: e.decidedBy ? { id: e.decidedBy, email: e.decidedByEmail } : undefined,
    decidedAt: e.decidedAt?.toISOString(),
    comment: e.comment ?? undefined,
    failure: e.failure ?? undefined,
    ...applicability,
  };
}

/** The counts a bulk request stored when it was filed, and nothing else it may hold. */
function bulkSummary(changes: Record<string, unknown>) {
  return bulkCounts(changes.accounts);
}
