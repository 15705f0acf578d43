import { ROLE_PERMISSIONS } from '@custodian/shared';
import { describe, expect, it } from 'vitest';
import { withSessions } from '../operations/operation-changes';
import { presentChanges } from './field-policy';

const viewer = (role: 'support' | 'auditor') => ({
  roles: [role],
  permissions: ROLE_PERMISSIONS[role],
  revealed: new Set<never>(),
});

describe('a diff with the customer sessions an operation ends', () => {
  it('shows the sessions as counts beside the fields, which still pass through the field policy', () => {
    const changes = withSessions({ email: { before: 'ada@example.com', after: 'ada@example.org' } }, 2);
    expect(presentChanges(changes, viewer('support'))).toEqual({
      email: { before: 'a***@example.com', after: 'a***@example.org' },
      sessions: { before: 2, after: 0 },
    });
  });

  // An audit event's diff is read by auditors through the same serializer as a dry run's.
  it('shows an auditor the counts of an event', () => {
    expect(presentChanges({ sessions: { before: 3, after: 0 } }, viewer('auditor'), 'account')).toEqual({
      sessions: { before: 3, after: 0 },
    });
  });

  it('shows nothing but numbers for the sessions', () => {
    const changes = { sessions: { before: 'ada@example.com', after: { any: 'thing' } } };
    expect(presentChanges(changes, viewer('support'))).toEqual({ sessions: { before: null, after: null } });
  });

  it('is no entry of a staff member: withheld there like any field staff diffs do not know', () => {
    expect(presentChanges({ sessions: { before: 3, after: 0 } }, viewer('auditor'), 'staff')).toEqual({
      sessions: { before: '[hidden]', after: '[hidden]' },
    });
  });
});
