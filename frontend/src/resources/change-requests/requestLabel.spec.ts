import { describe, expect, it } from 'vitest';
import { requestLabel, requestTarget } from './requestLabel';

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
