import type { PendingGrant } from './roles';

/**
 * What an admin reads before and after reactivating someone. The API gives no role back on one
 * admin's say (four eyes): the person returns with none and the roles wait as a grant, so the
 * console must not suggest the roles are in effect.
 */
export function reactivationPrompt(roles: readonly string[]): string {
  const now = 'They come back with no roles: they can sign in and do nothing.';
  if (!roles.length) return now;
  return `${now} ${roles.join(', ')} will wait for a second admin to approve ${roles.length > 1 ? 'them' : 'it'} (Change requests).`;
}

export function reactivatedNote(person: {
  displayName: string;
  roles: readonly string[];
  pendingChangeRequestId?: string;
  pendingGrants?: readonly PendingGrant[];
}): string {
  const roles = person.roles.length ? `roles ${person.roles.join(', ')}` : 'no roles';
  const now = `${person.displayName} is active again, with ${roles}.`;
  if (!person.pendingChangeRequestId) return now;
  const filed = person.pendingGrants?.find((g) => g.changeRequestId === person.pendingChangeRequestId);
  const waiting =
    filed?.roles.length === 1
      ? `${filed.roles[0]} waits`
      : `${filed ? filed.roles.join(', ') : 'Their roles'} wait`;
  return `${now} ${waiting} for a second admin’s approval (Change requests).`;
}
