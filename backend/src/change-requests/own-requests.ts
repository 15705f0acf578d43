import {
  CHANGE_REQUEST_KINDS,
  changeRequestKindsReadBy,
  isChangeRequestKind,
  OPERATION_NAMES,
  OPERATIONS,
  Permission,
  type ChangeRequestKind,
  type OperationName,
} from '@custodian/shared';
import type { Principal } from '../auth/principal';

/**
 * Which of the requests a person filed they follow (list and detail) without reviewing their kind.
 * Must stay true: a personal access token reads no more than its scope lets it do.
 *
 * Signed in, a person follows every request they filed. Through a token, only those the token could
 * have filed itself: it must hold every permission that filing one takes. A token made for reading
 * accounts must not read its owner's requests, with their reasons, targets and diffs; and a token
 * made to file a kind of request can follow what it files. Not `change_request.read` instead:
 * that permission reviews everyone's account and bulk requests, and most people who file requests
 * (support, engineers) do not hold it, so their tokens could never follow their own.
 */
const FILING: Readonly<
  Record<ChangeRequestKind, { operations: readonly string[]; needs(operation: string): Permission[] }>
> = {
  // An operation that waits for approval: the operation's permission (operations.service.ts).
  account: {
    operations: OPERATION_NAMES,
    needs: (operation) => [OPERATIONS[operation as OperationName].permission],
  },
  // A bulk operation: its route's permission and the operation's (bulk-operations.service.ts).
  bulk: {
    operations: OPERATION_NAMES,
    needs: (operation) => [Permission.BulkOperationCreate, OPERATIONS[operation as OperationName].permission],
  },
  // A role grant: POST /api/staff with roles, or PATCH /api/staff/:id (staff.service.ts). Another
  // operation on staff would follow nobody's token until it is named here: closed, not open.
  staff: { operations: ['grant-roles'], needs: () => [Permission.StaffManage] },
};

/** Whether this person, as they are authenticated, follows a request they filed. */
export function followsOwn(
  principal: Principal,
  request: { targetType: string; operation: string },
): boolean {
  if (principal.method !== 'token') return true;
  return (
    isChangeRequestKind(request.targetType) &&
    tokenFiles(principal.permissions, request.targetType, request.operation)
  );
}

/**
 * Whether a person sees a request at all: they review its kind (shared CHANGE_REQUEST_RULES), or
 * they filed it and follow it (followsOwn). Anything else is not there for them: a 404. The one
 * check of a single request, for the request itself and for a bulk request's progress.
 */
export function seesRequest(
  principal: Principal,
  request: { requestedBy: string; targetType: string; operation: string },
): boolean {
  if (request.requestedBy === principal.staffId && followsOwn(principal, request)) return true;
  return (
    isChangeRequestKind(request.targetType) &&
    changeRequestKindsReadBy(principal.permissions).includes(request.targetType)
  );
}

/**
 * The requests this person follows as their own, as a WHERE condition on alias `c` (the same rule
 * as followsOwn, for lists).
 */
export function ownRequestsOf(principal: Principal): { where: string; params: Record<string, unknown> } {
  const own = 'c.requested_by = :viewer';
  const params: Record<string, unknown> = { viewer: principal.staffId };
  if (principal.method !== 'token') return { where: own, params };
  const followed: string[] = [];
  for (const kind of CHANGE_REQUEST_KINDS) {
    const operations = FILING[kind].operations.filter((o) => tokenFiles(principal.permissions, kind, o));
    if (operations.length === 0) continue;
    followed.push(`(c.target_type = :ownKind_${kind} AND c.operation IN (:...ownOperations_${kind}))`);
    params[`ownKind_${kind}`] = kind;
    params[`ownOperations_${kind}`] = operations;
  }
  return { where: followed.length ? `(${own} AND (${followed.join(' OR ')}))` : 'FALSE', params };
}

function tokenFiles(permissions: readonly string[], kind: ChangeRequestKind, operation: string): boolean {
  const filing = FILING[kind];
  return (
    filing.operations.includes(operation) && filing.needs(operation).every((p) => permissions.includes(p))
  );
}
