import { classifySearchTerm, normalizePhone } from '@custodian/shared';
import type { AccountSortField, AccountStatus, Plan, Region, SortOrder } from '@custodian/shared';
import type { Cursor } from '../common/cursor';

/** A validated account search, with its cursor already decoded. */
export interface ListAccountsQuery {
  q?: string;
  email?: string;
  phone?: string;
  status?: AccountStatus;
  plan?: Plan;
  region?: Region;
  sort: AccountSortField;
  order: SortOrder;
  limit: number;
  cursor?: Cursor;
}

interface SortSpec {
  /** The SQL expression; it must match an index expression exactly for the keyset to use it. */
  expr: string;
  cast: string;
  /** A unique key needs no id tie-breaker. */
  unique: boolean;
}

const SORTS: Record<AccountSortField, SortSpec> = {
  createdAt: { expr: 'a.created_at', cast: 'timestamptz', unique: false },
  handle: { expr: 'a.handle', cast: 'text', unique: true },
  lastLoginAt: {
    expr: `coalesce(a.last_login_at, 'epoch'::timestamptz)`,
    cast: 'timestamptz',
    unique: false,
  },
};

/** The columns of an AccountSummary, aliased to the entity's property names. */
const SUMMARY_COLUMNS = `a.id, a.handle, a.display_name AS "displayName", a.email, a.phone, a.region, a.status,
  a.plan, a.created_at AS "createdAt", a.last_login_at AS "lastLoginAt"`;

/** Trigram indexes need three characters; shorter fragments would scan the whole table. */
export const MIN_FRAGMENT_LENGTH = 3;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * Builds the one SQL statement behind `GET /api/accounts`. The benchmark runs this same statement
 * directly through `pg`, so the API's overhead is measured against exactly what the API runs.
 * Fetches `limit + 1` rows: the extra row only tells whether there is a next page.
 */
export function buildAccountListQuery(query: ListAccountsQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where: string[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };

  if (query.email !== undefined) where.push(`a.email = ${bind(query.email.toLowerCase())}`);
  if (query.phone !== undefined) where.push(`a.phone = ${bind(normalizePhone(query.phone))}`);
  if (query.status !== undefined) where.push(`a.status = ${bind(query.status)}`);
  if (query.plan !== undefined) where.push(`a.plan = ${bind(query.plan)}`);
  if (query.region !== undefined) where.push(`a.region = ${bind(query.region)}`);

  if (query.q?.trim()) {
    // A full email address or phone number is matched exactly, never as a fragment: a partial
    // match on personal data would let a caller guess it letter by letter.
    const term = classifySearchTerm(query.q);
    if (term.kind === 'id') where.push(`a.id = ${bind(term.value)}`);
    else if (term.kind === 'email') where.push(`a.email = ${bind(term.value)}`);
    else if (term.kind === 'phone') where.push(`a.phone = ${bind(term.value)}`);
    else if (term.value.length < MIN_FRAGMENT_LENGTH)
      where.push(`a.handle = ${bind(term.value.toLowerCase())}`);
    else {
      const pattern = bind(`%${escapeLike(term.value)}%`);
      where.push(`(a.handle ILIKE ${pattern} OR a.display_name ILIKE ${pattern})`);
    }
  }

  const sort = SORTS[query.sort];
  const desc = query.order === 'desc';
  const cmp = desc ? '<' : '>';
  const dir = desc ? 'DESC' : 'ASC';
  if (query.cursor) {
    const value = `${bind(query.cursor.value)}::${sort.cast}`;
    where.push(
      sort.unique
        ? `${sort.expr} ${cmp} ${value}`
        : `(${sort.expr}, a.id) ${cmp} (${value}, ${bind(query.cursor.id)}::uuid)`,
    );
  }

  const orderBy = sort.unique ? `${sort.expr} ${dir}` : `${sort.expr} ${dir}, a.id ${dir}`;
  const sql =
    `SELECT ${SUMMARY_COLUMNS}, (${sort.expr})::text AS "sortKey" FROM account a` +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ${orderBy} LIMIT ${bind(query.limit + 1)}`;
  return { sql, params };
}
