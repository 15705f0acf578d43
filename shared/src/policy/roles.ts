import { Permission } from './permissions.js';

/** The personas of DESIGN.md. A person can hold several roles; their permissions add up. */
export const ROLES = ['support', 'engineer', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  // Looks accounts up, reveals a field with a reason, small fixes. Never changes email or MFA alone.
  support: [
    Permission.AccountRead,
    Permission.AccountRevealEmail,
    Permission.AccountRevealPhone,
    Permission.AccountRevealAddress,
    Permission.AccountRevealConversations,
    Permission.OperationAddNote,
    Permission.OperationRevokeSessions,
    Permission.OperationSuspend,
    Permission.OperationIssueCredit,
  ],
  // Scoped edits through operations; risky ones become change requests for someone else.
  engineer: [
    Permission.AccountRead,
    Permission.AccountRevealEmail,
    Permission.AccountRevealPhone,
    Permission.OperationChangeEmail,
    Permission.OperationChangePhone,
    Permission.OperationChangePlan,
    Permission.OperationSuspend,
    Permission.OperationReactivate,
    Permission.OperationResetMfa,
    Permission.OperationRevokeSessions,
    Permission.OperationIssueCredit,
    Permission.OperationAddNote,
    Permission.OperationClose,
    Permission.BulkOperationCreate,
  ],
  supervisor: [Permission.AccountRead, Permission.ChangeRequestRead, Permission.ChangeRequestApprove],
  // Reads and verifies the log and reviews who can do what; sees personal data masked only.
  auditor: [
    Permission.AccountRead,
    Permission.AuditRead,
    Permission.AuditExport,
    Permission.AuditVerify,
    Permission.StaffRead,
    Permission.PolicyRead,
  ],
  // Manages staff; never customer accounts, never the audit log's contents.
  admin: [Permission.StaffRead, Permission.StaffManage, Permission.PolicyRead],
};

/** The union of the permissions of `roles`, in catalogue order. */
export function permissionsOf(roles: readonly string[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) granted.add(p);
  return [...granted].sort();
}
