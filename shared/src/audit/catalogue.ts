import {
  OPERATION_NAMES,
  OPERATIONS,
  type ApprovalRule,
  type OperationName,
} from '../operations/catalogue.js';

/**
 * The audit action catalogue: every action the audit log holds, `<resource>.<verb>`, with what it
 * means for an auditor and the kind of target its events name. The API may write only these (the
 * compiler holds it to that: the audit service takes an `AuditAction`), the list and export filters
 * accept only these or a prefix of them, and the console offers them as choices.
 *
 * Must stay true: an action, once written, stays here for as long as events of it may be in the
 * log (the retention period), even when nothing writes it any more; otherwise its events could no
 * longer be filtered. Adding one is a change to what is audited: review it.
 */
export const AuditAction = {
  AuthLogin: 'auth.login',
  AuthLoginFailed: 'auth.login_failed',
  AuthLogout: 'auth.logout',
  AuthMfaEnrolled: 'auth.mfa_enrolled',
  AuthPasswordChanged: 'auth.password_changed',
  AuthTokenCreated: 'auth.token_created',
  AuthTokenRevoked: 'auth.token_revoked',
  AuthUnauthenticated: 'auth.unauthenticated',
  AccessDenied: 'access.denied',
  AccountSearch: 'account.search',
  AccountReveal: 'account.reveal',
  BulkOperationRequest: 'bulk_operation.request',
  BulkOperationComplete: 'bulk_operation.complete',
  ChangeRequestApprove: 'change_request.approve',
  ChangeRequestReject: 'change_request.reject',
  ChangeRequestExpire: 'change_request.expire',
  StaffCreate: 'staff.create',
  StaffUpdate: 'staff.update',
  StaffDeactivate: 'staff.deactivate',
  StaffGrantRoles: 'staff.grant_roles',
  AuditExport: 'audit.export',
  AuditRetention: 'audit.retention',
} as const;

/** One action per narrow operation of the operation catalogue, so a new operation has its action. */
export type OperationAuditAction = `account.operation.${OperationName}`;

export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction] | OperationAuditAction;

export function operationAuditAction(name: OperationName): OperationAuditAction {
  return `account.operation.${name}`;
}

/** The kinds of target an event names (`target.type`); some actions have no target. */
export const AUDIT_TARGET_TYPES = ['account', 'staff', 'token', 'change_request'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export interface AuditActionDefinition {
  action: AuditAction;
  /** One line for an auditor: what happened when an event of this action is in the log. */
  description: string;
  /** The target type of its events, or null when its events have no target. */
  target: AuditTargetType | null;
}

type NamedAuditAction = (typeof AuditAction)[keyof typeof AuditAction];

// Keyed by action, so the compiler refuses a named action without its description.
const NAMED: Readonly<Record<NamedAuditAction, Omit<AuditActionDefinition, 'action'>>> = {
  'auth.login': {
    target: null,
    description: 'A staff member signed in (password, with MFA when enrolled, or single sign-on)',
  },
  'auth.login_failed': {
    target: null,
    description:
      'A sign-in was refused: wrong password or code, unknown or deactivated person, single sign-on refused, or too many attempts',
  },
  'auth.logout': { target: null, description: 'A staff member signed out' },
  'auth.mfa_enrolled': {
    target: 'staff',
    description: 'A staff member turned on two-factor sign-in and received recovery codes',
  },
  'auth.password_changed': { target: 'staff', description: 'A staff member changed their own password' },
  'auth.token_created': {
    target: 'token',
    description: 'A personal access token was created, with the permissions it carries',
  },
  'auth.token_revoked': { target: 'token', description: 'A personal access token was revoked by its owner' },
  'auth.unauthenticated': {
    target: null,
    description:
      'A protected route was called without a valid session or token (401); the console asking who is signed in, with no credential at all, is not one',
  },
  'access.denied': {
    target: null,
    description: 'A signed-in person or token was refused a protected route for lack of permission (403)',
  },
  'account.search': {
    target: null,
    description: 'Accounts were searched by a personal field (email or phone, masked in the event)',
  },
  'account.reveal': {
    target: 'account',
    description: 'Personal fields of an account were shown in clear for a limited time, with a reason',
  },
  'bulk_operation.request': {
    target: 'change_request',
    description: 'A bulk operation over many accounts was requested, pending a second person’s approval',
  },
  'bulk_operation.complete': {
    target: 'change_request',
    description: 'A bulk operation finished applying; each account’s change is an event of its own',
  },
  'change_request.approve': {
    target: 'change_request',
    description: 'A second person approved a change request (an error when it could not be applied)',
  },
  'change_request.reject': {
    target: 'change_request',
    description: 'A second person rejected a change request, with a comment',
  },
  'change_request.expire': {
    target: 'change_request',
    description: 'A change request expired without a decision',
  },
  'staff.create': {
    target: 'staff',
    description: 'A staff member was created (in the console or by a command)',
  },
  'staff.update': {
    target: 'staff',
    description: 'A staff member’s roles or status changed (a role grant once approved)',
  },
  'staff.deactivate': {
    target: 'staff',
    description: 'A staff member was deactivated: their sessions and tokens ended at once',
  },
  'staff.grant_roles': {
    target: 'staff',
    description: 'Roles were requested for a staff member, pending a second admin’s approval',
  },
  'audit.export': {
    target: null,
    description: 'Audit events were exported (CSV or JSON lines), with the filters used',
  },
  'audit.retention': {
    target: null,
    description: 'Old months archived to a verified bundle and removed',
  },
};

/** What an operation's events say, by its approval rule: only some ever wait for a second person. */
const APPROVAL_WORDS: Record<ApprovalRule, string> = {
  never: 'applied at once (success)',
  always: 'pending while it awaits a second person, success once applied',
  'above-cap': 'applied at once within the caller’s cap; above it, pending until a second person approves',
};

/** The whole catalogue, sorted by action (so each resource's actions are together). */
export const AUDIT_ACTIONS: readonly AuditActionDefinition[] = [
  ...(Object.keys(NAMED) as NamedAuditAction[]).map((action) => ({ action, ...NAMED[action] })),
  ...OPERATION_NAMES.map((name) => ({
    action: operationAuditAction(name),
    target: 'account' as const,
    description: `Operation “${OPERATIONS[name].label}” on an account: ${APPROVAL_WORDS[OPERATIONS[name].approval]}`,
  })),
].sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));

const BY_ACTION: ReadonlyMap<string, AuditActionDefinition> = new Map(
  AUDIT_ACTIONS.map((d) => [d.action, d]),
);

/**
 * Every prefix of a catalogue action that ends in a dot (`account.`, `account.operation.`, ...),
 * sorted: the filters accept these to select a whole group of actions.
 */
export const AUDIT_ACTION_PREFIXES: readonly string[] = [
  ...new Set(
    AUDIT_ACTIONS.flatMap(({ action }) => {
      const parts = action.split('.');
      return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.') + '.');
    }),
  ),
].sort();

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && BY_ACTION.has(value);
}

export function auditActionDefinition(action: string): AuditActionDefinition | undefined {
  return BY_ACTION.get(action);
}

/** What the `action` filter of the audit list and export accepts: an action or a prefix of them. */
export function isAuditActionFilter(value: unknown): value is string {
  return isAuditAction(value) || (typeof value === 'string' && AUDIT_ACTION_PREFIXES.includes(value));
}
