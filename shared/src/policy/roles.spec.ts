import { describe, expect, it } from 'vitest';
import { PERMISSIONS, Permission } from './permissions.js';
import { ROLE_PERMISSIONS, ROLES, permissionsOf } from './roles.js';

describe('roles', () => {
  it('grant only permissions of the catalogue', () => {
    for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
  });

  it('add up across roles and ignore unknown role names', () => {
    const both = permissionsOf(['support', 'auditor', 'root']);
    expect(both).toContain(Permission.AccountRevealEmail);
    expect(both).toContain(Permission.AuditExport);
    expect(both).not.toContain(Permission.StaffManage);
    expect(permissionsOf(['root'])).toEqual([]);
  });

  it('keep the separations of duty of the design', () => {
    expect(ROLE_PERMISSIONS.admin.filter((p) => p.startsWith('account.'))).toEqual([]);
    expect(
      ROLE_PERMISSIONS.auditor.filter((p) => p.startsWith('account.reveal') || p.includes('operation')),
    ).toEqual([]);
    expect(ROLE_PERMISSIONS.engineer).not.toContain(Permission.ChangeRequestApprove);
  });
});
