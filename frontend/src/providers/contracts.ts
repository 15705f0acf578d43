/**
 * Response shapes of API.md that `@custodian/shared` does not declare (operations, change
 * requests, policy), as the console reads them.
 */
import type {
  Account,
  CREDIT_CAPS_CENTS,
  FIELD_POLICY,
  OperationDefinition,
  Permission,
  REVEAL_PERMISSIONS,
  ROLE_PERMISSIONS,
  ChangeRequestStatus,
} from '@custodian/shared';

/** Field changes as the API presents them: through the field policy, so possibly masked. */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface OperationCatalogue {
  data: OperationDefinition[];
  creditCapsCents: typeof CREDIT_CAPS_CENTS;
}

/** What `POST /api/accounts/:id/operations/:name` takes besides its own parameters. */
export interface OperationRequestBody {
  reason: string;
  ticket?: string;
  expectedVersion: number;
  [param: string]: unknown;
}

export type OperationResult =
  | { status: 'preview'; changes: FieldChanges }
  | ApplyResult
  | { status: 'pending_approval'; changeRequestId: string };

export interface ApplyResult {
  status: 'applied';
  account: Account;
  auditEventId: string;
  changeRequestId?: string;
}

export interface ChangeRequest {
  id: string;
  operation: string;
  targetType: string;
  targetId: string;
  params: Record<string, unknown>;
  changes: FieldChanges;
  expectedVersion?: number;
  requestedBy: { id: string; email: string };
  reason: string;
  ticket: string | null;
  status: ChangeRequestStatus;
  createdAt: string;
  expiresAt: string;
  decidedBy?: { id: string; email: string };
  decidedAt?: string;
  comment?: string;
  failure?: string;
  /** While an account change or role grant waits: false when approving it would fail, and why. */
  applicable?: boolean;
  notApplicableBecause?: string;
}

/** `GET /api/policy`: the shared policy tables as the server holds them. */
export interface CustodianPolicy {
  roles: string[];
  permissions: Permission[];
  rolePermissions: typeof ROLE_PERMISSIONS;
  fields: typeof FIELD_POLICY;
  reveal: typeof REVEAL_PERMISSIONS;
  accessReviewPermission?: Permission;
}
