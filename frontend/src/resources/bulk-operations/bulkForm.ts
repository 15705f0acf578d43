import { OPERATIONS, OPERATION_NAMES, type OperationDefinition, type OperationName } from '@custodian/shared';
import type { BulkOperationRequest, BulkProgress } from '../../providers/dataProvider';
import { buildOperationBody } from '../operations/operationForm';

/** How many items of a preview or request the page lists. */
export const BULK_PREVIEW_ROWS = 200;

/** Choices of the operation select, from the shared catalogue. */
export const OPERATION_CHOICES = OPERATION_NAMES.map((name) => ({ id: name, name: OPERATIONS[name].label }));

export function definitionOf(name: unknown): OperationDefinition | undefined {
  return typeof name === 'string' && (OPERATION_NAMES as readonly string[]).includes(name)
    ? OPERATIONS[name as OperationName]
    : undefined;
}

/**
 * The body of `POST /api/bulk-operations`: the operation's own parameters typed the way the
 * single-account form types them, plus reason and ticket.
 */
export function buildBulkRequest(
  definition: OperationDefinition,
  values: Record<string, unknown>,
  accountIds: string[],
): BulkOperationRequest {
  const single = buildOperationBody(definition, values, 0);
  const params: Record<string, unknown> = {};
  for (const param of definition.params) params[param.name] = single[param.name];
  const request: BulkOperationRequest = {
    operation: definition.name,
    accountIds,
    params,
    reason: single.reason,
  };
  if (single.ticket) request.ticket = single.ticket;
  return request;
}

/** Statuses in which a bulk operation may still move; polling stops on any other. */
const MOVING = ['pending', 'approved'];

export const isBulkFinished = (progress: Pick<BulkProgress, 'status'>): boolean =>
  !MOVING.includes(progress.status);

/** Percentage of items done (applied, skipped or failed). */
export function bulkPercent(
  progress: Pick<BulkProgress, 'total' | 'applied' | 'skipped' | 'failed'>,
): number {
  if (progress.total <= 0) return 0;
  return Math.round(((progress.applied + progress.skipped + progress.failed) / progress.total) * 100);
}
