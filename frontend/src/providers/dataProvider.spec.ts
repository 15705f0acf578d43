import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataProvider, GetListParams } from 'react-admin';
import { buildAccountQuery, createDataProvider } from './dataProvider';

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

describe('dataProvider', () => {
  let dataProvider: DataProvider;

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

  it('refuses writes until operations exist', async () => {
    const calls = stubApi(() => ({ body: {} }));

    await expect(
      dataProvider.update('accounts', { id: 'a1', data: {}, previousData: { id: 'a1' } }),
    ).rejects.toThrow(/not supported/);
    expect(calls).toHaveLength(0);
  });
});
