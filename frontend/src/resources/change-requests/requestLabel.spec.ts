import { describe, expect, it } from 'vitest';
import { accountTargetText, requestLabel, requestTarget, targetAccountId } from './requestLabel';

describe('requestLabel and requestTarget', () => {
  it('names a request by what it does, not by its operation id', () => {
    expect(requestLabel({ operation: 'issue-credit', targetType: 'account' })).toBe('Issue credit');
    expect(requestLabel({ operation: 'grant-roles', targetType: 'staff' })).toBe('Grant roles');
    expect(requestLabel({ operation: 'change-plan', targetType: 'bulk' })).toBe('Change plan (bulk)');
    expect(requestLabel({ operation: 'unheard-of', targetType: 'account' })).toBe('unheard-of');
  });

  it('says what kind of record it targets', () => {
    expect(requestTarget({ targetType: 'staff', targetId: 'a1' })).toBe('staff member a1');
    expect(requestTarget({ targetType: 'account', targetId: 'b2' })).toBe('account b2');
    expect(requestTarget({ targetType: 'bulk', targetId: 'c3' })).toBe('several accounts');
  });
});

describe('a target account in the lists', () => {
  it('is looked up only for a request on one account', () => {
    expect(targetAccountId({ targetType: 'account', targetId: 'b2' })).toBe('b2');
    expect(targetAccountId({ targetType: 'staff', targetId: 'a1' })).toBeUndefined();
    expect(targetAccountId({ targetType: 'bulk', targetId: 'c3' })).toBeUndefined();
    expect(targetAccountId({ targetType: 'account', targetId: '' })).toBeUndefined();
  });

  it('is named by its handle as sent, or by its id when no handle is sent', () => {
    expect(accountTargetText({ id: 'b2', handle: 'ada_lovelace' })).toBe('ada_lovelace');
    expect(accountTargetText({ id: 'b2', handle: 'a***' })).toBe('a***');
    expect(accountTargetText({ id: 'b2' })).toBe('b2');
    expect(accountTargetText({ id: 'b2', handle: '' })).toBe('b2');
  });
});
