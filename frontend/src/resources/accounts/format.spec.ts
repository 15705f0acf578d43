import { describe, expect, it } from 'vitest';
import { formatDateTime, sessionStatus } from './format';

describe('sessionStatus', () => {
  it('calls a session that was never revoked active, with no time', () => {
    expect(sessionStatus(null)).toEqual({ label: 'Active', at: '' });
    expect(sessionStatus(undefined)).toEqual({ label: 'Active', at: '' });
  });

  it('calls a revoked session revoked, at the time written as every other time in the console', () => {
    const revokedAt = '2026-03-04T10:15:00.000Z';
    const status = sessionStatus(revokedAt);
    expect(status).toEqual({ label: 'Revoked', at: formatDateTime(revokedAt) });
    expect(status.at).not.toBe('');
  });
});
