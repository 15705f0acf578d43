import { FIELD_POLICY } from '@custodian/shared';
import { presentChanges, type Viewer } from '../access/field-policy';
import type { ChangeRequestEntity } from './change-request.entity';

/** The diff passes the field policy like every other read path; the raw params are never sent. */
export function toChangeRequest(e: ChangeRequestEntity, viewer: Viewer) {
  return {
    id: e.id,
    operation: e.operation,
    targetType: e.targetType,
    targetId: e.targetId,
    // A parameter that is an account field (a new email) is shown as that field would be.
    params: Object.fromEntries(
      Object.entries(e.params).map(([k, v]) => [
        k,
        k in FIELD_POLICY.account ? presentChanges({ [k]: { before: null, after: v } }, viewer)[k]!.after : v,
      ]),
    ),
    changes: presentChanges(e.changes, viewer),
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
  };
}
