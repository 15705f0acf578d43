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

/**
 * The help under the "Password sign-in" switch, for the state it is in: it must describe what
 * happens as the form stands, not only what turning it off would do.
 */
export function passwordSignInHelp(on: boolean): string {
  return on
    ? 'On: this person signs in with a password; the first one is shown once after saving.'
    : 'Off: this person signs in through single sign-on only and gets no password.';
}
