import { isCompleteEmail, isE164, type AccountSummary, type Page } from '@custodian/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountEntity } from '../../src/accounts/account.entity';
import { QueryFailedError } from 'typeorm';
import { findAccount, updateAccountAtVersion } from '../../src/accounts/account.sql';
import { namedQuery } from '../../src/database/named-query';
import { buildAccount, insertAccounts, insertRelated } from '../factories/account.factory';
import { startTestApp, type SignedIn, type TestApp } from './harness';

let t: TestApp;
let support: SignedIn;
let accounts: AccountEntity[];

beforeAll(async () => {
  t = await startTestApp();
  support = await t.signIn('support');
  const sameInstant = new Date(Date.UTC(2023, 5, 1, 12, 0, 0));
  accounts = [
    buildAccount({
      handle: 'maria.schmidt',
      displayName: 'Maria Schmidt',
      email: 'maria.schmidt@example.com',
    }),
    buildAccount({ handle: 'jo', displayName: 'Jo Short', status: 'suspended', plan: 'pro', region: 'US' }),
    buildAccount({
      handle: 'kenji.tanaka',
      displayName: 'Kenji Tanaka',
      region: 'APAC',
      phone: '+81312345678',
    }),
    // Several accounts share one created_at and last_login_at, so paging must break ties by id.
    ...Array.from({ length: 12 }, (_, i) =>
      buildAccount({ createdAt: sameInstant, lastLoginAt: i % 3 === 0 ? null : sameInstant, plan: 'plus' }),
    ),
    ...Array.from({ length: 20 }, (_, i) =>
      buildAccount({ lastLoginAt: new Date(Date.UTC(2025, 1, 1) + i * 3_600_000), status: 'closed' }),
    ),
  ];
  await insertAccounts(t.dataSource, accounts);
});

afterAll(async () => {
  await t?.close();
});

async function list(query: Record<string, string | number>): Promise<Page<AccountSummary>> {
  const res = await support.agent.get('/api/accounts').query(query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Page<AccountSummary>;
}

async function pageThrough(query: Record<string, string | number>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page: Page<AccountSummary> = await list(cursor ? { ...query, cursor } : query);
    ids.push(...page.data.map((a) => a.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('paging did not end');
}

function expectedOrder(key: (a: AccountEntity) => string | number, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...accounts]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return (a.id < b.id ? -1 : 1) * sign;
    })
    .map((a) => a.id);
}

