import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDateTimeOrDash, sessionStatus } from './format';
import { planLabel } from './choices';

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

describe('formatDateTimeOrDash', () => {
  it('writes a time as formatDateTime does, and a dash for one that never happened', () => {
    const at = '2026-03-04T10:15:00.000Z';
    expect(formatDateTimeOrDash(at)).toBe(formatDateTime(at));
    expect(formatDateTimeOrDash(null)).toBe('—');
    expect(formatDateTimeOrDash(undefined)).toBe('—');
    expect(formatDateTimeOrDash('')).toBe('—');
  });
});

describe('plan labels', () => {
  it('labels a plan as people read it', () => {
    expect(planLabel('plus')).toBe('Plus');
  });
});
