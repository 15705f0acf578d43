import { describe, expect, it } from 'vitest';
import { actorDescription, actorLabel } from './actor';

const actor = (type: 'staff' | 'token' | 'system', id: string | null, email: string | null) => ({
  type,
  id,
  email,
  roles: [],
});

describe('actorLabel and actorDescription', () => {
  it('name a person or token by the email behind it', () => {
    expect(actorLabel(actor('staff', 's-1', 'sam@corp.test'))).toBe('sam@corp.test');
    expect(actorDescription(actor('token', 't-1', 'sam@corp.test'))).toBe('sam@corp.test (token)');
  });

  it('say that nobody was signed in when the request named no one', () => {
    expect(actorLabel(actor('staff', null, null))).toBe('not signed in');
    expect(actorDescription(actor('staff', null, null))).toBe('not signed in');
  });

  it('name the system, and fall back to the id', () => {
    expect(actorDescription(actor('system', null, null))).toBe('system');
    expect(actorLabel(actor('token', 't-1', null))).toBe('t-1');
  });
});
