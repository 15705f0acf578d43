import { describe, expect, it } from 'vitest';
import { diffRows, formatDiffValue } from './diff';

describe('diffRows', () => {
  it('lists each changed field with its before and after value, in order', () => {
    expect(
      diffRows({
        email: { before: 'a***@example.com', after: 'b***@example.com' },
        creditBalanceCents: { before: 0, after: 2500 },
        mfaEnabled: { before: true, after: false },
      }),
    ).toEqual([
      { field: 'email', before: 'a***@example.com', after: 'b***@example.com' },
      { field: 'creditBalanceCents', before: '$0.00', after: '$25.00' },
      { field: 'mfaEnabled', before: 'true', after: 'false' },
    ]);
  });

  it('has no rows for an event without changes', () => {
    expect(diffRows(null)).toEqual([]);
    expect(diffRows(undefined)).toEqual([]);
    expect(diffRows({})).toEqual([]);
  });
});

describe('formatDiffValue', () => {
  it('shows an amount in cents as money, and other numbers as they are', () => {
    expect(formatDiffValue(90000, 'creditBalanceCents')).toBe('$900.00');
    expect(formatDiffValue(250, 'amountCents')).toBe('$2.50');
    expect(formatDiffValue(90000, 'version')).toBe('90000');
    expect(formatDiffValue('***', 'creditBalanceCents')).toBe('***');
  });

  it('shows absent values as a dash and structured values as JSON', () => {
    expect(formatDiffValue(null)).toBe('—');
    expect(formatDiffValue(undefined)).toBe('—');
    expect(formatDiffValue('')).toBe('—');
    expect(formatDiffValue({ city: 'Lyon', country: 'FR' })).toBe('{"city":"Lyon","country":"FR"}');
  });
});
