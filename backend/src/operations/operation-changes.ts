import { presentChanges, type Viewer } from '../access/field-policy';
import type { Changes } from './operation-plan';

/**
 * The diff's entry for the customer sessions an operation ends: how many are live before it and
 * none after, beside the account fields it changes. Not an account field, so it stays out of a
 * plan's `changes` (a change request is bound by hash to those alone, planned again at approval):
 * a dry run adds it with the sessions live then, and the run's event with the sessions it ended.
 */
export const SESSIONS = 'sessions';

export function withSessions(changes: Changes, live: number): Changes {
  return { ...changes, [SESSIONS]: { before: live, after: 0 } };
}

/**
 * A dry run's diff as the caller may see it: account fields through the field policy, and the
 * sessions entry as its two counts (numbers or null: nothing else it may carry). A count of
 * sessions says nothing about the customer that the operation's own permission does not.
 */
export function presentOperationChanges(
  changes: Changes,
  viewer: Viewer,
): Record<string, { before: unknown; after: unknown }> {
  const { [SESSIONS]: sessions, ...fields } = changes;
  const out = presentChanges(fields, viewer);
  if (sessions !== undefined) {
    const count = (v: unknown) => (typeof v === 'number' ? v : null);
    out[SESSIONS] = { before: count(sessions.before), after: count(sessions.after) };
  }
  return out;
}
