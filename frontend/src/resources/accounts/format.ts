import type { Address } from '@custodian/shared';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp from the API in the reader's locale; unparseable input is shown as it came. */
export function formatDateTime(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTime.format(date);
}

/** A timestamp that may never have happened (a last sign-in, a token's last use): a dash if not. */
export function formatDateTimeOrDash(value: unknown): string {
  return formatDateTime(value) || '—';
}

/**
 * A customer session's status: live until it is revoked, then when that happened. Anything but a
 * timestamp (null) is a live session; a revokedAt the reader may not see never gets here.
 */
export function sessionStatus(revokedAt: unknown): { label: 'Active' | 'Revoked'; at: string } {
  return typeof revokedAt === 'string' && revokedAt !== ''
    ? { label: 'Revoked', at: formatDateTime(revokedAt) }
    : { label: 'Active', at: '' };
}

// The contract carries no currency: balances are shown in US dollars.
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatCents(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? money.format(value / 100) : '';
}

export function formatYesNo(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : '';
}

/** A postal address on one line; a masked address holds only some of its parts. */
export function formatAddress(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value === 'string' ? value : '';
  const { street, postalCode, city, country } = value as Address;
  const locality = [postalCode, city].filter(Boolean).join(' ');
  return [street, locality, country].filter(Boolean).join(', ');
}

export function formatExpiry(month: unknown, year: unknown): string {
  if (typeof month !== 'number' || typeof year !== 'number') return '';
  return `${String(month).padStart(2, '0')}/${year}`;
}

/** The console's address of an account's page (its hash route). */
export function accountHref(accountId: string): string {
  return `#/accounts/${encodeURIComponent(accountId)}/show`;
}

export function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
