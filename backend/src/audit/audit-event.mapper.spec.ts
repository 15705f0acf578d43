import { permissionsOf } from '@custodian/shared';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../access/field-policy';
import { AuditEventEntity } from './audit-event.entity';
import { toAuditEvent } from './audit-event.mapper';

const auditor: Viewer = { roles: ['auditor'], permissions: permissionsOf(['auditor']), revealed: new Set() };

function event(fields: Partial<AuditEventEntity>): AuditEventEntity {
  return Object.assign(new AuditEventEntity(), {
    id: '00000000-0000-4000-8000-000000000001',
    seq: '1',
    occurredAt: new Date('2026-01-01T00:00:00Z'),
    actorType: 'staff',
    actorId: null,
    actorEmail: null,
    actorRoles: [],
    action: 'change_request.approve',
    targetType: 'change_request',
    targetId: '00000000-0000-4000-8000-000000000002',
    outcome: 'success',
    reason: null,
    ticket: null,
    changes: null,
    details: null,
    requestId: null,
    ip: null,
    userAgent: null,
    prevHash: '',
    hash: '',
    ...fields,
  });
}

const grant = { roles: { before: ['support'], after: ['admin', 'support'] } };
const emailChange = { email: { before: 'old.person@example.com', after: 'new.person@example.com' } };
const staffTarget = { requestTarget: { type: 'staff', id: 'x' } };

describe('toAuditEvent: whose fields a decision’s changes are', () => {
  it('shows a role grant’s roles when the decision names a staff target', () => {
    const e = toAuditEvent(event({ changes: grant, details: staffTarget }), auditor);
    expect(e.changes).toEqual(grant);
  });

  it('passes an account diff through the account policy, whatever the decision names', () => {
    for (const details of [{ requestTarget: { type: 'account', id: 'x' } }, null]) {
      const e = toAuditEvent(event({ changes: emailChange, details }), auditor);
      expect(e.changes).toEqual({ email: { before: 'o***@example.com', after: 'n***@example.com' } });
    }
  });

  it('withholds what it cannot place: a decision that names no known kind', () => {
    for (const details of [null, {}, { requestTarget: 'staff' }, { requestTarget: { type: 'root' } }]) {
      const e = toAuditEvent(event({ changes: grant, details }), auditor);
      expect(e.changes, JSON.stringify(details)).toEqual({
        roles: { before: '[hidden]', after: '[hidden]' },
      });
    }
  });

  it('trusts requestTarget only on a decision: an account email stays masked under any other action', () => {
    for (const action of [
      'bulk_operation.request',
      'change_request.expire',
      'account.operation.change-email',
    ]) {
      const e = toAuditEvent(event({ action, changes: emailChange, details: staffTarget }), auditor);
      expect(e.changes, action).toEqual({ email: { before: 'o***@example.com', after: 'n***@example.com' } });
    }
    // And on a decision whose event targets something other than a change request.
    const e = toAuditEvent(
      event({ targetType: 'account', changes: emailChange, details: staffTarget }),
      auditor,
    );
    expect(e.changes!.email!.after).toBe('n***@example.com');
  });

  it('shows a bulk request’s counts, and only numbers', () => {
    const changes = { accounts: { total: 3, applicable: 2, skipped: 1, emails: ['a@b.c'] }, other: { x: 1 } };
    const e = toAuditEvent(
      event({ changes, details: { requestTarget: { type: 'bulk', id: 'x' } } }),
      auditor,
    );
    expect(e.changes).toEqual({
      accounts: { before: null, after: { total: 3, applicable: 2, skipped: 1 } },
      other: { before: '[hidden]', after: '[hidden]' },
    });
  });
});
