import type { ChangeRequestStatus } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { capitalize } from '../accounts/format';

/*
 * What the request pages say of a request's state, worded for whoever reads it: the requester
 * (who can file it again) or a reviewer (who decides it). Kept apart from the components so that
 * each sentence is tested.
 */

/** A status as the console shows it, capitalised like the account statuses. */
export function statusLabel(status: ChangeRequestStatus | string): string {
  return capitalize(status);
}

/** Only a pending request expires: a decided one shows no expiry. */
export function expiresLabel(request: Pick<ChangeRequest, 'status' | 'expiresAt'>): string | undefined {
  return request.status === 'pending' ? request.expiresAt : undefined;
}

/** Where a request of this kind is filed again. */
function fileAgain(targetType: string): string {
  if (targetType === 'staff') return 'ask for the grant again from the staff page';
  if (targetType === 'bulk') return 'file the bulk operation again';
  return 'file the operation again from the account page';
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Said above a pending request that can no longer apply (the server's `applicable: false`): its
 * approval would fail, so the reviewer is told to reject it or ask for a new one, and the requester
 * to file it again.
 */
export function notApplicableNotice(
  request: Pick<ChangeRequest, 'status' | 'targetType' | 'applicable' | 'notApplicableBecause'>,
  readerIsRequester: boolean,
): string | undefined {
  if (request.status !== 'pending' || request.applicable !== false) return undefined;
  const why = sentence(request.notApplicableBecause ?? 'its target changed since this was requested');
  return readerIsRequester
    ? `${why}: approving it will fail. If it is still needed, ${fileAgain(request.targetType)}.`
    : `${why}: approving will fail; reject it or ask for a new request.`;
}

/** Why a request failed to apply, and what the reader can do about it. */
export function failureNotice(
  request: Pick<ChangeRequest, 'failure' | 'targetType'>,
  readerIsRequester: boolean,
): string | undefined {
  if (!request.failure) return undefined;
  const next = readerIsRequester
    ? `If it is still needed, ${fileAgain(request.targetType)}.`
    : 'Nothing was changed; the requester can file it again if it is still needed.';
  return `Applying it failed: ${request.failure}. ${next}`;
}

/** The empty queue, by the status it is filtered on. */
export function emptyQueueText(status: string | undefined): string {
  if (status === 'pending') return 'Nothing waits for a decision.';
  if (status) return `No ${status} requests.`;
  return 'No change requests yet.';
}

/**
 * The heading above what a request changes: in the future while it waits, in the past once it
 * ran, and as what it would have done when it never ran.
 */
export function changesHeading(status: ChangeRequestStatus | string): string {
  if (status === 'pending') return 'What approving changes';
  if (status === 'rejected' || status === 'expired') return 'What approving would have changed';
  if (status === 'failed') return 'What approving was to change';
  return 'What approving changed';
}

/** The label of a request's parameter that the operation catalogue does not name. */
export function paramLabel(request: Pick<ChangeRequest, 'operation' | 'targetType'>, name: string): string {
  if (request.targetType === 'staff' && request.operation === 'grant-roles' && name === 'roles') {
    return 'Roles once granted';
  }
  return `Parameter: ${name}`;
}
