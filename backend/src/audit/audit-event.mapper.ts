import { AuditAction, isChangeRequestKind, type AuditEvent } from '@custodian/shared';
import { presentChanges, type Viewer } from '../access/field-policy';
import type { AuditEventEntity } from './audit-event.entity';

/**
 * The only place an audit event becomes a response. Before and after values of account fields pass
 * through the same field policy as the accounts themselves: an auditor sees that an email changed,
 * masked. Changes of fields the policy does not know are withheld.
 */
export function toAuditEvent(e: AuditEventEntity, viewer: Viewer): AuditEvent {
  return {
    id: e.id,
    seq: Number(e.seq),
    occurredAt: e.occurredAt.toISOString(),
    actor: { type: e.actorType, id: e.actorId, email: e.actorEmail, roles: e.actorRoles },
    action: e.action,
    target: e.targetType && e.targetId ? { type: e.targetType, id: e.targetId } : null,
    outcome: e.outcome,
    reason: e.reason,
    ticket: e.ticket,
    changes: e.changes ? presentChanges(e.changes, viewer, changesOwner(e)) : null,
    details: e.details,
    requestId: e.requestId,
    ip: e.ip,
    userAgent: e.userAgent,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** The decisions on a change request: their events carry the request's diff. */
const DECISIONS: ReadonlySet<string> = new Set([
  AuditAction.ChangeRequestApprove,
  AuditAction.ChangeRequestReject,
]);

/**
 * Whose fields an event's changes are. Usually its target's; but a decision targets the change
 * request while its changes are the diff of the request's own target, whose kind the server
 * records in the decision's `details.requestTarget` (in the event's transaction, covered by its
 * hash). A decision that does not name a known kind (written before decisions did) stays with the
 * request as owner, which presents only account fields: anything else remains withheld.
 */
function changesOwner(e: AuditEventEntity): string | null {
  if (e.targetType !== 'change_request' || !DECISIONS.has(e.action)) return e.targetType;
  const requestTarget = e.details?.requestTarget;
  const kind =
    requestTarget && typeof requestTarget === 'object'
      ? (requestTarget as { type?: unknown }).type
      : undefined;
  return isChangeRequestKind(kind) ? kind : e.targetType;
}
