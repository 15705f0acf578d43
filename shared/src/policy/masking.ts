/**
 * The masking functions of the field policy (DESIGN.md, "The access policy"): how a field that a
 * role sees `masked` is shown. Imported by the API (its serializer) and by the console, so
 * everything here is plain ECMAScript: no Node-only APIs.
 *
 * Every masker is total: it accepts any value (wrong type, empty, whitespace, very long, odd
 * Unicode), never throws, and never returns the clear value. When a value does not have the
 * shape the masker expects, it returns the fixed placeholder `MASKED` rather than echo it.
 */

/** Shown instead of a value that cannot be masked partially. Constant: it reveals no length. */
export const MASKED = '***';
/** Shown instead of free text. Constant: it reveals neither content nor length. */
export const REDACTED = '[redacted]';

/** Inputs longer than this (in UTF-16 units) are not emails, phones or fingerprints: masked whole. */
const MAX_INPUT_LENGTH = 1024;

/** Runs a masker and turns any unexpected exception (a hostile getter, say) into the fallback. */
function total<T>(fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------
// Grapheme-safe slicing: a user-perceived character (é as e + combining accent, a flag, a family
// emoji) is never cut in half, and a UTF-16 surrogate pair is never split.

type GraphemeSegmenter = { segment(input: string): Iterable<{ segment: string }> };

const segmenter: GraphemeSegmenter | undefined = total(undefined, () =>
  typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function'
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    : undefined,
);

/** Code points that extend the preceding one (fallback when Intl.Segmenter is missing). */
const EXTENDS = /^(?:\p{M}|\u200D|[\u{1F3FB}-\u{1F3FF}]|[\u{E0020}-\u{E007F}])$/u;
const REGIONAL_INDICATOR = /^[\u{1F1E6}-\u{1F1FF}]$/u;

/** Approximate grapheme clusters by code points plus the common extenders (marks, ZWJ, modifiers). */
function* fallbackGraphemes(s: string): Generator<string> {
  let current = '';
  let joinNext = false;
  let regionalPairOpen = false;
  for (const cp of s) {
    const extendsCurrent =
      current !== '' && (joinNext || EXTENDS.test(cp) || (regionalPairOpen && REGIONAL_INDICATOR.test(cp)));
    if (extendsCurrent) {
      regionalPairOpen = false;
      current += cp;
    } else {
      if (current !== '') yield current;
      current = cp;
      regionalPairOpen = REGIONAL_INDICATOR.test(cp);
    }
    joinNext = cp === '\u200D';
  }
  if (current !== '') yield current;
}

/** The first `n` grapheme clusters of `s` (lazily: cheap on very long strings). */
function firstGraphemes(s: string, n: number): string[] {
  const out: string[] = [];
  if (n <= 0) return out;
  const iterable: Iterable<string | { segment: string }> = segmenter
    ? segmenter.segment(s)
    : fallbackGraphemes(s);
  for (const g of iterable) {
    out.push(typeof g === 'string' ? g : g.segment);
    if (out.length >= n) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Email

/** One domain label: letters (any script), marks and digits, hyphens inside only, at most 63 long. */
const DOMAIN =
  /^(?:[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?\.)+[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u;
/** Characters that never belong in a local part: whitespace, controls, lone surrogates, bidi controls. */
const BAD_LOCAL_CHAR = /[\s\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/**
 * An address of printable ASCII with an ASCII domain, as nearly every stored one is: the general
 * path below (NFC, trim, the Unicode-aware checks) gives it exactly this answer, so it is masked
 * without them. Those steps were two thirds of the cost of a page of accounts' masking. The local
 * part here holds no whitespace, control or `@`, and the domain is DOMAIN restricted to ASCII.
 */
const PLAIN_EMAIL =
  /^([\x21-\x3f\x41-\x7e]+)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)$/;
/** The longest first grapheme that is shown (a family emoji is 11 UTF-16 units, a tag flag 14). */
const MAX_SHOWN_GRAPHEME = 16;

/**
 * `jane.doe@example.com` → `j***@example.com`: the first character (grapheme cluster) of the local
 * part, `***`, then `@` and the domain in full. A one-character local part is not shown at all:
 * `a@x.io` → `*@x.io`. Anything that is not a single `local@domain.tld` → `***`.
 */
export function maskEmail(value: unknown): string {
  if (typeof value === 'string' && value.length <= MAX_INPUT_LENGTH) {
    const [, local, domain] = PLAIN_EMAIL.exec(value) ?? [];
    if (local !== undefined && domain !== undefined && domain.length <= 253) {
      return local.length >= 2 ? `${local[0]}***@${domain}` : `*@${domain}`;
    }
  }
  return total(MASKED, () => {
    if (typeof value !== 'string' || value.length > MAX_INPUT_LENGTH) return MASKED;
    const email = value.trim().normalize('NFC');
    const at = email.indexOf('@');
    if (at < 0 || at !== email.lastIndexOf('@')) return MASKED;
    const local = email.slice(0, at);
    const domain = email.slice(at + 1);
    if (local === '' || BAD_LOCAL_CHAR.test(local)) return MASKED;
    if (domain.length > 253 || !DOMAIN.test(domain)) return MASKED;
    // Two ASCII characters first (almost every address): the first is a grapheme of its own.
    const [first, second] =
      local.length >= 2 && local.charCodeAt(0) < 0x80 && local.charCodeAt(1) < 0x80
        ? [local[0]!, local[1]!]
        : firstGraphemes(local, 2);
    if (first === undefined) return MASKED;
    if (second === undefined || first.length > MAX_SHOWN_GRAPHEME) return `*@${domain}`;
    return `${first}***@${domain}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Phone

/** Formatting dropped before masking: whitespace, dashes, minus sign, parentheses, dots, slashes. */
const PHONE_FORMATTING = /[\s\p{Pd}\u2212()./]/gu;
const PHONE = /^\+?(\p{Nd}+)$/u;
/** Below this many digits, showing the last four would show most of the number. */
export const PHONE_MIN_DIGITS_TO_SHOW_LAST4 = 7;
/** E.164 allows 15 digits; 17 leaves room for a `00` international prefix. More is not a phone. */
const PHONE_MAX_DIGITS = 17;
/** A normalised number that shows its last four: an optional `+`, then 7 to 17 ASCII digits. */
const PLAIN_PHONE = /^\+?[0-9]{7,17}$/;

/**
 * `+49 151 1234-5678` → `*********5678`: formatting and the leading `+` are dropped, then every
 * digit but the last four becomes `*`, keeping the length of the normalised number. Fewer than 7
 * digits, more than 17, or any other character (letters, an extension) → `***`.
 */
export function maskPhone(value: unknown): string {
  // A number stored as the API stores it, `+` and ASCII digits only: the general path below leaves
  // it as it is until the last step, which this is.
  if (typeof value === 'string' && PLAIN_PHONE.test(value)) {
    const digits = value.charCodeAt(0) === 0x2b ? value.length - 1 : value.length;
    return '*'.repeat(digits - 4) + value.slice(-4);
  }
  return total(MASKED, () => {
    if (typeof value !== 'string' || value.length > MAX_INPUT_LENGTH) return MASKED;
    // NFKC turns fullwidth digits, plus signs and parentheses into their ASCII forms.
    const normalised = value.normalize('NFKC').replace(PHONE_FORMATTING, '');
    const digits = PHONE.exec(normalised)?.[1];
    if (digits === undefined) return MASKED;
    const codePoints = Array.from(digits); // digits of other scripts are still one code point each
    if (codePoints.length < PHONE_MIN_DIGITS_TO_SHOW_LAST4 || codePoints.length > PHONE_MAX_DIGITS) {
      return MASKED;
    }
    return '*'.repeat(codePoints.length - 4) + codePoints.slice(-4).join('');
  });
}

// ---------------------------------------------------------------------------------------------
// Date of birth

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `1985-04-12` (or an ISO date-time, or a valid `Date`) → `1985`: the year only. A `Date` is read
 * in UTC, as the API stores dates of birth. Anything else, or an impossible date → `***`.
 */
export function maskDateOfBirth(value: unknown): string {
  return total(MASKED, () => {
    let year: number;
    if (value instanceof Date) {
      const time = value.getTime();
      if (Number.isNaN(time)) return MASKED;
      year = value.getUTCFullYear();
    } else if (typeof value === 'string') {
      const text = value.trim();
      if (text.length > 64) return MASKED;
      const m = ISO_DATE.exec(text);
      if (!m) return MASKED;
      year = Number(m[1]);
      const month = Number(m[2]);
      const day = Number(m[3]);
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return MASKED;
    } else {
      return MASKED;
    }
    if (!Number.isInteger(year) || year < 1 || year > 9999) return MASKED;
    return String(year).padStart(4, '0');
  });
}

// ---------------------------------------------------------------------------------------------
// Postal address

export interface AddressInput {
  street?: string;
  city?: string;
  postalCode?: string;
  country?: string;
}

/** What a masked address keeps. Absent or empty parts are left out. */
export interface MaskedAddress {
  city?: string;
  country?: string;
}

/** The parts of an address a masked address keeps (an allow list: any other key is dropped too). */
export const ADDRESS_KEPT_PARTS = ['city', 'country'] as const satisfies readonly (keyof AddressInput)[];
/** The parts of an address that masking removes. */
export const ADDRESS_DROPPED_PARTS = [
  'street',
  'postalCode',
] as const satisfies readonly (keyof AddressInput)[];

/**
 * `{ street, city, postalCode, country }` → `{ city, country }`. Only string parts are kept
 * (trimmed, empty ones left out); `null`, `undefined` or anything that is not an address → `{}`.
 */
export function maskAddress(address: unknown): MaskedAddress {
  return total<MaskedAddress>({}, () => {
    if (typeof address !== 'object' || address === null || Array.isArray(address)) return {};
    const source = address as Record<string, unknown>;
    const out: MaskedAddress = {};
    for (const part of ADDRESS_KEPT_PARTS) {
      const v = source[part];
      if (typeof v === 'string' && v.trim() !== '') out[part] = v.trim();
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Free text and fingerprints

/** Free text → `[redacted]`, whatever it is: not its content, not its length, not whether it is empty. */
export function redactText(_value: unknown): string {
  return REDACTED;
}

/** A card fingerprint: printable ASCII without spaces; only long enough ones show a prefix. */
const FINGERPRINT = /^[\x21-\x7E]{8,}$/;

/**
 * A card fingerprint `Xt5EWLLDS7FJjR1c` → `Xt5E…`: the first four characters and an ellipsis.
 * Shorter than 8 characters, or not printable ASCII → `***`.
 */
export function maskFingerprint(value: unknown): string {
  return total(MASKED, () => {
    if (typeof value !== 'string' || value.length > MAX_INPUT_LENGTH) return MASKED;
    const fingerprint = value.trim();
    if (!FINGERPRINT.test(fingerprint)) return MASKED;
    return `${fingerprint.slice(0, 4)}…`;
  });
}

// ---------------------------------------------------------------------------------------------
// The catalogue the field policy names

export const MASK_KINDS = ['email', 'phone', 'dateOfBirth', 'address', 'text', 'fingerprint'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];
export type MaskedValue = string | MaskedAddress;

/** The masker of each kind; the field policy names a kind per field. */
export const MASKERS = Object.freeze({
  email: maskEmail,
  phone: maskPhone,
  dateOfBirth: maskDateOfBirth,
  address: maskAddress,
  text: redactText,
  fingerprint: maskFingerprint,
} as const satisfies Readonly<Record<MaskKind, (value: unknown) => MaskedValue>>);

export function isMaskKind(value: unknown): value is MaskKind {
  return typeof value === 'string' && (MASK_KINDS as readonly string[]).includes(value);
}

/** The masker of `kind`. An unknown kind (a policy typo at runtime) fails closed: `[redacted]`. */
export function maskerOf(kind: MaskKind): (value: unknown) => MaskedValue {
  return isMaskKind(kind) ? MASKERS[kind] : redactText;
}

/** Masks `value` as `kind` (see maskerOf). */
export function applyMask(kind: MaskKind, value: unknown): MaskedValue {
  return maskerOf(kind)(value);
}
