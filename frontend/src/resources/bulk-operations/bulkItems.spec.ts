import { describe, expect, it } from 'vitest';
import { bulkItemOutcome } from './bulkItems';

const accountId = '11111111-1111-4111-8111-111111111111';
const changes = { plan: { before: 'free', after: 'pro' } };

describe('bulkItemOutcome', () => {
  it('reads an applied item as changed, never as "not changed"', () => {
    expect(bulkItemOutcome({ accountId, status: 'applied' })).toEqual({ kind: 'changed' });
    expect(bulkItemOutcome({ accountId, status: 'applied', changes })).toEqual({ kind: 'changed', changes });
  });

  it('reads a failed item as failed, with the error', () => {
    expect(bulkItemOutcome({ accountId, status: 'failed', skip: 'the account changed' })).toEqual({
      kind: 'failed',
      reason: 'the account changed',
    });
  });

  it('reads a skipped item as not changed, with why', () => {
    expect(bulkItemOutcome({ accountId, status: 'skipped', skip: 'already on plan pro' })).toEqual({
      kind: 'not-changed',
      reason: 'already on plan pro',
    });
  });

  it('shows a waiting item or a preview row by its diff, or why it will not run', () => {
    expect(bulkItemOutcome({ accountId, status: 'pending', changes })).toEqual({ kind: 'diff', changes });
    expect(bulkItemOutcome({ accountId, changes })).toEqual({ kind: 'diff', changes });
    expect(bulkItemOutcome({ accountId, status: 'pending', skip: 'the request was rejected' })).toEqual({
      kind: 'not-changed',
      reason: 'the request was rejected',
    });
    expect(bulkItemOutcome({ accountId, skip: 'no such account' })).toEqual({
      kind: 'not-changed',
      reason: 'no such account',
    });
  });
});