describe('GET /api/health and the API document', () => {
  it('reports ok', async () => {
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('publishes the OpenAPI document', async () => {
    const res = await support.agent.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toContain('/api/accounts');
    expect(Object.keys(res.body.paths)).toContain('/api/accounts/{id}/conversations/{cid}/messages');
  });
});

describe('GET /api/accounts paging', () => {
  const cases = [
    { sort: 'createdAt', key: (a: AccountEntity) => a.createdAt.getTime() },
    { sort: 'handle', key: (a: AccountEntity) => a.handle },
    { sort: 'lastLoginAt', key: (a: AccountEntity) => a.lastLoginAt?.getTime() ?? 0 },
  ] as const;
  for (const { sort, key } of cases) {
    for (const order of ['asc', 'desc'] as const) {
      it(`visits every account exactly once, in ${sort} ${order} order, 7 at a time`, async () => {
        const ids = await pageThrough({ sort, order, limit: 7 });
        // Handles sort by the database collation; compare as a set for them and in order for times.
        if (sort === 'handle') expect(new Set(ids)).toEqual(new Set(accounts.map((a) => a.id)));
        else expect(ids).toEqual(expectedOrder(key, order));
        expect(ids).toHaveLength(accounts.length);
      });
    }
  }

  it('defaults to 25 newest first and says when there is no next page', async () => {
    const first = await list({});
    expect(first.data).toHaveLength(25);
    expect(first.data.map((a) => a.id)).toEqual(
      expectedOrder((a) => a.createdAt.getTime(), 'desc').slice(0, 25),
    );
    const second = await list({ cursor: first.nextCursor! });
    expect(second.data).toHaveLength(accounts.length - 25);
    expect(second.nextCursor).toBeNull();
  });

  it('tells browsers and proxies not to keep the answer', async () => {
    const res = await support.agent.get('/api/accounts').query({ limit: 1 });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
  });

  it('returns summaries built by the mapper, not entities', async () => {
    const { data } = await list({ q: 'maria.schmidt' });
    expect(data).toHaveLength(1);
    expect(Object.keys(data[0]!).sort()).toEqual(
      [
        'createdAt',
        'displayName',
        'email',
        'handle',
        'hidden',
        'id',
        'lastLoginAt',
        'masked',
        'phone',
        'plan',
        'region',
        'revealed',
        'status',
      ].sort(),
    );
  });
});

describe('GET /api/accounts filters and search', () => {
  it('filters by status, plan and region', async () => {
    expect((await list({ status: 'suspended' })).data.map((a) => a.handle)).toEqual(['jo']);
    expect((await list({ plan: 'plus', limit: 100 })).data).toHaveLength(12);
    expect((await list({ region: 'APAC' })).data.map((a) => a.handle)).toEqual(['kenji.tanaka']);
    expect((await list({ status: 'closed', limit: 100 })).data).toHaveLength(20);
  });

  it('finds by id, handle fragment and display-name fragment', async () => {
    const maria = accounts[0]!;
    expect((await list({ q: maria.id })).data.map((a) => a.id)).toEqual([maria.id]);
    expect((await list({ q: 'schmi' })).data.map((a) => a.id)).toEqual([maria.id]);
    expect((await list({ q: 'TANAKA' })).data.map((a) => a.handle)).toEqual(['kenji.tanaka']);
    // Fragments shorter than three characters only match a whole handle.
    expect((await list({ q: 'jo' })).data.map((a) => a.handle)).toEqual(['jo']);
  });

  it('finds names however they are typed: without accents, in other case, ß as ss', async () => {
    const [igor, jurgen, lukasz, anna] = await insertAccounts(t.dataSource, [
      buildAccount({ handle: 'igor.qovasz', displayName: 'Ígor Qóvász' }),
      buildAccount({ handle: 'jurgen.mqq', displayName: 'Jürgen Müllerqq' }),
      buildAccount({ handle: 'lukasz.wqq', displayName: 'Łukasz Wróbelqq' }),
      buildAccount({ handle: 'anna.sqq', displayName: 'Anna Straußqq' }),
    ]);
    const cases: [string, AccountEntity][] = [
      ['igor qov', igor!],
      ['QÓVÁSZ', igor!],
      ['mullerqq', jurgen!],
      ['Müllerqq', jurgen!],
      ['lukasz wrob', lukasz!],
      ['straussqq', anna!],
    ];
    // Both ways a fragment is searched: by recency (createdAt) and plainly (handle).
    for (const sort of ['createdAt', 'handle']) {
      for (const [q, expected] of cases) {
        expect(
          (await list({ q, sort })).data.map((a) => a.id),
          `${q} by ${sort}`,
        ).toEqual([expected.id]);
      }
    }
  });

  it('matches a full email or phone exactly and never a fragment of one', async () => {
    expect((await list({ q: 'Maria.Schmidt@Example.com' })).data.map((a) => a.handle)).toEqual([
      'maria.schmidt',
    ]);
    expect((await list({ email: 'MARIA.SCHMIDT@example.com' })).data.map((a) => a.handle)).toEqual([
      'maria.schmidt',
    ]);
    expect((await list({ q: '+81 3-1234-5678' })).data.map((a) => a.handle)).toEqual(['kenji.tanaka']);
    expect((await list({ phone: '+81 (3) 1234 5678' })).data.map((a) => a.handle)).toEqual(['kenji.tanaka']);
    expect((await list({ q: 'example.com' })).data).toEqual([]);
    expect((await list({ q: '12345678' })).data).toEqual([]);
  });

  it('accepts as an email or phone filter exactly what the console lets through (shared lookup rules)', async () => {
    // The console checks a filter with isCompleteEmail / isE164 before it sends it: an address
    // those accept must not come back as a 400 that the console told its user could not happen.
    for (const email of ['a@b.c', 'x+tag@sub.example.co']) {
      expect(isCompleteEmail(email)).toBe(true);
      expect((await list({ email })).data).toEqual([]);
    }
    expect(isE164('+8131234567')).toBe(true);
    expect((await list({ phone: '+8131234567' })).data).toEqual([]);
  });

  it('treats LIKE wildcards in q as plain characters', async () => {
    expect((await list({ q: '%%%' })).data).toEqual([]);
    expect((await list({ q: '___' })).data).toEqual([]);
  });
});

describe('GET /api/accounts rejects bad parameters with a 400 that names them', () => {
  const bad: [Record<string, string>, string][] = [
    [{ limit: '0' }, 'limit'],
    [{ limit: '1000' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ sort: 'password' }, 'sort'],
    // Personal fields are never a sort key: an order would leak them a comparison at a time.
    [{ sort: 'email' }, 'sort'],
    [{ sort: 'phone' }, 'sort'],
    [{ sort: 'dateOfBirth' }, 'sort'],
    // Nor a partial filter: email and phone match exactly or not at all.
    [{ email: 'maria.schmidt@' }, 'email'],
    [{ phone: '+4915' }, 'phone'],
    [{ order: 'sideways' }, 'order'],
    [{ status: 'deleted' }, 'status'],
    [{ plan: 'gold' }, 'plan'],
    [{ region: 'MARS' }, 'region'],
    [{ email: 'maria' }, 'email'],
    [{ email: '@example.com' }, 'email'],
    [{ phone: '1234' }, 'phone'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ cursor: Buffer.from('{"a":1}').toString('base64url') }, 'cursor'],
    [{ password: 'x' }, 'password'],
    // Text the database cannot hold as sent: named here, not left to the database's error.
    [{ q: 'maria\u0000' }, 'q'],
  ];
  for (const [query, name] of bad) {
    it(`${JSON.stringify(query)} → 400 naming ${name}`, async () => {
      const res = await support.agent.get('/api/accounts').query(query);
      expect(res.status).toBe(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      expect(JSON.stringify(res.body.message)).toContain(name);
    });
  }

  it('rejects a cursor made for another sort order', async () => {
    const page = await list({ sort: 'handle', limit: 2 });
    const res = await support.agent
      .get('/api/accounts')
      .query({ sort: 'createdAt', cursor: page.nextCursor! });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('cursor');
  });

  it('answers a forged cursor whose value is not a time with a 400, not a 500', async () => {
    const forged = Buffer.from(
      JSON.stringify(['createdAt:desc', 'not a time', '00000000-0000-0000-0000-000000000000']),
    ).toString('base64url');
    const res = await support.agent.get('/api/accounts').query({ cursor: forged });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/timestamp|syntax|select/i);
  });

  it('rejects repeated parameters', async () => {
    const res = await support.agent.get('/api/accounts?limit=1&limit=2');
    expect(res.status).toBe(400);
  });
});

describe('GET /api/accounts/:id and related lists', () => {
  it('returns the account detail', async () => {
    const maria = accounts[0]!;
    const res = await support.agent.get(`/api/accounts/${maria.id}`);
    expect(res.status).toBe(200);
    // Support sees personal data masked (the access spec covers every role and field).
    expect(res.body).toMatchObject({
      id: maria.id,
      handle: 'maria.schmidt',
      email: 'm***@example.com',
      address: { city: 'Berlin', country: 'DE' },
      creditBalanceCents: 0,
      version: 1,
    });
    expect(res.body.address.street).toBeUndefined();
    expect(res.body.masked.sort()).toEqual(['address', 'dateOfBirth', 'email', 'phone']);
    expect(res.body.hidden).toEqual(['lastLoginIp']);
  });

  it('answers a malformed id with 400 and an unknown one with 404', async () => {
    const malformed = await support.agent.get('/api/accounts/123');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toBe('id must be a UUID');
    const unknown = await support.agent.get('/api/accounts/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('pages through each related list and checks that it belongs to the account', async () => {
    const owner = accounts[2]!;
    const other = accounts[3]!;
    const related = await insertRelated(t.dataSource, owner.id, 5);
    for (const path of ['payment-methods', 'conversations', 'notes', 'sessions']) {
      const first = await support.agent.get(`/api/accounts/${owner.id}/${path}?limit=3`);
      expect(first.status).toBe(200);
      expect(first.body.data).toHaveLength(3);
      const rest = await support.agent.get(
        `/api/accounts/${owner.id}/${path}?limit=3&cursor=${first.body.nextCursor}`,
      );
      expect(rest.body.data).toHaveLength(2);
      expect(rest.body.nextCursor).toBeNull();
      const times = [...first.body.data, ...rest.body.data].map((r: { createdAt: string }) => r.createdAt);
      expect(times).toEqual([...times].sort().reverse());
      expect((await support.agent.get(`/api/accounts/${other.id}/${path}`)).body.data).toEqual([]);
      expect(
        (await support.agent.get(`/api/accounts/00000000-0000-4000-8000-000000000000/${path}`)).status,
      ).toBe(404);
    }
    const conversation = related.conversations[0]!;
    const messages = await support.agent.get(
      `/api/accounts/${owner.id}/conversations/${conversation.id}/messages`,
    );
    expect(messages.status).toBe(200);
    // Private messages are withheld until revealed with a reason.
    expect(messages.body.data.map((m: { hidden: string[] }) => m.hidden)).toEqual([['body'], ['body']]);
    const reveal = await support.agent
      .post(`/api/accounts/${owner.id}/reveal`)
      .send({ fields: ['conversations'], reason: 'customer reported abuse in ticket' });
    expect(reveal.status).toBe(200);
    const revealed = await support.agent.get(
      `/api/accounts/${owner.id}/conversations/${conversation.id}/messages`,
    );
    expect(revealed.body.data.map((m: { body: string }) => m.body)).toEqual([
      'message 0 of conversation 0',
      'message 1 of conversation 0',
    ]);
    const elsewhere = await support.agent.get(
      `/api/accounts/${other.id}/conversations/${conversation.id}/messages`,
    );
    expect(elsewhere.status).toBe(404);
    const badCid = await support.agent.get(`/api/accounts/${owner.id}/conversations/nope/messages`);
    expect(badCid.status).toBe(400);
    expect(badCid.body.message).toBe('cid must be a UUID');
  });
});

describe('errors', () => {
  it('answers an unknown API route with the contract error shape', async () => {
    const res = await support.agent.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it.each([
    ['malformed JSON', 'application/json', '{"oops":', 400, 'Bad Request', 'request body is not valid JSON'],
    [
      'JSON that would set an object prototype',
      'application/json',
      '{"email":"a@b.test","password":"x","__proto__":{"admin":true}}',
      400,
      'Bad Request',
      'request body is not valid JSON',
    ],
    [
      'a body over 1 MB',
      'application/json',
      JSON.stringify({ email: 'a'.repeat(1_100_000) }),
      413,
      'Payload Too Large',
      'request body is too large',
    ],
    [
      'an XML body',
      'application/xml',
      '<a/>',
      415,
      'Unsupported Media Type',
      'request body must be JSON (Content-Type: application/json)',
    ],
    // A cross-site HTML form can send these two without a preflight: a sign-in by form would be a
    // login CSRF.
    [
      'a form-encoded body',
      'application/x-www-form-urlencoded',
      'email=support%40demo.test&password=demo-password',
      415,
      'Unsupported Media Type',
      'request body must be JSON (Content-Type: application/json)',
    ],
    [
      'JSON sent as plain text',
      'text/plain',
      '{"email":"support@demo.test","password":"demo-password"}',
      415,
      'Unsupported Media Type',
      'request body must be JSON (Content-Type: application/json)',
    ],
    [
      'a body nested 5,000 levels deep',
      'application/json',
      `{"email":"a@b.test","password":"x","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      400,
      'Bad Request',
      ['request body nests deeper than 32 levels'],
    ],
    [
      'a NUL in a field',
      'application/json',
      '{"email":"a\\u0000@b.test","password":"x"}',
      400,
      'Bad Request',
      ['email must be text without NUL characters or lone surrogates'],
    ],
  ])(
    'answers %s with %i in its own words, never a 500',
    async (_what, type, body, statusCode, error, message) => {
      const res = await support.agent.post('/api/auth/login').set('content-type', type).send(body);
      expect(res.status).toBe(statusCode);
      expect(res.body).toEqual({ statusCode, error, message });
    },
  );

  it('answers a badly encoded URL with 400, not 500', async () => {
    const res = await support.agent.get('/api/accounts/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the URL is not correctly encoded',
    });
  });

  it('sends the security headers and no-store on every API answer, errors included', async () => {
    for (const res of [
      await support.agent.get('/api/accounts?limit=1'),
      await support.agent.get('/api/nothing-here'),
      await support.agent.get('/api/accounts/%E0%A4%A'),
    ]) {
      expect(res.headers).toMatchObject({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers.etag).toBeUndefined();
    }
  });

  it('matches routes without regard to case or a trailing slash, as before', async () => {
    const res = await support.agent.get('/API/Accounts/?limit=1');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
  });
});

describe('GET /api/accounts name-fragment search, newest or oldest first', () => {
  // A fragment search first walks the accounts near the page's edge (a share of the time all
  // accounts span) and reads every match only when that walk finds less than a page. The fixture
  // has both: a dense run of matches (with a shared created_at across a page boundary) near the
  // newest end, and matches years apart that no walk from a neighbour reaches.
  const tie = new Date(Date.UTC(2024, 0, 2, 5));
  const matching = [
    ...Array.from({ length: 14 }, (_, i) =>
      buildAccount({
        handle: `ada.okonkwo${i}`,
        displayName: `Ada Okonkwo ${i}`,
        createdAt: i < 6 ? tie : new Date(Date.UTC(2024, 0, 2) + i * 3_600_000),
        status: i % 3 === 0 ? 'suspended' : 'active',
      }),
    ),
    ...Array.from({ length: 8 }, (_, i) =>
      buildAccount({
        displayName: `Chidi OKONKWO`,
        createdAt: new Date(Date.UTC(2008 + i * 2, 3, 1)),
        status: i % 3 === 0 ? 'suspended' : 'active',
      }),
    ),
    // Matched by the handle alone; near the newest end, so the first step is the one that finds it.
    buildAccount({
      handle: 'okonkwo_fan',
      displayName: 'Pat Lee',
      createdAt: new Date(Date.UTC(2024, 0, 3)),
    }),
  ];

  // A long fragment matching more accounts than are read before deciding it is common (200):
  // most near the newest end, the rest spread over the years.
  const many = Array.from({ length: 230 }, (_, i) =>
    buildAccount({
      displayName: `Bo Lindqvist ${i}`,
      createdAt:
        i < 180
          ? new Date(Date.UTC(2024, 0, 5) + i * 60_000)
          : new Date(Date.UTC(2008, 0, 1) + (i - 180) * 90 * 86_400_000),
    }),
  );

  beforeAll(async () => {
    await insertAccounts(t.dataSource, [...matching, ...many]);
  });

  function newestFirst(subset: AccountEntity[], order: 'asc' | 'desc'): string[] {
    const sign = order === 'asc' ? 1 : -1;
    return [...subset]
      .sort((a, b) => {
        const d = a.createdAt.getTime() - b.createdAt.getTime();
        return (d !== 0 ? d : a.id < b.id ? -1 : 1) * sign;
      })
      .map((a) => a.id);
  }

  for (const order of ['desc', 'asc'] as const) {
    it(`pages through every match once, in createdAt ${order} order, 4 at a time`, async () => {
      const ids = await pageThrough({ q: 'okonkw', sort: 'createdAt', order, limit: 4 });
      expect(ids).toEqual(newestFirst(matching, order));
    });

    it(`applies the other filters to both steps (createdAt ${order})`, async () => {
      const ids = await pageThrough({ q: 'Okonkw', status: 'suspended', sort: 'createdAt', order, limit: 2 });
      const suspended = matching.filter((a) => a.status === 'suspended');
      expect(suspended.length).toBeGreaterThan(4);
      expect(ids).toEqual(newestFirst(suspended, order));
    });
  }

  it('pages through a long fragment whether it matches more or fewer accounts than a page', async () => {
    // A long fragment asks the trigram indexes first; 8 matches are more than a page of 3 and
    // fewer than a page of 10.
    const chidi = matching.filter((a) => a.displayName === 'Chidi OKONKWO');
    for (const limit of [3, 10]) {
      for (const order of ['desc', 'asc'] as const) {
        const ids = await pageThrough({ q: 'chidi okonkwo', sort: 'createdAt', order, limit });
        expect(ids).toEqual(newestFirst(chidi, order));
      }
    }
  });

  it('pages through a long fragment that matches hundreds of accounts', async () => {
    for (const order of ['desc', 'asc'] as const) {
      const ids = await pageThrough({ q: 'bo lindqvist', sort: 'createdAt', order, limit: 60 });
      expect(ids).toEqual(newestFirst(many, order));
    }
  });

  it('answers a whole page of a common fragment with the newest matches', async () => {
    const page = await list({ q: 'ada.okonkw', limit: 5 });
    expect(page.data.map((a) => a.id)).toEqual(newestFirst(matching.slice(0, 14), 'desc').slice(0, 5));
    expect(page.nextCursor).not.toBeNull();
  });

  it('never matches across the handle and the display name', async () => {
    expect((await list({ q: 'okonkwo_fan' })).data.map((a) => a.displayName)).toEqual(['Pat Lee']);
    // The searched index joins the two fields with U+001F; a fragment holding it matches neither.
    expect((await list({ q: 'fan\u001fpat' })).data).toEqual([]);
    expect((await list({ q: 'fanpat' })).data).toEqual([]);
  });
});

describe('the account as plain SQL reads it (account.sql.ts)', () => {
  it('is what TypeORM reads for the entity, column for column, nulls and dates included', async () => {
    const [full, sparse] = [
      buildAccount({
        creditBalanceCents: '9007199254740993',
        mfaEnabled: true,
        lastLoginAt: new Date('2025-03-04T05:06:07.891Z'),
        lastLoginIp: '203.0.113.9',
      }),
      buildAccount({
        phone: null,
        dateOfBirth: null,
        addressStreet: null,
        addressCity: null,
        addressPostalCode: null,
        addressCountry: null,
      }),
    ];
    await insertAccounts(t.dataSource, [full!, sparse!]);
    for (const account of [full!, sparse!]) {
      const byTypeOrm = await t.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: account.id });
      const bySql = await findAccount(t.dataSource, account.id);
      expect(Object.keys(bySql!).sort()).toEqual(Object.keys(byTypeOrm).sort());
      expect(bySql).toEqual({ ...byTypeOrm });
    }
    expect(await findAccount(t.dataSource, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('updates only at the expected version, and answers the account as it then is', async () => {
    const account = buildAccount({ version: 7 });
    await insertAccounts(t.dataSource, [account]);
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(await updateAccountAtVersion(t.dataSource, account.id, 6, { plan: 'pro' }, at)).toBeUndefined();
    const updated = await updateAccountAtVersion(
      t.dataSource,
      account.id,
      7,
      { plan: 'pro', mfaEnabled: true },
      at,
    );
    expect(updated).toMatchObject({ plan: 'pro', mfaEnabled: true, version: 8, updatedAt: at });
    expect(updated).toEqual({
      ...(await t.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: account.id })),
    });
  });

  it('reads and writes the same through named statements, in a transaction too, and fails as TypeORM does', async () => {
    // On a PostgreSQL server the app names these statements (database/named-query.ts); the
    // embedded database runs them unnamed. Either way: the same rows, the transaction's connection.
    const account = buildAccount({ version: 1 });
    await insertAccounts(t.dataSource, [account]);
    const at = new Date('2026-02-03T04:05:06.789Z');
    await expect(
      t.dataSource.transaction(async (m) => {
        expect(await updateAccountAtVersion(m, account.id, 1, { plan: 'pro' }, at)).toMatchObject({
          version: 2,
        });
        expect(await findAccount(m, account.id)).toMatchObject({ plan: 'pro', version: 2 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await findAccount(t.dataSource, account.id)).toMatchObject({ version: 1 });
    // Twice, so the second run is of the prepared statement.
    for (let i = 0; i < 2; i++) {
      await expect(
        namedQuery(t.dataSource, `SELECT 1 / (version - 1) FROM account WHERE id = $1`, [account.id]),
      ).rejects.toBeInstanceOf(QueryFailedError);
    }
  });
});

describe('an account that does not exist', () => {
  it('is a 404 on every list of it, its history too', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const path of ['', '/payment-methods', '/conversations', '/notes', '/sessions', '/history']) {
      const res = await support.agent.get(`/api/accounts/${missing}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.message).toBe(`account ${missing} does not exist`);
    }
  });
});

describe('timestamps', () => {
  it("shows an account's times alike in the list and on its page, cut to the millisecond", async () => {
    const account = buildAccount({ handle: 'micro.seconds', displayName: 'Micro Seconds' });
    await insertAccounts(t.dataSource, [account]);
    try {
      await t.dataSource.query(
        `UPDATE account SET created_at = '2024-05-06 07:08:09.123789+00',
                            last_login_at = '2024-05-07 23:59:59.999999-02' WHERE id = $1`,
        [account.id],
      );
      const { data } = await list({ q: 'micro.seconds' });
      const detail = await support.agent.get(`/api/accounts/${account.id}`);
      expect(detail.status).toBe(200);
      for (const shown of [data[0]!, detail.body as AccountSummary]) {
        expect(shown.createdAt).toBe('2024-05-06T07:08:09.123Z');
        expect(shown.lastLoginAt).toBe('2024-05-08T01:59:59.999Z');
      }
      await t.dataSource.query(`UPDATE account SET last_login_at = NULL WHERE id = $1`, [account.id]);
      expect((await list({ q: 'micro.seconds' })).data[0]!.lastLoginAt).toBeNull();
    } finally {
      await t.dataSource.query(`DELETE FROM account WHERE id = $1`, [account.id]);
    }
  });
});
