/**
 * react-admin data provider for the Custodian API (API.md).
 *
 * Lists are cursor-paged without a total, so results carry `pageInfo` (partial pagination) and
 * a CursorBook maps react-admin's page numbers to the API's cursors. There is no generic write:
 * every change goes through a named method below (reveal, operations, decisions on change
 * requests), each of which the server authorizes, validates and audits on its own.
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
import {
  ACCOUNT_SORT_FIELDS,
  CHANGE_REQUEST_STATUSES,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  type AuditVerification,
  type Page,
  type RevealRequest,
  type RevealResponse,
} from '@custodian/shared';
import { apiFetch, statusOf } from './http';
import { CursorBook } from './cursorBook';
import type {
  ApplyResult,
  CustodianPolicy,
  OperationCatalogue,
  OperationResult,
  OperationRequestBody,
} from './contracts';

/** Filters of `GET /api/accounts` passed through as query parameters; others are dropped. */
export const ACCOUNT_FILTER_PARAMS = ['q', 'status', 'plan', 'region', 'email', 'phone'] as const;

/** Filters of `GET /api/audit-events` (and of its export) passed through as query parameters. */
export const AUDIT_FILTER_PARAMS = [
  'actorId',
  'actorEmail',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'from',
  'to',
  'q',
] as const;

/** Lists under `/api/accounts/:id/`, fetched with getManyReference and target `accountId`. */
export const ACCOUNT_RELATED_RESOURCES = [
  'payment-methods',
  'conversations',
  'notes',
  'sessions',
  'history',
] as const;

/**
 * Resources read with `GET /api/<resource>` and `GET /api/<resource>/:id`. (Staff and tokens
 * have data providers of their own next to their pages.)
 */
const READABLE_RESOURCES = ['accounts', 'audit-events', 'change-requests', 'my-change-requests'] as const;
type ReadableResource = (typeof READABLE_RESOURCES)[number];

/**
 * The API path of a readable resource. "My requests" is the change requests the signed-in person
 * filed: the same records at the same path, listed with `mine=true`.
 */
function apiPath(resource: ReadableResource): string {
  return resource === 'my-change-requests' ? '/change-requests' : `/${resource}`;
}

const isReadable = (resource: string): resource is ReadableResource =>
  (READABLE_RESOURCES as readonly string[]).includes(resource);

const isAccountSortField = (field: string): boolean =>
  (ACCOUNT_SORT_FIELDS as readonly string[]).includes(field);

const segment = (id: Identifier): string => encodeURIComponent(String(id));

export function pageLimit(perPage: number | undefined): number {
  if (!perPage || !Number.isFinite(perPage)) return PAGE_LIMIT_DEFAULT;
  return Math.min(PAGE_LIMIT_MAX, Math.max(1, Math.floor(perPage)));
}

/** A filter value as a trimmed query string, or undefined for nothing worth sending. */
function filterText(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const value = String(raw).trim();
  return value === '' ? undefined : value;
}

/** Query parameters of `GET /api/accounts`, without the cursor. */
export function buildAccountQuery(params: {
  filter?: Record<string, unknown>;
  sort?: SortPayload;
  perPage?: number;
}): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of ACCOUNT_FILTER_PARAMS) {
    const value = filterText(params.filter?.[name]);
    if (value !== undefined) query.set(name, value);
  }
  if (params.sort && isAccountSortField(params.sort.field)) {
    query.set('sort', params.sort.field);
    query.set('order', params.sort.order === 'DESC' ? 'desc' : 'asc');
  }
  query.set('limit', String(pageLimit(params.perPage)));
  return query;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date range bound as the API's ISO timestamp. A bare date (from a date picker) means that
 * day in the reader's time zone; the upper bound is inclusive for the reader but exclusive for
 * the API, so `to` moves to the start of the next day.
 */
export function auditDateBound(value: string, bound: 'from' | 'to'): string {
  const day = DATE_ONLY.exec(value);
  if (!day) return value;
  const date = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + (bound === 'to' ? 1 : 0));
  return date.toISOString();
}

