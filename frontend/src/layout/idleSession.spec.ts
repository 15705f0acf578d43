import { describe, expect, it } from 'vitest';
import { formatCountdown, idleState, warningLeadMs } from './idleSession';

const MINUTE = 60_000;

describe('idleState', () => {
  const idle = 15 * MINUTE;
  const last = 1_000_000;

  it('is active until a minute before the timeout', () => {
    expect(idleState(last, last, idle)).toEqual({ phase: 'active' });
    expect(idleState(last + 14 * MINUTE - 1, last, idle)).toEqual({ phase: 'active' });
  });

  it('warns in the last minute, with the time left', () => {
    expect(idleState(last + 14 * MINUTE, last, idle)).toEqual({ phase: 'warning', remainingMs: MINUTE });
    expect(idleState(last + idle - 1, last, idle)).toEqual({ phase: 'warning', remainingMs: 1 });
  });

  it('has ended at the timeout and after', () => {
    expect(idleState(last + idle, last, idle)).toEqual({ phase: 'ended' });
    expect(idleState(last + 2 * idle, last, idle)).toEqual({ phase: 'ended' });
  });

  it('stays active before any answer, or without a known timeout', () => {
    expect(idleState(last + 2 * idle, null, idle)).toEqual({ phase: 'active' });
    expect(idleState(last + 2 * idle, last, 0)).toEqual({ phase: 'active' });
    expect(idleState(last + 2 * idle, last, NaN)).toEqual({ phase: 'active' });
  });

  it('warns for half of a timeout shorter than two minutes', () => {
    expect(warningLeadMs(MINUTE)).toBe(30_000);
    expect(warningLeadMs(idle)).toBe(MINUTE);
    expect(idleState(last + 29_999, last, MINUTE)).toEqual({ phase: 'active' });
    expect(idleState(last + 30_000, last, MINUTE)).toEqual({ phase: 'warning', remainingMs: 30_000 });
  });
});

describe('formatCountdown', () => {
  it('shows minutes and seconds, rounding up', () => {
    expect(formatCountdown(MINUTE)).toBe('1:00');
    expect(formatCountdown(42_000)).toBe('0:42');
    expect(formatCountdown(41_001)).toBe('0:42');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});
