import { formatCents } from '../accounts/format';

/** Field changes as the API sends them: each field's value before and after, through the policy. */
export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface DiffRow {
  field: string;
  before: string;
  after: string;
}

/**
 * One value of a diff on one line: "—" for nothing, JSON for structured values, and an amount in
 * cents (a field or parameter named …Cents) as money, as the account page shows it.
 */
export function formatDiffValue(value: unknown, field = ''): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'number' && field.endsWith('Cents')) return formatCents(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The rows of a before/after table, in the order the API listed the fields. */
export function diffRows(changes: Changes | null | undefined): DiffRow[] {
  if (!changes || typeof changes !== 'object') return [];
  return Object.entries(changes).map(([field, change]) => ({
    field,
    before: formatDiffValue(change?.before, field),
    after: formatDiffValue(change?.after, field),
  }));
}
