import { PAGE_LIMIT_DEFAULT } from '@custodian/shared';
import type { DataSource } from 'typeorm';
import { buildAccountListQuery, type ListAccountsQuery } from '../accounts/account-list.query';
import { decodeCursor } from '../common/cursor';

export const SCENARIO_KEYS = ['email', 'handle', 'search', 'firstPage', 'deepPage'] as const;
export type ScenarioKey = (typeof SCENARIO_KEYS)[number];

export interface Scenario {
  key: ScenarioKey;
  title: string;
  /** API paths to cycle through, and the query the API builds for each (same order). */
  paths: string[];
  statements: Array<{ sql: string; params: unknown[]; named?: boolean }>;
  /** What the inputs were, for the report. */
  inputs: string[];
  /** The API records each lookup as an audit event (a search on personal data): the inputs are emails. */
  recordedSearch?: boolean;
}

/** The list defaults of ListAccountsQueryDto and PageQueryDto: what the API fills in. */
const DEFAULTS = { sort: 'createdAt', order: 'desc', limit: PAGE_LIMIT_DEFAULT } as const;
const SORT_NAME = `${DEFAULTS.sort}:${DEFAULTS.order}`;

const SAMPLE_SIZE = 1_000;
const NAME_SAMPLE_SIZE = 20_000;
const FRAGMENTS = 8;
const FRAGMENT_LENGTH = 5;
export const DEEP_PAGE = 400;

function scenario(
  key: ScenarioKey,
  title: string,
  cases: Array<{ input: string; params: Record<string, string>; query: Partial<ListAccountsQuery> }>,
): Scenario {
  return {
    key,
    title,
    inputs: cases.map((c) => c.input),
    paths: cases.map((c) => `/api/accounts?${new URLSearchParams(c.params).toString()}`),
    statements: cases.map((c) => buildAccountListQuery({ ...DEFAULTS, ...c.query })),
  };
}

/**
 * Picks real inputs from the database: accounts spread over the whole table (uuid order is
 * random order), and fragments of the commonest last names.
 */
export async function buildScenarios(
  dataSource: DataSource,
  followPage: (path: string) => Promise<{ nextCursor: string | null }>,
): Promise<Scenario[]> {
  const sample: Array<{ email: string; handle: string }> = await dataSource.query(
    `SELECT email, handle FROM account ORDER BY id LIMIT $1`,
    [SAMPLE_SIZE],
  );
  if (sample.length === 0) throw new Error('The benchmark database holds no accounts.');
  const names: Array<{ display_name: string }> = await dataSource.query(
    `SELECT display_name FROM account WHERE id >= '80000000-0000-0000-0000-000000000000' ORDER BY id LIMIT $1`,
    [NAME_SAMPLE_SIZE],
  );
  const fragments = commonLastNameFragments(
    names.map((n) => n.display_name),
    FRAGMENTS,
  );

  const deepCursor = await cursorOfPage(DEEP_PAGE, followPage);
  return [
    {
      ...scenario(
        'email',
        `exact email (${sample.length} addresses)`,
        sample.map(({ email }) => ({ input: email, params: { email }, query: { email } })),
      ),
      recordedSearch: true,
    },
    scenario(
      'handle',
      `handle via q (${sample.length} handles)`,
      sample.map(({ handle }) => ({ input: handle, params: { q: handle }, query: { q: handle } })),
    ),
    scenario(
      'search',
      `q name fragment (${fragments.join(', ')})`,
      fragments.map((q) => ({ input: q, params: { q }, query: { q } })),
    ),
    scenario('firstPage', 'first page, newest first', [
      { input: 'page 1', params: { ...stringify(DEFAULTS) }, query: {} },
    ]),
    scenario(
      'deepPage',
      `page ${DEEP_PAGE} (${(DEEP_PAGE - 1) * DEFAULTS.limit} rows deep)`,
      deepCursor
        ? [
            {
              input: `page ${DEEP_PAGE}`,
              params: { ...stringify(DEFAULTS), cursor: deepCursor },
              query: { cursor: decodeCursor(deepCursor, SORT_NAME) },
            },
          ]
        : [],
    ),
  ].filter((s) => s.paths.length > 0);
}

function stringify(values: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}

/** Follows nextCursor from the first page through the API; the cursor that opens `page`. */
async function cursorOfPage(
  page: number,
  followPage: (path: string) => Promise<{ nextCursor: string | null }>,
): Promise<string | null> {
  let cursor: string | null = null;
  for (let n = 1; n < page; n++) {
    const params = stringify(DEFAULTS);
    if (cursor) params.cursor = cursor;
    const { nextCursor } = await followPage(`/api/accounts?${new URLSearchParams(params).toString()}`);
    if (!nextCursor) return null;
    cursor = nextCursor;
  }
  return cursor;
}

/** The first letters of the commonest last names: what support types to find "Mrs Garcia". */
export function commonLastNameFragments(displayNames: string[], count: number): string[] {
  const frequency = new Map<string, number>();
  for (const name of displayNames) {
    const last = name.split(' ').pop() ?? '';
    if ([...last].length < FRAGMENT_LENGTH + 1 || !/^\p{L}+$/u.test(last)) continue;
    const fragment = [...last.toLowerCase()].slice(0, FRAGMENT_LENGTH).join('');
    frequency.set(fragment, (frequency.get(fragment) ?? 0) + 1);
  }
  return [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, count)
    .map(([fragment]) => fragment);
}
