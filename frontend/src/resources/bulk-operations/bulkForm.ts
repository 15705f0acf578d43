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

/**
 * Percentage of the applicable accounts that have run (applied or failed). Skipped accounts never
 * run, so counting them as done would show a request still waiting for approval as mostly done.
 */
export function bulkPercent(
  progress: Pick<BulkProgress, 'status' | 'total' | 'applied' | 'skipped' | 'failed'>,
): number {
  const applicable = progress.total - progress.skipped;
  if (applicable <= 0) return progress.status === 'applied' ? 100 : 0;
  return Math.round(((progress.applied + progress.failed) / applicable) * 100);
}

/** What the page says of a bulk request in each status of its change request. */
export interface BulkHeadline {
  severity: 'info' | 'success' | 'warning' | 'error';
  title: string;
  detail: string;
}

export function bulkHeadline(status: string): BulkHeadline {
  switch (status) {
    case 'approved':
      return {
        severity: 'info',
        title: 'Approved: applying',
        detail: 'The accounts change in batches; the progress below follows them.',
      };
    case 'applied':
      return { severity: 'success', title: 'Applied', detail: 'Every applicable account has run.' };
    case 'failed':
      return {
        severity: 'error',
        title: 'Failed',
        detail:
          'Accounts that ran before it stopped keep their change; each account says what happened to it.',
      };
    case 'rejected':
      return { severity: 'warning', title: 'Rejected', detail: 'Nothing changed.' };
    case 'expired':
      return { severity: 'warning', title: 'Expired before anyone approved it', detail: 'Nothing changed.' };
    default:
      return {
        severity: 'info',
        title: 'Waiting for approval',
        detail:
          'A supervisor approves or rejects it on the Change requests page. Nothing changes until then.',
      };
  }
}
