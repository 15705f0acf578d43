import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, isAuditActionFilter } from '@custodian/shared';
import { ACTION_CHOICES, matchesActionChoice } from './actionChoices';

const choice = (id: string) => ACTION_CHOICES.find((c) => c.id === id)!;

describe('the action filter choices', () => {
  it('offer every catalogue action with its description, and only values the API accepts', () => {
    for (const { action, description } of AUDIT_ACTIONS) {
      expect(choice(action)).toMatchObject({ name: action, description });
    }
    for (const c of ACTION_CHOICES) expect(isAuditActionFilter(c.id), c.id).toBe(true);
    expect(new Set(ACTION_CHOICES.map((c) => c.id)).size).toBe(ACTION_CHOICES.length);
  });

  it('put each group together, its prefix first', () => {
    const ids = ACTION_CHOICES.map((c) => c.id);
    const groups = ACTION_CHOICES.map((c) => c.group);
    expect(groups.filter((g, i) => g !== groups[i - 1])).toEqual([...new Set(groups)]);
    expect(ids.indexOf('account.')).toBeLessThan(ids.indexOf('account.operation.'));
    expect(ids.indexOf('account.operation.')).toBeLessThan(ids.indexOf('account.operation.change-plan'));
    expect(choice('account.operation.')).toMatchObject({
      name: 'account.operation.*',
      description: 'Every account operation action',
    });
  });

  it('are found by any words of the action or the description', () => {
    expect(matchesActionChoice('change-plan', choice('account.operation.change-plan'))).toBe(true);
    expect(matchesActionChoice('Reveal', choice('account.reveal'))).toBe(true);
    expect(matchesActionChoice('sign in refused', choice('auth.login_failed'))).toBe(true);
    expect(matchesActionChoice('account.*', choice('account.'))).toBe(true);
    expect(matchesActionChoice('', choice('auth.login'))).toBe(true);
    expect(matchesActionChoice('reveal', choice('auth.login'))).toBe(false);
    expect(matchesActionChoice('sign refused nothing', choice('auth.login_failed'))).toBe(false);
  });
});
