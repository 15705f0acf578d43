import {
  classifySearchTerm,
  isCompleteEmail,
  isE164,
  MIN_FRAGMENT_LENGTH,
  normalizePhone,
} from '@custodian/shared';

/*
 * The accounts list's email and phone filters. The API matches personal fields only exactly and
 * answers a partial value with a 400 (API.md, Accounts), so the console checks them with the same
 * contract helpers before asking, and says what to do instead of passing on the server's sentence.
 * The search box is the way to look for a fragment: it matches handles and names by part.
 */

/** What to do, said where the list would be. */
export const EMAIL_FILTER_HINT =
  'Email must be a whole address, such as jo@example.com; to search by part of a handle or name, use the search box.';
export const PHONE_FILTER_HINT =
  'Phone must be a whole number in international format, such as +4915112345678; to search by part of a handle or name, use the search box.';

/** The same, said under the input, where a long sentence would not fit. */
export const EMAIL_INPUT_HINT = 'A whole address only';
export const PHONE_INPUT_HINT = 'A whole number only, with +';

const isWholeEmail = isCompleteEmail;
const isWholePhone = (value: string) => isE164(normalizePhone(value));

/** `hint` when `raw` is a value that `isWhole` rejects; nothing for a whole value or none at all. */
function problemOf(raw: unknown, isWhole: (value: string) => boolean, hint: string): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return isWhole(raw.trim()) ? undefined : hint;
}

/** Validators of the filter inputs: an incomplete value is marked and not sent. */
export const validateEmailFilter = (raw: unknown) => problemOf(raw, isWholeEmail, EMAIL_INPUT_HINT);
export const validatePhoneFilter = (raw: unknown) => problemOf(raw, isWholePhone, PHONE_INPUT_HINT);

/**
 * What is wrong with the filters of a list the API refused, for filters that came in a link
 * rather than through the inputs (which do not send an incomplete value).
 */
export function accountFilterProblem(filter: Record<string, unknown>): string | undefined {
  return (
    problemOf(filter.email, isWholeEmail, EMAIL_FILTER_HINT) ??
    problemOf(filter.phone, isWholePhone, PHONE_FILTER_HINT)
  );
}

/** Said when the search box holds digits only: a phone is matched whole, with its country code. */
export const PHONE_SEARCH_HINT = 'Phone numbers need the international format, e.g. +4915112345678.';
/** Said when the search box holds a fragment too short for a search by part. */
export const SHORT_SEARCH_HINT = `Type at least ${MIN_FRAGMENT_LENGTH} characters to search by part of a handle or name; a shorter search finds only an account whose whole handle it is.`;

/**
 * Why a search may have found nothing, from how the API reads the term (shared
 * classifySearchTerm): a number without "+" is no phone number but a fragment of a handle or
 * name, and a fragment under MIN_FRAGMENT_LENGTH characters is matched against whole handles
 * only. Undefined when the term is read as typed.
 */
export function searchHint(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const term = classifySearchTerm(raw);
  if (term.kind !== 'text' || term.value === '') return undefined;
  if (/^\d+$/.test(normalizePhone(term.value))) return PHONE_SEARCH_HINT;
  return term.value.length < MIN_FRAGMENT_LENGTH ? SHORT_SEARCH_HINT : undefined;
}
