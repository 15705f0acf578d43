import type { AuditEvent } from '@custodian/shared';

type Actor = AuditEvent['actor'];

/** A request that named nobody (no session, no token): recorded with no id and no email. */
function isAnonymous(actor: Actor): boolean {
  return actor.type === 'staff' && !actor.id && !actor.email;
}

/** Who acted, as a column shows it: their email, "system", or that nobody was signed in. */
export function actorLabel(actor: Actor): string {
  if (actor.email) return actor.email;
  if (isAnonymous(actor)) return 'not signed in';
  return actor.type === 'system' ? 'system' : (actor.id ?? actor.type);
}

/** The same with the kind of actor (staff or token) after a person's email or id, for an event's page. */
export function actorDescription(actor: Actor): string {
  const label = actorLabel(actor);
  return isAnonymous(actor) || actor.type === 'system' ? label : `${label} (${actor.type})`;
}
