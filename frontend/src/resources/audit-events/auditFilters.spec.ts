import { describe, expect, it } from 'vitest';
import { validateDateRange, validateTargetId } from './auditFilters';

describe('validateTargetId', () => {
  it('asks for the whole id when given a fragment', () => {
    expect(validateTargetId('2b6be577')).toMatch(/whole id/);
    expect(validateTargetId('not an id')).toMatch(/whole id/);
  });

  it('accepts a whole id, or nothing', () => {
    expect(validateTargetId('2b6be577-1c2d-4e5f-8a9b-0c1d2e3f4a5b')).toBeUndefined();
    expect(validateTargetId(' 2B6BE577-1C2D-4E5F-8A9B-0C1D2E3F4A5B ')).toBeUndefined();
    expect(validateTargetId('')).toBeUndefined();
    expect(validateTargetId(undefined)).toBeUndefined();
  });
});

describe('validateDateRange', () => {
  it('refuses a From after the To', () => {
    expect(validateDateRange(undefined, { from: '2026-12-02', to: '2026-12-01' })).toMatch(
      /From is after To/,
    );
  });

  it('accepts an ordered range, one day, or either end alone', () => {
    expect(validateDateRange(undefined, { from: '2026-11-30', to: '2026-12-01' })).toBeUndefined();
    expect(validateDateRange(undefined, { from: '2026-12-01', to: '2026-12-01' })).toBeUndefined();
    expect(validateDateRange(undefined, { from: '2026-12-01' })).toBeUndefined();
    expect(validateDateRange(undefined, { to: '2026-12-01', from: '' })).toBeUndefined();
  });
});
