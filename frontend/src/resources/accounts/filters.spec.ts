import { describe, expect, it } from 'vitest';
import {
  EMAIL_FILTER_HINT,
  EMAIL_INPUT_HINT,
  PHONE_FILTER_HINT,
  PHONE_INPUT_HINT,
  PHONE_SEARCH_HINT,
  SHORT_SEARCH_HINT,
  searchHint,
  accountFilterProblem,
  validateEmailFilter,
  validatePhoneFilter,
} from './filters';

describe('the email and phone filters', () => {
  it('accept nothing at all, and whole values with the spaces people type around them', () => {
    for (const empty of [undefined, null, '', '  ']) {
      expect(validateEmailFilter(empty)).toBeUndefined();
      expect(validatePhoneFilter(empty)).toBeUndefined();
    }
    expect(validateEmailFilter(' jo@example.com ')).toBeUndefined();
    expect(validatePhoneFilter('+49 151 1234-5678')).toBeUndefined();
  });

  it('mark part of an address or number in the input', () => {
    expect(validateEmailFilter('jo')).toBe(EMAIL_INPUT_HINT);
    expect(validateEmailFilter('jo@example')).toBe(EMAIL_INPUT_HINT);
    expect(validatePhoneFilter('0151')).toBe(PHONE_INPUT_HINT);
  });

  it('explain a list refused for its filters by the first one that is incomplete', () => {
    expect(accountFilterProblem({ email: 'jo', phone: '0151' })).toBe(EMAIL_FILTER_HINT);
    expect(accountFilterProblem({ email: 'jo@example.com', phone: '0151' })).toBe(PHONE_FILTER_HINT);
    expect(accountFilterProblem({ q: 'jo', status: 'active' })).toBeUndefined();
  });
});

describe('searchHint', () => {
  it('asks for three characters before a search by part', () => {
    expect(searchHint('i')).toBe(SHORT_SEARCH_HINT);
    expect(searchHint(' ia ')).toBe(SHORT_SEARCH_HINT);
    expect(SHORT_SEARCH_HINT).toMatch(/^Type at least 3 characters/);
    expect(searchHint('ial')).toBeUndefined();
  });

  it('asks for the international format when the term is a number without +', () => {
    expect(searchHint('4915112345678')).toBe(PHONE_SEARCH_HINT);
    expect(searchHint('0151 1234 5678')).toBe(PHONE_SEARCH_HINT);
    expect(searchHint('12')).toBe(PHONE_SEARCH_HINT);
    expect(searchHint('+4915112345678')).toBeUndefined();
  });

  it('says nothing without a search or for a whole email or id', () => {
    expect(searchHint(undefined)).toBeUndefined();
    expect(searchHint('')).toBeUndefined();
    expect(searchHint('jo@example.com')).toBeUndefined();
  });
});