/**
 * Query parameters of `GET /api/audit-events` and its export, without cursor or limit: the
 * known filters, trimmed, with the date range turned into timestamps.
 */
export function buildAuditFilterQuery(filter: Record<string, unknown> = {}): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of AUDIT_FILTER_PARAMS) {
    const value = filterText(filter[name]);
    if (value === undefined) continue;
    query.set(name, name === 'from' || name === 'to' ? auditDateBound(value, name) : value);
  }
  return query;
}

/** Where the browser downloads the audit events matching `filter` (the session cookie goes along). */
export function auditExportUrl(filter: Record<string, unknown>, format: 'csv' | 'jsonl'): string {
  const query = buildAuditFilterQuery(filter);
  query.set('format', format);
  return `/api/audit-events/export?${query.toString()}`;
}

/** Query parameters of a list other than accounts, without the cursor. */
function buildListQuery(resource: ReadableResource, params: GetListParams): URLSearchParams {
  const limit = String(pageLimit(params.pagination?.perPage));
  if (resource === 'accounts') {
    return buildAccountQuery({
      filter: params.filter,
      sort: params.sort,
      perPage: params.pagination?.perPage,
    });
  }
  if (resource === 'audit-events') {
    const query = buildAuditFilterQuery(params.filter);
    query.set('limit', limit);
    return query;
  }
  // change-requests: filtered by status only; the person's own ones with mine=true.
  const query = new URLSearchParams();
  const status = filterText(params.filter?.status);
  if (status && (CHANGE_REQUEST_STATUSES as readonly string[]).includes(status)) query.set('status', status);
  if (resource === 'my-change-requests') query.set('mine', 'true');
  query.set('limit', limit);
  return query;
}

/**
 * Answers about one record rather than about the reader or the server: that id is malformed, not
 * there, or not theirs to read. The other records of the batch are still worth showing.
 */
const RECORD_UNREADABLE = new Set([400, 403, 404]);

/**
 * The records of a getMany whose ids were fetched one by one. An id answered with a
 * record-level refusal is left out, so that react-admin shows that one reference as missing
 * (a ReferenceField's `empty`) instead of failing every row that shares the batch. Anything else
 * (a sign-in that ended, a rate limit, an abort, a server down) still fails the whole batch: it
 * is not about that record, and the auth provider must see a sign-in that ended.
 */
function readableRecords<R>(answers: readonly PromiseSettledResult<R>[]): R[] {
  const records: R[] = [];
  for (const answer of answers) {
    if (answer.status === 'fulfilled') records.push(answer.value);
    else if (!RECORD_UNREADABLE.has(statusOf(answer.reason) ?? 0)) throw answer.reason;
  }
  return records;
}

function notSupported(method: string, resource: string): Promise<never> {
  return Promise.reject(
    new Error(`"${method}" on ${resource} is not supported: changes go through named operations.`),
  );
}

export interface CustodianDataProviderOptions {
  /** How many distinct list queries keep their page cursors. */
  maxCursorQueries?: number;
}

/** The named, audited actions of the API next to react-admin's read methods. */
export interface CustodianDataProvider extends DataProvider {
  reveal(accountId: Identifier, request: RevealRequest): Promise<RevealResponse>;
  getOperations(): Promise<OperationCatalogue>;
  runOperation(
    accountId: Identifier,
    operation: string,
    body: OperationRequestBody,
    options?: { dryRun?: boolean },
  ): Promise<OperationResult>;
  approveChangeRequest(id: Identifier, comment?: string): Promise<ApplyResult>;
  rejectChangeRequest(id: Identifier, comment: string): Promise<unknown>;
  verifyAuditChain(): Promise<AuditVerification>;
  getPolicy(): Promise<CustodianPolicy>;
  runBulkOperation(body: BulkOperationRequest, options: { dryRun: true }): Promise<BulkPreview>;
  runBulkOperation(body: BulkOperationRequest, options?: { dryRun?: false }): Promise<BulkRequested>;
  getBulkOperation(id: Identifier, signal?: AbortSignal): Promise<BulkProgress>;
}

