import { classifySearchTerm, MIN_FRAGMENT_LENGTH, normalizePhone } from '@custodian/shared';
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

/**
 * The columns of an AccountSummary, aliased to the entity's property names; timestamps as UTC text,
 * which the mapper turns into ISO 8601 without a Date in between (common/timestamp.ts).
 */
const SUMMARY_COLUMNS = `a.id, a.handle, a.display_name AS "displayName", a.email, a.phone, a.region, a.status,
  a.plan, (a.created_at AT TIME ZONE 'UTC')::text AS "createdAt",
  (a.last_login_at AT TIME ZONE 'UTC')::text AS "lastLoginAt"`;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * The handle and display name as one folded text (lower case, without accents: migration
 * AccountSearchFolded). U+001F between them: a fragment without it matches this text exactly when
 * it matches one of the two fields. Two spellings of the same value, one per index: the stored
 * column, which the trigram GIN index covers (every match, read without order), and the fold
 * itself, exactly the expression of account_search_recency_idx (matches walked by creation time).
 */
const SEARCH_TEXT = 'a.search_text';
const SEARCH_TEXT_BY_RECENCY = `custodian_fold(a.handle || E'\\x1f' || a.display_name)`;
const FIELD_SEPARATOR = '\x1f';

/**
 * How far from the page's edge, as a share of the time all accounts span, a fragment search walks
 * the recency index (2% is ~20,000 accounts of 1,000,000, 3-4 ms of index entries). A fragment
 * that fills a page inside it is done after a short walk; one that does not is rare (under ~1 in
 * 800 accounts), so reading all its matches through the trigram indexes is cheap. A wider walk
 * makes rare fragments slower, a narrower one leaves more fragments to the trigram indexes.
 */
const SEARCH_WINDOW_FRACTION = 0.02;

/**
 * From this length on, a fragment (a pasted handle, a full name) almost always matches few
 * accounts, and one of its many trigrams is rare enough for the GIN indexes to find them quickly;
 * a short one ('garci': 3 trigrams, each in tens of thousands of accounts) costs them up to ~10 ms
 * before a single row is read. So a long fragment asks the GIN indexes first and a short one walks
 * the recency index first (see fragmentByRecency).
 */
const LONG_FRAGMENT = 8;

/**
 * How many matches of a long fragment are read before deciding it is common: up to this many are
 * the whole answer, sorted in memory (a few hundred table reads at most, under a millisecond).
 */
const FEW_MATCHES = 200;

/**
 * Builds the one SQL statement behind `GET /api/accounts`. The benchmark runs this same statement
 * directly through `pg`, so the API's overhead is measured against exactly what the API runs.
 * Fetches `limit + 1` rows: the extra row only tells whether there is a next page.
 *
 * `named`: the statement may run as a named one (database/named-query.ts), whose plan PostgreSQL
 * may keep for every value. So only a keyset page with at most an exact match on a near-unique
 * column (email, phone, id, handle), its limit written into the text, or a fragment search by
 * createdAt, whose steps are fixed by its WITH items and decided as it runs (fragmentByRecency):
 * the plan of a fragment sorted otherwise, or of a status, plan or region filter, depends on how
 * many accounts the value matches. Named, the fragment search (2.5 kB of SQL) is parsed once per
 * connection and sent as a name: 2.3-2.5 ms per handle lookup instead of 2.6-2.9 (one connection,
 * 1,500 lookups). PostgreSQL goes on planning it with each value (by its estimates the generic
 * plan costs more); that generic plan, were it chosen, reads the same indexes the same way.
 */
