import { describe, expect, it } from 'vitest';
import { FIELD_POLICY, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '@custodian/shared';
import type { CustodianPolicy } from '../../providers/contracts';
import {
  accessReviewCsv,
  csvCell,
  fieldVisibilityRows,
  rolePermissionMatrix,
  staffRoleRows,
} from './policyMatrix';

const policy: CustodianPolicy = {
  roles: [...ROLES],
  permissions: [...PERMISSIONS],
  rolePermissions: ROLE_PERMISSIONS,
  fields: FIELD_POLICY,
  reveal: {
    email: 'account.reveal.email',
    phone: 'account.reveal.phone',
    dateOfBirth: 'account.reveal.dateOfBirth',
    address: 'account.reveal.address',
    conversations: 'account.reveal.conversations',
  },
};

describe('rolePermissionMatrix', () => {
  it('marks exactly the permissions each role grants', () => {
    const rows = rolePermissionMatrix(policy);
    expect(rows).toHaveLength(PERMISSIONS.length);
    const approve = rows.find((row) => row.permission === 'change_request.approve');
    expect(approve?.granted).toEqual({
      support: false,
      engineer: false,
      supervisor: true,
      auditor: false,
      admin: false,
    });
    const exportRow = rows.find((row) => row.permission === 'audit.export');
    expect(Object.entries(exportRow?.granted ?? {}).filter(([, yes]) => yes)).toEqual([['auditor', true]]);
  });
});

describe('fieldVisibilityRows', () => {
  it('lists every field with what each role sees and its reveal permission', () => {
    const rows = fieldVisibilityRows(policy);
    const phone = rows.find((row) => row.resource === 'account' && row.field === 'phone');
    expect(phone).toMatchObject({ class: 'personal', reveal: 'account.reveal.phone' });
    expect(phone?.access).toMatchObject({ support: 'masked', auditor: 'masked', admin: 'hidden' });
    expect(rows.filter((row) => row.resource === 'account')).toHaveLength(
      Object.keys(FIELD_POLICY.account).length,
    );
  });
});

describe('access review', () => {
  const staff = [
    { email: 'zed@demo.test', displayName: 'Zed', active: false, roles: ['support'] },
    {
      email: 'amy@demo.test',
      displayName: 'Amy, "the auditor"',
      active: true,
      roles: ['auditor', 'support'],
    },
  ];

  it('puts active staff first and adds up the permissions of their roles', () => {
    const rows = staffRoleRows(staff, policy);
    expect(rows.map((row) => row.email)).toEqual(['amy@demo.test', 'zed@demo.test']);
    expect(rows[0]?.permissions).toContain('audit.export');
    expect(rows[0]?.permissions).toContain('account.reveal.phone');
    expect(rows[1]?.permissions).not.toContain('audit.read');
  });

  it('exports one CSV line per person with a column per role', () => {
    const csv = accessReviewCsv(staffRoleRows(staff, policy), ['support', 'auditor']);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('email,displayName,active,support,auditor,permissions');
    expect(lines[1]).toMatch(/^amy@demo\.test,"Amy, ""the auditor""",yes,yes,yes,account\.read /);
    expect(lines[2]).toMatch(/^zed@demo\.test,Zed,no,yes,,/);
  });

  it('keeps spreadsheet formulas out of cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
  });
});
