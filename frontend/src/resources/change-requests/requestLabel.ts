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
