/** Field changes as the API sends them: each field's value before and after, through the policy. */
export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface DiffRow {
  field: string;
  before: string;
  after: string;
}

/** One value of a diff on one line: "—" for nothing, JSON for structured values. */
export function formatDiffValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The rows of a before/after table, in the order the API listed the fields. */
export function diffRows(changes: Changes | null | undefined): DiffRow[] {
  if (!changes || typeof changes !== 'object') return [];
  return Object.entries(changes).map(([field, change]) => ({
    field,
    before: formatDiffValue(change?.before),
    after: formatDiffValue(change?.after),
  }));
}
