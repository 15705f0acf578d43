import { ROLE_PERMISSIONS } from '@custodian/shared';
import { describe, expect, it } from 'vitest';
import { presentOperationChanges, withSessions } from './operation-changes';

const support = { roles: ['support'], permissions: ROLE_PERMISSIONS.support, revealed: new Set<never>() };

describe('an operation diff with the sessions it ends', () => {
  it('shows the sessions as counts beside the fields, which still pass through the field policy', () => {
    const changes = withSessions({ email: { before: 'ada@example.com', after: 'ada@example.org' } }, 2);
    expect(presentOperationChanges(changes, support)).toEqual({
      email: { before: 'a***@example.com', after: 'a***@example.org' },
      sessions: { before: 2, after: 0 },
    });
  });

  it('shows nothing but numbers for the sessions', () => {
    const changes = { sessions: { before: 'ada@example.com', after: { any: 'thing' } } };
    expect(presentOperationChanges(changes, support)).toEqual({ sessions: { before: null, after: null } });
  });
});
