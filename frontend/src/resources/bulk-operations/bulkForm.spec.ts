import { describe, expect, it } from 'vitest';
import { bulkHeadline, bulkPercent } from './bulkForm';

describe('bulkPercent', () => {
  it('counts only the applicable accounts that ran, not the skipped ones', () => {
    // 12 accounts, 8 skipped, none run yet: nothing is done.
    expect(bulkPercent({ status: 'pending', total: 12, applied: 0, skipped: 8, failed: 0 })).toBe(0);
    expect(bulkPercent({ status: 'approved', total: 12, applied: 1, skipped: 8, failed: 1 })).toBe(50);
    expect(bulkPercent({ status: 'applied', total: 12, applied: 4, skipped: 8, failed: 0 })).toBe(100);
  });

  it('is full for an applied request with nothing applicable, empty otherwise', () => {
    expect(bulkPercent({ status: 'applied', total: 3, applied: 0, skipped: 3, failed: 0 })).toBe(100);
    expect(bulkPercent({ status: 'pending', total: 3, applied: 0, skipped: 3, failed: 0 })).toBe(0);
  });
});

describe('bulkHeadline', () => {
  it('follows the request status', () => {
    expect(bulkHeadline('pending').title).toBe('Waiting for approval');
    expect(bulkHeadline('pending').detail).toContain('Nothing changes until then');
    expect(bulkHeadline('approved').title).toBe('Approved: applying');
    expect(bulkHeadline('applied')).toMatchObject({ severity: 'success', title: 'Applied' });
    expect(bulkHeadline('failed')).toMatchObject({ severity: 'error', title: 'Failed' });
    expect(bulkHeadline('rejected').detail).toBe('Nothing changed.');
    expect(bulkHeadline('expired').title).toBe('Expired before anyone approved it');
    for (const status of ['approved', 'applied', 'failed', 'rejected', 'expired']) {
      expect(bulkHeadline(status).detail).not.toContain('Nothing changes until then');
    }
  });
});
