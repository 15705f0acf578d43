import { describe, expect, it } from 'vitest';
import { isoFromUtcText } from './timestamp';

describe('isoFromUtcText', () => {
  it.each([
    ['2025-11-25 23:55:16.237891', '2025-11-25T23:55:16.237Z'],
    ['2025-11-25 23:55:16.2', '2025-11-25T23:55:16.200Z'],
    ['2025-11-25 23:55:16.09', '2025-11-25T23:55:16.090Z'],
    ['2025-11-25 23:55:16', '2025-11-25T23:55:16.000Z'],
    ['0999-01-02 03:04:05.999999', '0999-01-02T03:04:05.999Z'],
  ])('%s is %s', (text, iso) => {
    expect(isoFromUtcText(text)).toBe(iso);
  });

  it('gives what Date#toISOString gives for the same instant, to the millisecond', () => {
    for (const ms of [0, 1, 999, 1_700_000_000_123, 1_764_115_716_237, 253_402_300_799_999]) {
      const iso = new Date(ms).toISOString();
      const pgText = iso.replace('T', ' ').replace('Z', '');
      expect(isoFromUtcText(pgText)).toBe(iso);
    }
  });

  it('refuses text that names no instant, as a Date would', () => {
    expect(() => isoFromUtcText('infinity')).toThrow(RangeError);
  });
});
