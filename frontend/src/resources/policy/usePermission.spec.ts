import { describe, expect, it } from 'vitest';
import { PERMISSIONS, Permission, type Me } from '@custodian/shared';
import { canAccessFor } from '../../providers/authProvider';
import { accessFor } from './usePermission';

describe('accessFor', () => {
  it("speaks the authProvider's vocabulary for every permission the console checks", () => {
    expect(accessFor(Permission.AccountRevealPhone)).toEqual({
      resource: 'accounts.phone',
      action: 'reveal',
    });
    expect(accessFor(Permission.AccountRevealConversations)).toEqual({
      resource: 'accounts.conversations',
      action: 'reveal',
    });
    expect(accessFor(Permission.OperationChangeEmail)).toEqual({
      resource: 'accounts',
      action: 'change-email',
    });
    expect(accessFor(Permission.AccountRead)).toEqual({ resource: 'accounts', action: 'show' });
    expect(accessFor(Permission.AuditRead)).toEqual({ resource: 'audit-events', action: 'list' });
    expect(accessFor(Permission.AuditExport)).toEqual({ resource: 'audit-events', action: 'export' });
    expect(accessFor(Permission.AuditVerify)).toEqual({ resource: 'audit-events', action: 'verify' });
    expect(accessFor(Permission.ChangeRequestApprove)).toEqual({
      resource: 'change-requests',
      action: 'approve',
    });
    expect(accessFor(Permission.StaffRead)).toEqual({ resource: 'staff', action: 'list' });
    expect(accessFor(Permission.PolicyRead)).toEqual({ resource: 'policy', action: 'review' });
  });
});

describe('accessFor against the authProvider', () => {
  const person = (permissions: string[]): Me => ({
    id: 'p1',
    email: 'p@demo.test',
    displayName: 'P',
    roles: [],
    permissions,
    mfaEnabled: false,
    mfaEnrolmentRequired: false,
    authMethod: 'password',
  });

  it.each(PERMISSIONS.filter((p) => p !== Permission.AccountRead))(
    '%s is offered to exactly the people who hold it',
    (permission) => {
      expect(canAccessFor(person([Permission.AccountRead, permission]), accessFor(permission))).toBe(true);
      expect(canAccessFor(person([Permission.AccountRead]), accessFor(permission))).toBe(false);
    },
  );
});
