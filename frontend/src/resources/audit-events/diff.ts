import { planLabel } from '../accounts/choices';
import { formatCents } from '../accounts/format';

/** Field changes as the API sends them: each field's value before and after, through the policy. */
export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface DiffRow {
  field: string;
  /** The field as people call it ("Credit balance", not creditBalanceCents). */
  label: string;
  before: string;
  after: string;
}

/** Names that the words of the field's own name do not say well. */
const FIELD_LABELS: Record<string, string> = {
  creditBalanceCents: 'Credit balance',
  amountCents: 'Amount',
  mfaEnabled: 'MFA',
  displayName: 'Name',
  lastLoginIp: 'Last sign-in IP',
  lastLoginAt: 'Last sign-in',
  marketingOptIn: 'Marketing emails',
  emailVerified: 'Email verified',
  // Not a field: how many customer sessions an operation ends (live before, none after).
  sessions: 'Active sessions',
};

/** A field name as a label: "dateOfBirth" reads "Date of birth". */
export function fieldLabel(field: string): string {
  const known = FIELD_LABELS[field];
  if (known) return known;
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * One value of a diff on one line: "—" for nothing, yes or no, a list of names joined, JSON for
 * other structured values, and an amount in cents (a field or parameter named …Cents) as money
 * and a plan by its label, as the account page shows them.
 */
export function formatDiffValue(value: unknown, field = ''): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'number' && field.endsWith('Cents')) return formatCents(value);
  if (typeof value === 'string' && field === 'plan') return planLabel(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  // A list of names (roles) as a reader writes it.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.length ? value.join(', ') : 'none';
  }
  return JSON.stringify(value);
}

/** The rows of a before/after table, in the order the API listed the fields. */
export function diffRows(changes: Changes | null | undefined): DiffRow[] {
  if (!changes || typeof changes !== 'object') return [];
  return Object.entries(changes).map(([field, change]) => ({
    field,
    label: fieldLabel(field),
    before: formatDiffValue(change?.before, field),
    after: formatDiffValue(change?.after, field),
  }));
}
