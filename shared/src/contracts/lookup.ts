/**
 * How a search term is read. Personal fields (email, phone) are only ever matched exactly, so the
 * API and the console must agree on what counts as a complete email address or phone number.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_FORMATTING = /[\s\-().]/g;
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The shortest text searched by part of a handle or name: the trigram indexes behind that search
 * need three characters (a shorter term would scan the whole table), so a shorter one matches a
 * whole handle only. The console says so rather than show an empty list without a reason.
 */
export const MIN_FRAGMENT_LENGTH = 3;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A whole address (local part, @, domain with a dot): the only form an email filter accepts. */
export function isCompleteEmail(value: string): boolean {
  return value.length <= 320 && EMAIL.test(value);
}

/** Drops the spaces, dashes, dots and parentheses people type into phone numbers. */
export function normalizePhone(value: string): string {
  return value.replace(PHONE_FORMATTING, '');
}

/** A complete international number (E.164: +, country code, up to 15 digits). */
export function isE164(value: string): boolean {
  return E164.test(value);
}

export type SearchTerm =
  | { kind: 'id'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'text'; value: string };

/** Classifies a free-text search: an id, a full email, a full phone number, or a text fragment. */
export function classifySearchTerm(raw: string): SearchTerm {
  const value = raw.trim();
  if (isUuid(value)) return { kind: 'id', value: value.toLowerCase() };
  if (isCompleteEmail(value)) return { kind: 'email', value: value.toLowerCase() };
  const phone = normalizePhone(value);
  if (isE164(phone)) return { kind: 'phone', value: phone };
  return { kind: 'text', value };
}
