import { ROLES, type Role } from '@custodian/shared';

/** What each role is for (DESIGN.md, "Who uses it"), shown next to the role checkboxes. */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  support: 'looks accounts up, reveals a field with a reason, small fixes',
  engineer: 'scoped edits through operations; risky ones need approval',
  supervisor: 'approves or rejects change requests',
  auditor: 'reads, exports and verifies the audit log',
  admin: 'manages staff and their roles',
};

export const ROLE_CHOICES = ROLES.map((role) => ({
  id: role,
  name: `${role} — ${ROLE_DESCRIPTIONS[role]}`,
}));
