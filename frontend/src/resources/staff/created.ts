/**
 * What an admin is told after creating a person. Roles asked for at creation are not granted: they
 * wait for a second admin (four eyes), so the console must not suggest they are in effect.
 */
export function createdRolesNote(person: {
  roles: readonly string[];
  requestedRoles: readonly string[];
  pendingChangeRequestId?: string;
}): string {
  const now = person.roles.length ? person.roles.join(', ') : 'none yet';
  if (!person.pendingChangeRequestId) return `Roles: ${now}.`;
  const asked = person.requestedRoles.length ? person.requestedRoles.join(', ') : 'the roles asked for';
  return `Roles: ${now}. ${asked} must be approved by a second admin (Change requests) before they take effect.`;
}
