import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GetListParams } from 'react-admin';
import {
  auditDateBound,
  auditExportUrl,
  buildAccountQuery,
  buildAuditFilterQuery,
  createDataProvider,
  type CustodianDataProvider,
} from './dataProvider';

interface Call {
  path: string;
  query: URLSearchParams;
  init: RequestInit | undefined;
}

/** A fetch stub that answers every list request with a page of two and a cursor to the next. */
function stubApi(respond: (call: Call) => { status?: number; body: unknown }) {
  const calls: Call[] = [];
  const fetchStub = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://console.test');
    const call = { path: url.pathname, query: url.searchParams, init };
    calls.push(call);
    const { status = 200, body } = respond(call);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchStub);
  return calls;
}

/** Pages of a pretend list: page n is fetched with cursor `c<n>`, the list has `pages` pages. */
const pagedList = (pages: number) => (call: Call) => {
  const cursor = call.query.get('cursor');
  const page = cursor ? Number(cursor.slice(1)) : 1;
  return {
    body: {
      data: [{ id: `row-${page}` }],
      nextCursor: page < pages ? `c${page + 1}` : null,
    },
  };
};

const listParams = (page: number, filter: Record<string, unknown> = {}): GetListParams => ({
  pagination: { page, perPage: 25 },
  sort: { field: 'handle', order: 'ASC' },
  filter,
});

describe('buildAccountQuery', () => {
  it('maps known filters, sortable fields and the page size to query parameters', () => {
    const query = buildAccountQuery({
      filter: { q: '  alice ', status: 'active', plan: 'pro', region: 'EU', email: 'a@b.test', phone: '' },
      sort: { field: 'lastLoginAt', order: 'DESC' },
      perPage: 50,
    });
    expect(Object.fromEntries(query)).toEqual({
      q: 'alice',
      status: 'active',
      plan: 'pro',
      region: 'EU',
      email: 'a@b.test',
      sort: 'lastLoginAt',
      order: 'desc',
      limit: '50',
    });
  });

  it('drops unknown filters and unsortable fields and caps the limit at 100', () => {
    const query = buildAccountQuery({
      filter: { displayName: 'Alice', dateOfBirth: '1990', status: undefined },
      sort: { field: 'email', order: 'ASC' },
      perPage: 500,
    });
    expect(Object.fromEntries(query)).toEqual({ limit: '100' });
  });
});

describe('audit filters', () => {
  it('sends the known filters, trimmed, and drops the rest', () => {
    const query = buildAuditFilterQuery({
      actorEmail: ' engineer@demo.test ',
      action: 'account.',
      targetType: 'account',
      targetId: 'a1',
      outcome: 'denied',
      q: 'refund',
      seq: 4,
      actorId: '',
    });
    expect(Object.fromEntries(query)).toEqual({
      actorEmail: 'engineer@demo.test',
      action: 'account.',
      targetType: 'account',
      targetId: 'a1',
      outcome: 'denied',
      q: 'refund',
    });
  });

  it("reads a date range as whole days of the reader's time zone, the last one included", () => {
    expect(auditDateBound('2026-03-01', 'from')).toBe(new Date(2026, 2, 1).toISOString());
    expect(auditDateBound('2026-03-31', 'to')).toBe(new Date(2026, 3, 1).toISOString());
    expect(auditDateBound('2026-03-01T10:00:00.000Z', 'to')).toBe('2026-03-01T10:00:00.000Z');
    const query = buildAuditFilterQuery({ from: '2026-03-01', to: '2026-03-02' });
    expect(query.get('from')).toBe(new Date(2026, 2, 1).toISOString());
    expect(query.get('to')).toBe(new Date(2026, 2, 3).toISOString());
  });

  it('builds export links with the same filters and the format', () => {
    const url = new URL(
      auditExportUrl({ actorEmail: 'auditor@demo.test', outcome: 'success' }, 'csv'),
      'http://x',
    );
    expect(url.pathname).toBe('/api/audit-events/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      actorEmail: 'auditor@demo.test',
      outcome: 'success',
      format: 'csv',
    });
  });
});

