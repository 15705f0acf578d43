import { describe, expect, it } from 'vitest';
import { formatCountdown, remainingMs } from './countdown';

describe('formatCountdown', () => {
  it('shows minutes and seconds with two digits each', () => {
    expect(formatCountdown(15 * 60_000)).toBe('15:00');
    expect(formatCountdown(61_000)).toBe('01:01');
    expect(formatCountdown(9_000)).toBe('00:09');
  });

  it('rounds a part second up, so 00:00 means the time is over', () => {
    expect(formatCountdown(400)).toBe('00:01');
    expect(formatCountdown(59_001)).toBe('01:00');
    expect(formatCountdown(0)).toBe('00:00');
  });

  it('never goes negative and survives nonsense', () => {
    expect(formatCountdown(-5_000)).toBe('00:00');
    expect(formatCountdown(Number.NaN)).toBe('00:00');
    expect(formatCountdown(75 * 60_000)).toBe('75:00');
  });
});

describe('remainingMs', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');

  it('counts down to the expiry and stops at zero', () => {
    expect(remainingMs('2026-01-01T12:15:00.000Z', now)).toBe(15 * 60_000);
    expect(remainingMs('2026-01-01T11:59:00.000Z', now)).toBe(0);
  });

  it('treats an unreadable expiry as already over', () => {
    expect(remainingMs('soon', now)).toBe(0);
  });
});
