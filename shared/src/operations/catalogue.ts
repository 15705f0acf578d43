import { PLANS } from '../contracts/accounts.js';
import { Permission } from '../policy/permissions.js';
import type { Role } from '../policy/roles.js';

/**
 * The narrow operations that replace hand edits in psql. Each names its permission, its
 * parameters (the console builds its forms from these), the account states it applies to, and
 * when it needs a second person's approval. A reason is always required.
 */
export const OPERATION_NAMES = [
  'change-email',
  'change-phone',
  'change-plan',
  'suspend',
  'reactivate',
  'reset-mfa',
  'revoke-sessions',
  'issue-credit',
  'add-note',
  'close',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export type ParamType = 'email' | 'phone' | 'plan' | 'cents' | 'text';

export interface OperationParam {
  name: string;
  type: ParamType;
  label: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
}

export type ApprovalRule = 'never' | 'always' | 'above-cap';

export interface OperationDefinition {
  name: OperationName;
  label: string;
  permission: Permission;
  params: readonly OperationParam[];
  /** Account statuses the operation applies to; anything else is a 409 with this sentence. */
  allowedStatuses: readonly ('active' | 'suspended' | 'closed')[];
  approval: ApprovalRule;
}

const OPEN = ['active', 'suspended'] as const;

export const OPERATIONS: Readonly<Record<OperationName, OperationDefinition>> = {
  'change-email': {
    name: 'change-email',
    label: 'Change email',
    permission: Permission.OperationChangeEmail,
    params: [{ name: 'email', type: 'email', label: 'New email' }],
    allowedStatuses: OPEN,
    approval: 'always',
  },
  'change-phone': {
    name: 'change-phone',
    label: 'Change phone',
    permission: Permission.OperationChangePhone,
    params: [{ name: 'phone', type: 'phone', label: 'New phone (international format)' }],
    allowedStatuses: OPEN,
    approval: 'never',
  },
  'change-plan': {
    name: 'change-plan',
    label: 'Change plan',
    permission: Permission.OperationChangePlan,
    params: [{ name: 'plan', type: 'plan', label: 'Plan', choices: PLANS }],
    allowedStatuses: ['active'],
    approval: 'never',
  },
  suspend: {
    name: 'suspend',
    label: 'Suspend',
    permission: Permission.OperationSuspend,
    params: [],
    allowedStatuses: ['active'],
    approval: 'never',
  },
  reactivate: {
    name: 'reactivate',
    label: 'Reactivate',
    permission: Permission.OperationReactivate,
    params: [],
    allowedStatuses: ['suspended'],
    approval: 'never',
  },
  'reset-mfa': {
    name: 'reset-mfa',
    label: 'Reset MFA',
    permission: Permission.OperationResetMfa,
    params: [],
    allowedStatuses: OPEN,
    approval: 'always',
  },
  'revoke-sessions': {
    name: 'revoke-sessions',
    label: 'Revoke sessions',
    permission: Permission.OperationRevokeSessions,
    params: [],
    allowedStatuses: ['active', 'suspended', 'closed'],
    approval: 'never',
  },
  'issue-credit': {
    name: 'issue-credit',
    label: 'Issue credit',
    permission: Permission.OperationIssueCredit,
    params: [{ name: 'amountCents', type: 'cents', label: 'Amount (cents)', min: 1, max: 10_000_000 }],
    allowedStatuses: ['active'],
    approval: 'above-cap',
  },
  'add-note': {
    name: 'add-note',
    label: 'Add note',
    permission: Permission.OperationAddNote,
    params: [{ name: 'body', type: 'text', label: 'Note', min: 1, max: 5000 }],
    allowedStatuses: ['active', 'suspended', 'closed'],
    approval: 'never',
  },
  close: {
    name: 'close',
    label: 'Close account',
    permission: Permission.OperationClose,
    params: [],
    allowedStatuses: OPEN,
    approval: 'always',
  },
};

/** The largest credit, in cents, each role may issue without a second person's approval. */
export const CREDIT_CAPS_CENTS: Readonly<Partial<Record<Role, number>>> = {
  support: 5_000,
  engineer: 50_000,
};

/** A person's cap: the highest of their roles' caps (0 when none of them has one). */
export function creditCapFor(roles: readonly string[]): number {
  return Math.max(0, ...roles.map((r) => CREDIT_CAPS_CENTS[r as Role] ?? 0));
}

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === 'string' && (OPERATION_NAMES as readonly string[]).includes(value);
}

export const OPERATION_REASON_MIN_LENGTH = 10;
export const CHANGE_REQUEST_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'applied',
  'failed',
] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];