/** The body of `POST /api/bulk-operations`. */
export interface BulkOperationRequest {
  operation: string;
  accountIds: string[];
  params: Record<string, unknown>;
  reason: string;
  ticket?: string;
}

/** One account of a bulk operation: what would change, or why it is skipped. */
export interface BulkItem {
  accountId: string;
  changes?: Record<string, { before: unknown; after: unknown }>;
  skip?: string;
}

interface BulkSummary {
  total: number;
  applicable: number;
  skipped: number;
  items: BulkItem[];
}

/** `POST /api/bulk-operations?dryRun=true` (200). */
export interface BulkPreview extends BulkSummary {
  status: 'preview';
}

/** `POST /api/bulk-operations` (202): a change request waits for a second person. */
export interface BulkRequested extends BulkSummary {
  status: 'pending_approval';
  changeRequestId: string;
}

/** `GET /api/bulk-operations/:id`. */
export interface BulkProgress {
  id: string;
  operation: string;
  status: string;
  total: number;
  pending: number;
  applied: number;
  skipped: number;
  failed: number;
}

export function createDataProvider(options: CustodianDataProviderOptions = {}): CustodianDataProvider {
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
      if (!isReadable(resource)) return notSupported('getList', resource);
      const query = buildListQuery(resource, params);
      return fetchPage(apiPath(resource), query, params.pagination?.page ?? 1, params.signal);
    },

    getOne: async <R extends RaRecord>(resource: string, params: GetOneParams<R> & QueryFunctionContext) => {
      if (!isReadable(resource)) return notSupported('getOne', resource);
      const data = await apiFetch<R>(`${apiPath(resource)}/${segment(params.id)}`, { signal: params.signal });
      return { data };
    },

    getMany: async <R extends RaRecord>(
      resource: string,
      params: GetManyParams<R> & QueryFunctionContext,
    ) => {
      if (!isReadable(resource)) return notSupported('getMany', resource);
      const answers = await Promise.allSettled(
        params.ids.map((id) => apiFetch<R>(`${apiPath(resource)}/${segment(id)}`, { signal: params.signal })),
      );
      return { data: readableRecords(answers) };
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

    reveal: (accountId, request) =>
      apiFetch<RevealResponse>(`/accounts/${segment(accountId)}/reveal`, { method: 'POST', body: request }),

    getOperations: () => apiFetch<OperationCatalogue>('/operations'),

    runOperation: (accountId, operation, body, { dryRun = false } = {}) =>
      apiFetch<OperationResult>(`/accounts/${segment(accountId)}/operations/${segment(operation)}`, {
        method: 'POST',
        body,
        query: dryRun ? new URLSearchParams({ dryRun: 'true' }) : undefined,
      }),

    approveChangeRequest: (id, comment) =>
      apiFetch<ApplyResult>(`/change-requests/${segment(id)}/approve`, {
        method: 'POST',
        body: comment?.trim() ? { comment: comment.trim() } : {},
      }),

    rejectChangeRequest: (id, comment) =>
      apiFetch(`/change-requests/${segment(id)}/reject`, {
        method: 'POST',
        body: { comment: comment.trim() },
      }),

    verifyAuditChain: () => apiFetch<AuditVerification>('/audit-events/verify'),

    getPolicy: () => apiFetch<CustodianPolicy>('/policy'),

    runBulkOperation: ((body: BulkOperationRequest, { dryRun = false }: { dryRun?: boolean } = {}) =>
      apiFetch<BulkPreview | BulkRequested>('/bulk-operations', {
        method: 'POST',
        body,
        query: dryRun ? new URLSearchParams({ dryRun: 'true' }) : undefined,
      })) as CustodianDataProvider['runBulkOperation'],

    getBulkOperation: (id, signal) => apiFetch<BulkProgress>(`/bulk-operations/${segment(id)}`, { signal }),
  };
}

export const dataProvider = createDataProvider();
