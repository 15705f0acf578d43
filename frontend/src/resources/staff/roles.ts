import { ROLES, type Role, type StaffMember } from '@custodian/shared';

/** What each role is for (DESIGN.md, "Who uses it"), shown next to the role checkboxes. */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  support: 'looks accounts up, reveals a field with a reason, small fixes',
  engineer: 'scoped edits through operations; risky ones need approval',
  supervisor: 'approves or rejects change requests',
  auditor: 'reads, exports and verifies the audit log',
  admin: 'manages staff and their roles',
};

export const ROLE_CHOICES = ROLES.map((role) => ({
  id: role,
  name: `${role} — ${ROLE_DESCRIPTIONS[role]}`,
}));

/** A role grant that waits for a second admin, as `GET /api/staff/:id` lists it. */
export interface PendingGrant {
  changeRequestId: string;
  roles: string[];
  requestedBy: string;
  applicable: boolean;
}

/** A staff member as the staff API answers them: with the role grants that wait for them. */
export type StaffRecord = StaffMember & { pendingGrants?: PendingGrant[] };

/** How the staff form and the staff list mark a role whose grant waits for a second admin. */
export const WAITING_GRANT_NOTE = 'grant waits for a second admin';

/**
 * The roles that waiting grants would add, in the catalogue's order. A grant that can no longer
 * apply (the person's roles or state changed since) adds nothing, so it is left out.
 */
export function waitingRoles(pending: readonly PendingGrant[] = []): Role[] {
  const waiting = new Set(pending.filter((g) => g.applicable).flatMap((g) => g.roles));
  return ROLES.filter((role) => waiting.has(role));
}

/**
 * The role checkboxes of a person: a role whose grant waits for a second admin is shown so, and
 * cannot be ticked again (the API would refuse the same grant twice), rather than as a plain
 * unticked box that reads as "not asked for".
 */
export function roleChoicesFor(pending: readonly PendingGrant[] = []) {
  const waiting = new Set<string>(waitingRoles(pending));
  return ROLE_CHOICES.map((choice) =>
    waiting.has(choice.id)
      ? { ...choice, name: `${choice.name} (${WAITING_GRANT_NOTE})`, disabled: true }
      : { ...choice, disabled: false },
  );
}

/** One line per grant still waiting, for the notice above the checkboxes. */
export function pendingGrantLines(pending: readonly PendingGrant[] = []): string[] {
  return pending.map(
    (g) =>
      `${g.roles.join(', ')}: requested by ${g.requestedBy}, waiting for a second admin` +
      (g.applicable ? '' : ' (it can no longer apply: the person’s roles or state changed since)'),
  );
}