export function buildAccountListQuery(query: ListAccountsQuery): {
  sql: string;
  params: unknown[];
  named: boolean;
} {
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

  let fragment: string | undefined;
  if (query.q?.trim()) {
    // A full email address or phone number is matched exactly, never as a fragment: a partial
    // match on personal data would let a caller guess it letter by letter.
    const term = classifySearchTerm(query.q);
    if (term.kind === 'id') where.push(`a.id = ${bind(term.value)}`);
    else if (term.kind === 'email') where.push(`a.email = ${bind(term.value)}`);
    else if (term.kind === 'phone') where.push(`a.phone = ${bind(term.value)}`);
    else if (term.value.length < MIN_FRAGMENT_LENGTH)
      where.push(`a.handle = ${bind(term.value.toLowerCase())}`);
    else fragment = term.value;
  }

  const named =
    (fragment === undefined || query.sort === 'createdAt') &&
    query.status === undefined &&
    query.plan === undefined &&
    query.region === undefined &&
    Number.isSafeInteger(query.limit);
  const sort = SORTS[query.sort];
  const desc = query.order === 'desc';
  const cmp = desc ? '<' : '>';
  const dir = desc ? 'DESC' : 'ASC';
  let cursorValue: string | undefined;
  const keyset: string[] = [];
  if (query.cursor) {
    cursorValue = `${bind(query.cursor.value)}::${sort.cast}`;
    keyset.push(
      sort.unique
        ? `${sort.expr} ${cmp} ${cursorValue}`
        : `(${sort.expr}, a.id) ${cmp} (${cursorValue}, ${bind(query.cursor.id)}::uuid)`,
    );
  }

  const orderBy = sort.unique ? `${sort.expr} ${dir}` : `${sort.expr} ${dir}, a.id ${dir}`;
  const limit = named ? String(query.limit + 1) : bind(query.limit + 1);
  const select = `SELECT ${SUMMARY_COLUMNS}, (${sort.expr})::text AS "sortKey" FROM account a`;
  if (fragment !== undefined) {
    // Folded as the column is, by the database's own rules: "igor" finds "Ígor".
    const pattern = `custodian_fold(${bind(`%${escapeLike(fragment)}%`)})`;
    if (query.sort === 'createdAt') {
      const sql = fragmentByRecency({
        fragment,
        pattern,
        filters: where,
        keyset,
        cursorValue,
        desc,
        orderBy,
        limit,
      });
      return { sql: `${select} WHERE ${sql} ORDER BY ${orderBy} LIMIT ${limit}`, params, named };
    }
    where.push(fragmentMatches(fragment, pattern));
  }
  const conditions = [...where, ...keyset];
  const sql =
    select +
    (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
    ` ORDER BY ${orderBy} LIMIT ${limit}`;
  return { sql, params, named };
}

/** The fragment (its folded LIKE `pattern`) in the handle or the display name, as `searchText` holds them. */
function fragmentMatches(fragment: string, pattern: string, searchText = SEARCH_TEXT): string {
  const inSearchText = `${searchText} LIKE ${pattern}`;
  // Only a fragment holding the separator could match across the two fields.
  if (!fragment.includes(FIELD_SEPARATOR)) return inSearchText;
  return `(${inSearchText} AND (custodian_fold(a.handle) LIKE ${pattern} OR custodian_fold(a.display_name) LIKE ${pattern}))`;
}

/**
 * The WHERE clause of a fragment search sorted by createdAt. A common fragment ('garci') matches
 * thousands of accounts, and reading them all from the table to keep the newest page was the cost
 * of every search; a rare one (a whole handle) matches a few, and reading those is the cheapest
 * answer. So:
 *
 * - `matching`: every match, through the trigram GIN indexes, materialised without an order (so
 *   the planner reads it through those indexes, not by walking the createdAt index) and read
 *   lazily. For a long fragment, `few` first reads at most FEW_MATCHES + 1 of it: that many or fewer
 *   are the whole answer. A short fragment skips that (`few` is false): it rarely holds.
 * - `recent`, unless there are few: account_search_recency_idx walked from the page's edge
 *   (the cursor, else the newest or oldest account) in createdAt order, the fragment checked on
 *   the index entries, up to one page of matches (WITH TIES: every account sharing the last one's
 *   createdAt, so the id order among them is decided below) and never further than
 *   SEARCH_WINDOW_FRACTION of the time span. These are the page whenever there are enough of them:
 *   any other match lies beyond them.
 * - Only when that walk finds less than a page (a fragment rare near the edge), the rest of
 *   `matching`.
 *
 * The page is cut from ids and creation times, with the keyset applied to every step, before any
 * other column is read; rows, order and cursors are those of the plain
 * `search_text LIKE p ORDER BY created_at, id` query.
 */
function fragmentByRecency(search: {
  fragment: string;
  pattern: string;
  filters: string[];
  keyset: string[];
  cursorValue: string | undefined;
  desc: boolean;
  orderBy: string;
  limit: string;
}): string {
  const { fragment, pattern, filters, keyset, cursorValue, desc, orderBy, limit } = search;
  const first = `${desc ? 'max' : 'min'}(created_at)`;
  const edge = cursorValue ?? `(SELECT ${first} FROM account)`;
  const bound =
    `(SELECT ${cursorValue ?? first} ${desc ? '-' : '+'} ` +
    `(max(created_at) - min(created_at)) * ${SEARCH_WINDOW_FRACTION} FROM account)`;
  const matches = fragmentMatches(fragment, pattern);
  const recent = [
    fragmentMatches(fragment, pattern, SEARCH_TEXT_BY_RECENCY),
    `a.created_at ${desc ? '>=' : '<='} ${bound}`,
    ...filters,
    ...keyset,
  ];
  const few =
    [...fragment].length >= LONG_FRAGMENT
      ? `(SELECT count(*) FROM (SELECT FROM matching LIMIT ${FEW_MATCHES + 1}) p) <= ${FEW_MATCHES}`
      : 'false';
  return (
    `a.id IN (` +
    `WITH matching AS MATERIALIZED (SELECT a.id, a.created_at FROM account a WHERE ${[matches, ...filters].join(' AND ')}), ` +
    `recent AS MATERIALIZED (SELECT a.id, a.created_at FROM account a WHERE ${recent.join(' AND ')} ` +
    `ORDER BY a.created_at <-> ${edge} FETCH FIRST ${limit} ROWS WITH TIES) ` +
    `SELECT a.id FROM (` +
    `SELECT id, created_at FROM matching WHERE ${few} OR (SELECT count(*) FROM recent) < ${limit} ` +
    `UNION SELECT id, created_at FROM recent WHERE NOT ${few}) a` +
    (keyset.length ? ` WHERE ${keyset.join(' AND ')}` : '') +
    ` ORDER BY ${orderBy} LIMIT ${limit})`
  );
}
