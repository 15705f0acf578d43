/**
 * react-admin data provider for the Custodian API (API.md), read-only for now.
 *
 * Lists are cursor-paged without a total, so results carry `pageInfo` (partial pagination) and
 * a CursorBook maps react-admin's page numbers to the API's cursors.
 */
import type {
  DataProvider,
  GetListParams,
  GetListResult,
  GetManyParams,
  GetManyReferenceParams,
  GetOneParams,
  Identifier,
  QueryFunctionContext,
  RaRecord,
  SortPayload,
} from 'react-admin';
import { ACCOUNT_SORT_FIELDS, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type Page } from '@custodian/shared';
import { apiFetch } from './http';
import { CursorBook } from './cursorBook';

/** Filters of `GET /api/accounts` passed through as query parameters; others are dropped. */
export const ACCOUNT_FILTER_PARAMS = ['q', 'status', 'plan', 'region', 'email', 'phone'] as const;

/** Lists under `/api/accounts/:id/`, fetched with getManyReference and target `accountId`. */
export const ACCOUNT_RELATED_RESOURCES = ['payment-methods', 'conversations', 'notes', 'sessions'] as const;

const isAccountSortField = (field: string): boolean =>
  (ACCOUNT_SORT_FIELDS as readonly string[]).includes(field);

const segment = (id: Identifier): string => encodeURIComponent(String(id));

export function pageLimit(perPage: number | undefined): number {
  if (!perPage || !Number.isFinite(perPage)) return PAGE_LIMIT_DEFAULT;
  return Math.min(PAGE_LIMIT_MAX, Math.max(1, Math.floor(perPage)));
}

/** Query parameters of `GET /api/accounts`, without the cursor. */
export function buildAccountQuery(params: {
  filter?: Record<string, unknown>;
  sort?: SortPayload;
  perPage?: number;
}): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of ACCOUNT_FILTER_PARAMS) {
    const raw = params.filter?.[name];
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const value = String(raw).trim();
    if (value !== '') query.set(name, value);
  }
  if (params.sort && isAccountSortField(params.sort.field)) {
    query.set('sort', params.sort.field);
    query.set('order', params.sort.order === 'DESC' ? 'desc' : 'asc');
  }
  query.set('limit', String(pageLimit(params.perPage)));
  return query;
}

function notSupported(method: string, resource: string): Promise<never> {
  return Promise.reject(
    new Error(`"${method}" on ${resource} is not supported: the console is read-only for now.`),
  );
}

export interface CustodianDataProviderOptions {
  /** How many distinct list queries keep their page cursors. */
  maxCursorQueries?: number;
}

export function createDataProvider(options: CustodianDataProviderOptions = {}): DataProvider {
  const cursors = new CursorBook(options.maxCursorQueries);

  /**
   * Fetches page `page` of a cursor-paged list. When that page's cursor is unknown (a reload
   * on page 3, say) it walks forward from the nearest page it knows.
   */
  async function fetchPage<T extends RaRecord>(
    path: string,
    query: URLSearchParams,
    page: number,
    signal?: AbortSignal,
  ): Promise<GetListResult<T>> {
    const key = CursorBook.keyOf(path, query);
    const target = Math.max(1, Math.floor(page || 1));
    let current = cursors.nearestKnownPage(key, target);
    for (;;) {
      const pageQuery = new URLSearchParams(query);
      const cursor = cursors.cursorFor(key, current);
      if (cursor !== undefined) pageQuery.set('cursor', cursor);
      const result = await apiFetch<Page<T>>(path, { query: pageQuery, signal });
      cursors.record(key, current, result.nextCursor);
      if (current === target) {
        return {
          data: result.data,
          pageInfo: { hasNextPage: result.nextCursor !== null, hasPreviousPage: target > 1 },
        };
      }
      if (result.nextCursor === null) {
        // The list ends before the requested page.
        return { data: [], pageInfo: { hasNextPage: false, hasPreviousPage: target > 1 } };
      }
      current += 1;
    }
  }

  function referencePath(resource: string, params: GetManyReferenceParams): string | null {
    if (
      (ACCOUNT_RELATED_RESOURCES as readonly string[]).includes(resource) &&
      params.target === 'accountId'
    ) {
      return `/accounts/${segment(params.id)}/${resource}`;
    }
    if (resource === 'messages' && params.target === 'conversationId') {
      const accountId: unknown = params.meta?.accountId ?? params.filter?.accountId;
      if (typeof accountId !== 'string' && typeof accountId !== 'number') return null;
      return `/accounts/${segment(accountId)}/conversations/${segment(params.id)}/messages`;
    }
    return null;
  }

  return {
    supportAbortSignal: true,

    getList: (resource: string, params: GetListParams) => {
      if (resource !== 'accounts') return notSupported('getList', resource);
      const query = buildAccountQuery({
        filter: params.filter,
        sort: params.sort,
        perPage: params.pagination?.perPage,
      });
      return fetchPage('/accounts', query, params.pagination?.page ?? 1, params.signal);
    },

    getOne: async <R extends RaRecord>(resource: string, params: GetOneParams<R> & QueryFunctionContext) => {
      if (resource !== 'accounts') return notSupported('getOne', resource);
      const data = await apiFetch<R>(`/accounts/${segment(params.id)}`, { signal: params.signal });
      return { data };
    },

    getMany: async <R extends RaRecord>(
      resource: string,
      params: GetManyParams<R> & QueryFunctionContext,
    ) => {
      if (resource !== 'accounts') return notSupported('getMany', resource);
      const data = await Promise.all(
        params.ids.map((id) => apiFetch<R>(`/accounts/${segment(id)}`, { signal: params.signal })),
      );
      return { data };
    },

    getManyReference: (resource, params) => {
      const path = referencePath(resource, params);
      if (!path) return notSupported(`getManyReference by ${params.target}`, resource);
      // Related lists take no sort or filter: only the page size and the cursor.
      const query = new URLSearchParams({ limit: String(pageLimit(params.pagination.perPage)) });
      return fetchPage(path, query, params.pagination.page, params.signal);
    },

    create: (resource) => notSupported('create', resource),
    update: (resource) => notSupported('update', resource),
    updateMany: (resource) => notSupported('updateMany', resource),
    delete: (resource) => notSupported('delete', resource),
    deleteMany: (resource) => notSupported('deleteMany', resource),
  };
}

export const dataProvider = createDataProvider();
