import { SESSIONS_ENTRY } from '../access/field-policy';
import type { Changes } from './operation-plan';

/**
 * The diff's entry for the customer sessions an operation ends: how many are live before it and
 * none after, beside the account fields it changes. Not an account field, so it stays out of a
 * plan's `changes` (a change request is bound by hash to those alone, planned again at approval):
 * a dry run adds it with the sessions live then, and the run's event with the sessions it ended.
 * Readers see it as its two counts (presentChanges).
 */
export function withSessions(changes: Changes, live: number): Changes {
  return { ...changes, [SESSIONS_ENTRY]: { before: live, after: 0 } };
}
