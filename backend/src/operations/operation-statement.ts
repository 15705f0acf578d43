import { randomUUID } from 'node:crypto';
import { accountUpdateAtVersion } from '../accounts/account.sql';
import type { OperationPlan } from './operation-plan';

/** The event item of a write statement: AuditService.statement, bound to its event. */
export type EventItem = (
  details: Record<string, unknown>,
  param: number,
  when: string,
) => { id: string; sql: string; value: string };

/**
 * The one statement of a plan that revokes no sessions: the version-checked UPDATE (a locking
 * SELECT when the plan sets no field, accountUpdateAtVersion), the plan's note and the event, as
 * WITH items; the note and the event are written only if the check passed, and all commit
 * together. It answers the account as it then is, or no row when the version check failed.
 * Without `event` (the benchmark's write without the audit log), the same minus its event.
 */
export function operationStatement(w: {
  accountId: string;
  expectedVersion: number;
  plan: Pick<OperationPlan, 'set' | 'note'>;
  actorId: string;
  actorEmail: string;
  now: Date;
  event?: EventItem;
}): { sql: string; params: unknown[]; eventId?: string } {
  const update = accountUpdateAtVersion(w.accountId, w.expectedVersion, w.plan.set, w.now);
  const params = [...update.params];
  const steps = [`changed AS (${update.sql})`];
  const details: Record<string, unknown> = {};
  if (w.plan.note !== undefined) {
    const noteId = randomUUID();
    // Its own time parameter: an update that sets nothing has no updatedAt ($3) to share.
    const first = params.push(noteId, w.actorId, w.actorEmail, w.plan.note, w.now) - 4;
    steps.push(`note AS (
        INSERT INTO note (id, account_id, author_id, author_email, body, created_at)
        SELECT $${first}::uuid, id, $${first + 1}, $${first + 2}, $${first + 3}, $${first + 4} FROM changed)`);
    details.noteId = noteId;
  }
  let eventId: string | undefined;
  if (w.event) {
    const event = w.event(details, params.length + 1, 'EXISTS (SELECT FROM changed)');
    params.push(event.value);
    steps.push(`event AS (${event.sql})`);
    eventId = event.id;
  }
  return { sql: `WITH ${steps.join(',\n')} SELECT * FROM changed`, params, eventId };
}
