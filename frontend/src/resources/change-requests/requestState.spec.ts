import { describe, expect, it } from 'vitest';
import {
  changesHeading,
  emptyQueueText,
  expiresLabel,
  failureNotice,
  notApplicableNotice,
  paramLabel,
  statusLabel,
} from './requestState';

const stale = {
  status: 'pending' as const,
  targetType: 'account',
  applicable: false,
  notApplicableBecause: 'the account changed since this was requested (it was at version 1, it is now at 2)',
};

describe('request state wording', () => {
  it('capitalises statuses', () => {
    expect(statusLabel('pending')).toBe('Pending');
    expect(statusLabel('failed')).toBe('Failed');
  });

  it('shows an expiry only while the request waits', () => {
    expect(expiresLabel({ status: 'pending', expiresAt: '2026-12-03T00:00:00Z' })).toBe(
      '2026-12-03T00:00:00Z',
    );
    expect(expiresLabel({ status: 'failed', expiresAt: '2026-12-03T00:00:00Z' })).toBeUndefined();
  });

  it('tells a reviewer that a request which cannot apply should be rejected', () => {
    expect(notApplicableNotice(stale, false)).toBe(
      'The account changed since this was requested (it was at version 1, it is now at 2): approving will fail; reject it or ask for a new request.',
    );
  });

  it('tells the requester to file it again from the account page', () => {
    expect(notApplicableNotice(stale, true)).toMatch(/file the operation again from the account page\.$/);
    expect(notApplicableNotice({ ...stale, applicable: true }, true)).toBeUndefined();
    expect(notApplicableNotice({ ...stale, status: 'failed' }, true)).toBeUndefined();
  });

  it('words a failure for its reader, never "reload and try again"', () => {
    const failed = { failure: 'the account changed since this was requested', targetType: 'account' };
    expect(failureNotice(failed, true)).toBe(
      'Applying it failed: the account changed since this was requested. If it is still needed, file the operation again from the account page.',
    );
    expect(failureNotice(failed, false)).toMatch(/the requester can file it again/);
    expect(failureNotice({ failure: undefined, targetType: 'account' }, true)).toBeUndefined();
  });

  it('says an empty pending queue has nothing to decide', () => {
    expect(emptyQueueText('pending')).toBe('Nothing waits for a decision.');
    expect(emptyQueueText('failed')).toBe('No failed requests.');
    expect(emptyQueueText(undefined)).toBe('No change requests yet.');
  });

  it('puts the heading in the past once the request ran', () => {
    expect(changesHeading('pending')).toBe('What approving changes');
    expect(changesHeading('applied')).toBe('What approving changed');
    expect(changesHeading('approved')).toBe('What approving changed');
    expect(changesHeading('rejected')).toBe('What approving would have changed');
  });

  it('names a role grant’s roles', () => {
    expect(paramLabel({ operation: 'grant-roles', targetType: 'staff' }, 'roles')).toBe('Roles once granted');
    expect(paramLabel({ operation: 'x', targetType: 'account' }, 'y')).toBe('Parameter: y');
  });
});
