/**
 * The permission catalogue: `resource.action` strings, imported by the API (route declarations,
 * token scopes) and by the console (what to show). Adding one here is a policy change: review it.
 */
export const Permission = {
  AccountRead: 'account.read',
  AccountRevealEmail: 'account.reveal.email',
  AccountRevealPhone: 'account.reveal.phone',
  AccountRevealAddress: 'account.reveal.address',
  AccountRevealDateOfBirth: 'account.reveal.dateOfBirth',
  AccountRevealConversations: 'account.reveal.conversations',
  OperationChangeEmail: 'account.operation.change-email',
  OperationChangePhone: 'account.operation.change-phone',
  OperationChangePlan: 'account.operation.change-plan',
  OperationSuspend: 'account.operation.suspend',
  OperationReactivate: 'account.operation.reactivate',
  OperationResetMfa: 'account.operation.reset-mfa',
  OperationRevokeSessions: 'account.operation.revoke-sessions',
  OperationIssueCredit: 'account.operation.issue-credit',
  OperationAddNote: 'account.operation.add-note',
  OperationClose: 'account.operation.close',
  BulkOperationCreate: 'bulk_operation.create',
  ChangeRequestRead: 'change_request.read',
  ChangeRequestApprove: 'change_request.approve',
  AuditRead: 'audit.read',
  AuditExport: 'audit.export',
  AuditVerify: 'audit.verify',
  StaffRead: 'staff.read',
  StaffManage: 'staff.manage',
  PolicyRead: 'policy.read',
} as const;

export type Permission = (typeof Permission)[keyof typeof Permission];

export const PERMISSIONS: readonly Permission[] = Object.values(Permission);

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}
