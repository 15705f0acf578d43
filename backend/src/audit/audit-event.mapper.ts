import type { AuditEvent } from '@custodian/shared';
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
    changes: e.changes ? presentChanges(e.changes, viewer, e.targetType) : null,
    details: e.details,
    requestId: e.requestId,
    ip: e.ip,
    userAgent: e.userAgent,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
