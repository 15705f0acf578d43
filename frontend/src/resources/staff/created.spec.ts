import { describe, expect, it } from 'vitest';
import { createdRolesNote, passwordSignInHelp } from './created';

describe('createdRolesNote', () => {
  it('says requested roles wait for a second admin', () => {
    expect(
      createdRolesNote({ roles: [], requestedRoles: ['admin', 'auditor'], pendingChangeRequestId: 'cr-1' }),
    ).toBe(
      'Roles: none yet. admin, auditor must be approved by a second admin (Change requests) before they take effect.',
    );
  });

  it('says nothing of approval when no role was asked for', () => {
    expect(createdRolesNote({ roles: [], requestedRoles: [] })).toBe('Roles: none yet.');
  });
});

describe('passwordSignInHelp', () => {
  it('describes the switch as it stands', () => {
    expect(passwordSignInHelp(true)).toMatch(/^On: this person signs in with a password/);
    expect(passwordSignInHelp(false)).toMatch(/^Off: this person signs in through single sign-on only/);
  });
});
