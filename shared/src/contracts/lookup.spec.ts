import { describe, expect, it } from 'vitest';
import { classifySearchTerm, isCompleteEmail, isE164, normalizePhone } from './lookup.js';

describe('classifySearchTerm', () => {
  it('reads a uuid as an id, lower-cased', () => {
    expect(classifySearchTerm(' 0F8FAD5B-D9CB-469F-A165-70867728950E ')).toEqual({
      kind: 'id',
      value: '0f8fad5b-d9cb-469f-a165-70867728950e',
    });
  });

  it('reads a whole email address as an exact email, lower-cased', () => {
    expect(classifySearchTerm('Maria.Schmidt@Example.COM')).toEqual({
      kind: 'email',
      value: 'maria.schmidt@example.com',
    });
  });

  it('reads a formatted international number as an exact phone', () => {
    expect(classifySearchTerm('+49 (151) 123-45.678')).toEqual({ kind: 'phone', value: '+4915112345678' });
  });

  it('leaves fragments of emails and phones as text, which never matches personal fields', () => {
    for (const fragment of [
      'maria@',
      '@example.com',
      'example.com',
      '4915112345678',
      '+49',
      'maria schmidt',
    ]) {
      expect(classifySearchTerm(fragment).kind).toBe('text');
    }
  });
});

describe('email and phone checks', () => {
  it('accepts complete addresses only', () => {
    expect(isCompleteEmail('a@b.co')).toBe(true);
    expect(isCompleteEmail('jürgen@exämple.de')).toBe(true);
    expect(isCompleteEmail('a@b')).toBe(false);
    expect(isCompleteEmail('a b@c.de')).toBe(false);
    expect(isCompleteEmail(`${'a'.repeat(320)}@b.co`)).toBe(false);
  });

  it('accepts E.164 numbers only', () => {
    expect(isE164('+14155550123')).toBe(true);
    expect(isE164('+0123456789')).toBe(false);
    expect(isE164('+123456')).toBe(false);
    expect(isE164('+1234567890123456')).toBe(false);
    expect(normalizePhone(' +1 (415) 555-0123 ')).toBe('+14155550123');
  });
});
