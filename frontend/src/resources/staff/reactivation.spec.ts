import { describe, expect, it } from 'vitest';
import { reactivatedNote, reactivationPrompt } from './reactivation';

const grant = {
  changeRequestId: 'cr-1',
  roles: ['admin', 'engineer'],
  requestedBy: 'admin@demo.test',
  applicable: true,
};

describe('reactivationPrompt', () => {
  it('says the roles are not given back, but asked of a second admin', () => {
    expect(reactivationPrompt(['admin', 'engineer'])).toBe(
      'They come back with no roles: they can sign in and do nothing. admin, engineer will wait for a second admin to approve them (Change requests).',
    );
  });

  it('speaks of one role as one', () => {
    expect(reactivationPrompt(['engineer'])).toMatch(/ engineer will wait for a second admin to approve it /);
  });

  it('says no role comes back when none is ticked', () => {
    expect(reactivationPrompt([])).toBe('They come back with no roles: they can sign in and do nothing.');
  });
});

describe('reactivatedNote', () => {
  it('names the roles that wait for a second admin', () => {
    expect(
      reactivatedNote({
        displayName: 'Ada',
        roles: [],
        pendingChangeRequestId: 'cr-1',
        pendingGrants: [{ ...grant, changeRequestId: 'cr-0', roles: ['support'] }, grant],
      }),
    ).toBe(
      'Ada is active again, with no roles. admin, engineer wait for a second admin’s approval (Change requests).',
    );
  });

  it('speaks of one role as one', () => {
    expect(
      reactivatedNote({
        displayName: 'Ada',
        roles: [],
        pendingChangeRequestId: 'cr-1',
        pendingGrants: [{ ...grant, roles: ['engineer'] }],
      }),
    ).toBe(
      'Ada is active again, with no roles. engineer waits for a second admin’s approval (Change requests).',
    );
  });

  it('says plainly when nothing waits', () => {
    expect(reactivatedNote({ displayName: 'Ada', roles: [], pendingGrants: [] })).toBe(
      'Ada is active again, with no roles.',
    );
  });

  it('still says a grant waits when the answer does not list it', () => {
    expect(reactivatedNote({ displayName: 'Ada', roles: [], pendingChangeRequestId: 'cr-9' })).toBe(
      'Ada is active again, with no roles. Their roles wait for a second admin’s approval (Change requests).',
    );
  });
});
