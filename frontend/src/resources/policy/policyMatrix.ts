/**
 * The access review's tables, computed from `GET /api/policy` (the same tables as
 * @custodian/shared) and the staff list: pure functions, so the page and its CSV agree.
 */
import type { StaffMember, Visibility } from '@custodian/shared';
import type { CustodianPolicy } from '../../providers/contracts';

export interface PermissionRow {
  permission: string;
  /** role -> whether the role grants the permission */
  granted: Record<string, boolean>;
}

/** One row per permission, one column per role. */
export function rolePermissionMatrix(
  policy: Pick<CustodianPolicy, 'roles' | 'permissions' | 'rolePermissions'>,
): PermissionRow[] {
  const grants = policy.rolePermissions as Readonly<Record<string, readonly string[]>>;
  return policy.permissions.map((permission) => ({
    permission,
    granted: Object.fromEntries(
      policy.roles.map((role) => [role, grants[role]?.includes(permission) ?? false]),
    ),
  }));
}

export interface FieldRow {
  resource: string;
  field: string;
  class: string;
  access: Record<string, Visibility>;
  reveal?: string;
}

/** One row per field of every resource, with what each role sees and who may reveal it. */
export function fieldVisibilityRows(policy: Pick<CustodianPolicy, 'roles' | 'fields'>): FieldRow[] {
  const rows: FieldRow[] = [];
  for (const [resource, fields] of Object.entries(policy.fields)) {
    for (const [field, rule] of Object.entries(fields)) {
      const access = rule.access as Readonly<Record<string, Visibility>>;
      rows.push({
        resource,
        field,
        class: rule.class,
        access: Object.fromEntries(policy.roles.map((role) => [role, access[role] ?? 'hidden'])),
        reveal: rule.reveal,
      });
    }
  }
  return rows;
}

export interface StaffRoleRow {
  email: string;
  displayName: string;
  active: boolean;
  roles: string[];
  permissions: string[];
}

/** Who holds which role, and the permissions that adds up to; active staff first, by email. */
export function staffRoleRows(
  staff: readonly Pick<StaffMember, 'email' | 'displayName' | 'active' | 'roles'>[],
  policy: Pick<CustodianPolicy, 'permissions' | 'rolePermissions'>,
): StaffRoleRow[] {
  const grants = policy.rolePermissions as Readonly<Record<string, readonly string[]>>;
  return [...staff]
    .sort((a, b) => Number(b.active) - Number(a.active) || a.email.localeCompare(b.email))
    .map((member) => {
      const held = new Set(member.roles.flatMap((role) => grants[role] ?? []));
      return {
        email: member.email,
        displayName: member.displayName,
        active: member.active,
        roles: [...member.roles].sort(),
        permissions: policy.permissions.filter((permission) => held.has(permission)),
      };
    });
}

/** One CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The access review as CSV: one line per staff member, a column per role, then permissions. */
export function accessReviewCsv(rows: readonly StaffRoleRow[], roles: readonly string[]): string {
  return toCsv([
    ['email', 'displayName', 'active', ...roles, 'permissions'],
    ...rows.map((row) => [
      row.email,
      row.displayName,
      row.active ? 'yes' : 'no',
      ...roles.map((role) => (row.roles.includes(role) ? 'yes' : '')),
      row.permissions.join(' '),
    ]),
  ]);
}