describe('dataProvider', () => {
  let dataProvider: CustodianDataProvider;

  beforeEach(() => {
    dataProvider = createDataProvider();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('follows the cursor of the previous page forwards and back', async () => {
    const calls = stubApi(pagedList(3));

    const first = await dataProvider.getList('accounts', listParams(1));
    const second = await dataProvider.getList('accounts', listParams(2));
    const third = await dataProvider.getList('accounts', listParams(3));
    const backToSecond = await dataProvider.getList('accounts', listParams(2));
    await dataProvider.getList('accounts', listParams(1));

    expect(calls.map((call) => call.query.get('cursor'))).toEqual([null, 'c2', 'c3', 'c2', null]);
    expect(first.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
    expect(second.data).toEqual([{ id: 'row-2' }]);
    expect(third.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    expect(backToSecond.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true });
    expect(first.total).toBeUndefined();
    expect(calls[0]?.path).toBe('/api/accounts');
    expect(calls[0]?.init?.credentials).toBe('include');
  });

  it('keeps cursors apart per filter, so a new filter starts again at page 1', async () => {
    const calls = stubApi(pagedList(5));

    await dataProvider.getList('accounts', listParams(1, { status: 'active' }));
    await dataProvider.getList('accounts', listParams(2, { status: 'active' }));
    await dataProvider.getList('accounts', listParams(1, { status: 'suspended' }));
    await dataProvider.getList('accounts', listParams(3, { status: 'active' }));

    expect(calls.map((call) => [call.query.get('status'), call.query.get('cursor')])).toEqual([
      ['active', null],
      ['active', 'c2'],
      ['suspended', null],
      ['active', 'c3'],
    ]);
  });

  it('walks forward from page 1 when asked for a page whose cursor it does not know', async () => {
    const calls = stubApi(pagedList(5));

    const result = await dataProvider.getList('accounts', listParams(3));

    expect(calls.map((call) => call.query.get('cursor'))).toEqual([null, 'c2', 'c3']);
    expect(result.data).toEqual([{ id: 'row-3' }]);

    const beyondTheEnd = await createDataProvider().getList('accounts', listParams(9));
    expect(beyondTheEnd).toEqual({ data: [], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
  });

  it('reads related lists under the account, and messages under their conversation', async () => {
    const calls = stubApi(pagedList(2));
    const reference = { pagination: { page: 2, perPage: 10 }, sort: { field: 'id', order: 'DESC' as const } };

    await dataProvider.getManyReference('payment-methods', {
      ...reference,
      target: 'accountId',
      id: 'a/1',
      filter: {},
    });
    await dataProvider.getManyReference('messages', {
      ...reference,
      target: 'conversationId',
      id: 'c9',
      filter: {},
      meta: { accountId: 'a1' },
    });

    expect(calls.map((call) => `${call.path}?${call.query.toString()}`)).toEqual([
      '/api/accounts/a%2F1/payment-methods?limit=10',
      '/api/accounts/a%2F1/payment-methods?limit=10&cursor=c2',
      '/api/accounts/a1/conversations/c9/messages?limit=10',
      '/api/accounts/a1/conversations/c9/messages?limit=10&cursor=c2',
    ]);
  });

  it("rejects with the API's error message and status", async () => {
    stubApi(() => ({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: ['status must be one of active, suspended, closed', 'cursor is invalid'],
      },
    }));

    await expect(dataProvider.getList('accounts', listParams(1, { status: 'gone' }))).rejects.toMatchObject({
      message: 'status must be one of active, suspended, closed; cursor is invalid',
      status: 400,
    });
  });

  it('reads the audit log and change requests with their own filters and cursors', async () => {
    const calls = stubApi(pagedList(2));

    await dataProvider.getList(
      'audit-events',
      listParams(2, { actorEmail: 'engineer@demo.test', handle: 'x' }),
    );
    await dataProvider.getList('change-requests', listParams(1, { status: 'pending' }));
    await dataProvider.getList('change-requests', listParams(1, { status: 'bogus' }));
    await dataProvider.getOne('audit-events', { id: 'e/1' });
    await dataProvider.getManyReference('history', {
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'id', order: 'DESC' },
      target: 'accountId',
      id: 'a1',
      filter: {},
    });

    expect(calls.map((call) => `${call.path}?${call.query.toString()}`)).toEqual([
      '/api/audit-events?actorEmail=engineer%40demo.test&limit=25',
      '/api/audit-events?actorEmail=engineer%40demo.test&limit=25&cursor=c2',
      '/api/change-requests?status=pending&limit=25',
      '/api/change-requests?limit=25',
      '/api/audit-events/e%2F1?',
      '/api/accounts/a1/history?limit=10',
    ]);
  });

  it('reads “My requests” as the change requests the person filed, at the same routes', async () => {
    const calls = stubApi(pagedList(1));

    await dataProvider.getList('my-change-requests', listParams(1, {}));
    await dataProvider.getList('my-change-requests', listParams(1, { status: 'pending' }));
    await dataProvider.getOne('my-change-requests', { id: 'cr/1' });
    await dataProvider.getMany('my-change-requests', { ids: ['cr2'] });

    expect(calls.map((call) => `${call.path}?${call.query.toString()}`)).toEqual([
      '/api/change-requests?mine=true&limit=25',
      '/api/change-requests?status=pending&mine=true&limit=25',
      '/api/change-requests/cr%2F1?',
      '/api/change-requests/cr2?',
    ]);
  });

  it('leaves out of a getMany the records answered as not there or not readable, and keeps the rest', async () => {
    const refusal = (status: number) => ({ status, body: { statusCode: status, error: 'x', message: 'no' } });
    stubApi(({ path }) => {
      if (path.endsWith('/gone')) return refusal(404);
      if (path.endsWith('/hidden')) return refusal(403);
      return { body: { id: path.split('/').pop(), handle: 'h' } };
    });

    const result = await dataProvider.getMany('accounts', { ids: ['a1', 'gone', 'hidden', 'a2'] });

    expect(result.data).toEqual([
      { id: 'a1', handle: 'h' },
      { id: 'a2', handle: 'h' },
    ]);
  });

  it('fails the whole getMany when an answer is about the session or the server, not one record', async () => {
    for (const status of [401, 429, 500]) {
      stubApi(({ path }) =>
        path.endsWith('/a2')
          ? { status, body: { statusCode: status, error: 'x', message: `answered ${status}` } }
          : { body: { id: 'a1' } },
      );
      await expect(dataProvider.getMany('accounts', { ids: ['a1', 'a2'] })).rejects.toMatchObject({ status });
    }
  });

  it('sends reveals, operations and decisions as JSON posts to their routes', async () => {
    const calls = stubApi(({ path }) => ({
      body: path.endsWith('/reveal')
        ? { values: { phone: '+15551234' }, expiresAt: '2026-01-01T00:15:00Z' }
        : { status: 'preview', changes: {} },
    }));

    const revealed = await dataProvider.reveal('a1', { fields: ['phone'], reason: 'caller verified' });
    await dataProvider.runOperation(
      'a1',
      'change-plan',
      { reason: 'customer upgrade', expectedVersion: 3, plan: 'pro' },
      { dryRun: true },
    );
    await dataProvider.runOperation('a1', 'change-plan', { reason: 'customer upgrade', expectedVersion: 3 });
    await dataProvider.approveChangeRequest('cr1', '  ');
    await dataProvider.rejectChangeRequest('cr1', ' wrong account ');

    expect(revealed.values).toEqual({ phone: '+15551234' });
    expect(
      calls.map((call) => [
        call.init?.method,
        `${call.path}${call.query.size ? `?${call.query.toString()}` : ''}`,
        JSON.parse(String(call.init?.body)),
      ]),
    ).toEqual([
      ['POST', '/api/accounts/a1/reveal', { fields: ['phone'], reason: 'caller verified' }],
      [
        'POST',
        '/api/accounts/a1/operations/change-plan?dryRun=true',
        { reason: 'customer upgrade', expectedVersion: 3, plan: 'pro' },
      ],
      ['POST', '/api/accounts/a1/operations/change-plan', { reason: 'customer upgrade', expectedVersion: 3 }],
      ['POST', '/api/change-requests/cr1/approve', {}],
      ['POST', '/api/change-requests/cr1/reject', { comment: 'wrong account' }],
    ]);
  });

  it('refuses generic writes: changes go through named operations', async () => {
    const calls = stubApi(() => ({ body: {} }));

    await expect(
      dataProvider.update('accounts', { id: 'a1', data: {}, previousData: { id: 'a1' } }),
    ).rejects.toThrow(/not supported/);
    expect(calls).toHaveLength(0);
  });
});
