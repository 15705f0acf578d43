import { describe, expect, it } from 'vitest';
import { diffRows, fieldLabel, formatDiffValue } from './diff';

describe('diffRows', () => {
  it('lists each changed field with its before and after value, in order', () => {
    expect(
      diffRows({
        email: { before: 'a***@example.com', after: 'b***@example.com' },
        creditBalanceCents: { before: 0, after: 2500 },
        mfaEnabled: { before: true, after: false },
      }),
    ).toEqual([
      { field: 'email', label: 'Email', before: 'a***@example.com', after: 'b***@example.com' },
      { field: 'creditBalanceCents', label: 'Credit balance', before: '$0.00', after: '$25.00' },
      { field: 'mfaEnabled', label: 'MFA', before: 'yes', after: 'no' },
    ]);
  });

  it('has no rows for an event without changes', () => {
    expect(diffRows(null)).toEqual([]);
    expect(diffRows(undefined)).toEqual([]);
    expect(diffRows({})).toEqual([]);
  });
});

describe('formatDiffValue', () => {
  it('shows a plan by its label, as the profile does, in every diff', () => {
    expect(diffRows({ plan: { before: 'free', after: 'pro' }, version: { before: 1, after: 2 } })).toEqual([
      { field: 'plan', label: 'Plan', before: 'Free', after: 'Pro' },
      { field: 'version', label: 'Version', before: '1', after: '2' },
    ]);
  });

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

  it('shows a list of names joined, and yes or no for a flag', () => {
    expect(formatDiffValue(['engineer', 'support'])).toBe('engineer, support');
    expect(formatDiffValue([])).toBe('none');
    expect(formatDiffValue(true)).toBe('yes');
  });
});

describe('fieldLabel', () => {
  it('names a field as people do', () => {
    expect(fieldLabel('creditBalanceCents')).toBe('Credit balance');
    expect(fieldLabel('sessions')).toBe('Active sessions');
    expect(fieldLabel('dateOfBirth')).toBe('Date of birth');
    expect(fieldLabel('plan')).toBe('Plan');
    expect(fieldLabel('roles')).toBe('Roles');
  });
});
