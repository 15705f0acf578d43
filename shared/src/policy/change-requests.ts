import { OPERATION_NAMES, OPERATIONS } from '../operations/catalogue.js';
import { Permission } from './permissions.js';

/**
 * Who reads and who decides which change requests, as data: the API enforces it, the console and
 * the tests read it. Changing it is a policy change: review it.
 *
 * Must stay true: a kind of request is read in full only by its reviewers and decided only by its
 * deciders, never by the person who filed it; anyone else reads a request only if they filed it
 * themselves (a requester follows their own request to its end, whatever their roles).
 */
export const CHANGE_REQUEST_KINDS = ['account', 'bulk', 'staff'] as const;

/** The kind of a request is the kind of its target: one account, many accounts, a staff member. */
export type ChangeRequestKind = (typeof CHANGE_REQUEST_KINDS)[number];

export interface ChangeRequestRule {
  /** Reads every request of this kind, whoever filed it. */
  read: Permission;
  /** Approves or rejects a request of this kind that someone else filed. */
  decide: Permission;
}

export const CHANGE_REQUEST_RULES: Readonly<Record<ChangeRequestKind, ChangeRequestRule>> = {
  // Supervisors review account changes, one account or many.
  account: { read: Permission.ChangeRequestRead, decide: Permission.ChangeRequestApprove },
  bulk: { read: Permission.ChangeRequestRead, decide: Permission.ChangeRequestApprove },
  // Role grants: a second admin decides; auditors (staff.read) review them.
  staff: { read: Permission.StaffRead, decide: Permission.StaffManage },
};

export function isChangeRequestKind(value: unknown): value is ChangeRequestKind {
  return typeof value === 'string' && (CHANGE_REQUEST_KINDS as readonly string[]).includes(value);
}

/** The kinds of request a permission set reads in full (besides the requests its holder filed). */
export function changeRequestKindsReadBy(permissions: readonly string[]): ChangeRequestKind[] {
  return CHANGE_REQUEST_KINDS.filter((kind) => permissions.includes(CHANGE_REQUEST_RULES[kind].read));
}

/** Whether a permission set decides requests of some kind (of someone else's filing). */
export function decidesChangeRequests(permissions: readonly string[]): boolean {
  return CHANGE_REQUEST_KINDS.some((kind) => permissions.includes(CHANGE_REQUEST_RULES[kind].decide));
}

/**
 * The permissions whose use can file a change request: an operation that may wait for approval,
 * a bulk operation, a role grant. The console offers "My requests" to their holders.
 */
export const CHANGE_REQUEST_FILING_PERMISSIONS: readonly Permission[] = [
  ...OPERATION_NAMES.filter((name) => OPERATIONS[name].approval !== 'never').map(
    (name) => OPERATIONS[name].permission,
  ),
  Permission.BulkOperationCreate,
  Permission.StaffManage,
];

export function filesChangeRequests(permissions: readonly string[]): boolean {
  return CHANGE_REQUEST_FILING_PERMISSIONS.some((permission) => permissions.includes(permission));
}
