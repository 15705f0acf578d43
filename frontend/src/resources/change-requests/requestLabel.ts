import { isOperationName, OPERATIONS, type OperationDefinition } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';

/** The catalogue's entry for an operation name; undefined for a name it does not list. */
export function operationDefinition(name: string): OperationDefinition | undefined {
  return isOperationName(name) ? OPERATIONS[name] : undefined;
}

/** What a request does, as people say it: the catalogue's label, or "Grant roles" for a role grant. */
export function requestLabel(request: Pick<ChangeRequest, 'operation' | 'targetType'>): string {
  if (request.targetType === 'staff' && request.operation === 'grant-roles') return 'Grant roles';
  const label = operationDefinition(request.operation)?.label ?? request.operation;
  return request.targetType === 'bulk' ? `${label} (bulk)` : label;
}

/** What the request would change, in words: the kind of record and its id. */
export function requestTarget(request: Pick<ChangeRequest, 'targetType' | 'targetId'>): string {
  if (request.targetType === 'account') return `account ${request.targetId}`;
  if (request.targetType === 'staff') return `staff member ${request.targetId}`;
  if (request.targetType === 'bulk') return 'several accounts';
  return `${request.targetType} ${request.targetId}`;
}

/** The account a request would change, when it targets one account (not staff, not a bulk). */
export function targetAccountId(request: Pick<ChangeRequest, 'targetType' | 'targetId'>): string | undefined {
  return request.targetType === 'account' && request.targetId ? request.targetId : undefined;
}

/**
 * How the lists name a target account: its handle as the server sends it to this reader (masked
 * if their roles see it masked); the id when the handle is not sent.
 */
export function accountTargetText(account: { id: unknown; handle?: unknown }): string {
  return typeof account.handle === 'string' && account.handle !== '' ? account.handle : String(account.id);
}
