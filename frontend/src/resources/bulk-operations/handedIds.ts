/**
 * The account ids another page hands to the bulk operations page in router state (the accounts
 * list's selection: accounts/selection.ts), as the text of the ids box; null when none came.
 * Only strings are taken; the page parses the text as it parses a paste, so an id that is not a
 * UUID is still reported rather than sent.
 */
export function handedIdsText(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('accountIds' in state)) return null;
  const { accountIds } = state as { accountIds: unknown };
  if (!Array.isArray(accountIds)) return null;
  const ids = accountIds.filter((id): id is string => typeof id === 'string' && id.trim() !== '');
  return ids.length > 0 ? ids.join('\n') : null;
}
