import type { AuditEvent, Redactions } from '@custodian/shared';
import { present, type Viewer } from '../access/field-policy';
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
    changes: e.changes ? maskChanges(e.changes, viewer) : null,
    details: e.details,
    requestId: e.requestId,
    ip: e.ip,
    userAgent: e.userAgent,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

function maskChanges(
  changes: Record<string, unknown>,
  viewer: Viewer,
): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const [field, change] of Object.entries(changes)) {
    const { before, after } = (change ?? {}) as { before?: unknown; after?: unknown };
    const b = present<Record<string, unknown> & Redactions>('account', { [field]: before }, viewer);
    const a = present<Record<string, unknown> & Redactions>('account', { [field]: after }, viewer);
    if (b.hidden.includes(field) || !(field in b)) {
      out[field] = { before: '[hidden]', after: '[hidden]' };
    } else {
      out[field] = { before: b[field], after: a[field] };
    }
  }
  return out;
}
