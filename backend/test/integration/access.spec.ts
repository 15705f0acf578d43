import {
  FIELD_POLICY,
  ROLE_PERMISSIONS,
  ROLES,
  visibilityFor,
  type Resource,
  type Role,
} from '@custodian/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountEntity } from '../../src/accounts/account.entity';
import { buildAccount, insertAccounts, insertRelated } from '../factories/account.factory';
import { startTestApp, type SignedIn, type TestApp } from './harness';
import { concretePath, listRoutes } from './routes';

/**
 * Tests generated from the shared policy, not written out by hand: every role against every read
 * route, and every field of every resource on every read path. A new route, role or field is
 * covered by these loops as soon as it exists.
 */
let t: TestApp;
const as = {} as Record<Role, SignedIn>;
let accounts: AccountEntity[];
const conversationOf: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  accounts = await insertAccounts(t.dataSource, [
    buildAccount({
      handle: 'alpha.customer',
      email: 'alpha.customer@example.com',
      lastLoginIp: '198.51.100.7',
    }),
    buildAccount({ handle: 'beta.customer', email: 'beta.customer@example.org' }),
  ]);
  for (const account of accounts) {
    const related = await insertRelated(t.dataSource, account.id, 2);
    conversationOf[account.id] = related.conversations[0]!.id;
  }
  for (const role of ROLES) as[role] = await t.signIn(role);
});

afterAll(async () => {
  await t?.close();
});

/** Every GET route about accounts, with real ids filled in. */
function readPaths(accountId: string): { route: string; path: string }[] {
  return listRoutes(t.custodian.app)
    .filter((r) => r.method === 'GET' && r.path.startsWith('/api/accounts'))
    .map((r) => ({
      route: r.path,
      path: r.path.replace(':id', accountId).replace(':cid', conversationOf[accountId]!),
    }));
}

/** The clear personal values in the database that no response may carry to a role not cleared for them. */
async function clearPersonalValues(): Promise<string[]> {
  const rows: Record<string, string | null>[] = await t.dataSource.query(`
    SELECT email AS v FROM account UNION ALL SELECT phone FROM account
    UNION ALL SELECT address_street FROM account UNION ALL SELECT address_postal_code FROM account
    UNION ALL SELECT date_of_birth::text FROM account UNION ALL SELECT subject FROM conversation
    UNION ALL SELECT participant_handle FROM conversation UNION ALL SELECT body FROM message
    UNION ALL SELECT billing_name FROM payment_method UNION ALL SELECT fingerprint FROM payment_method`);
  return rows.map((r) => r.v).filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

describe('every role on every account read route', () => {
  for (const role of ROLES) {
    it(`${role}: allowed routes answer 200 with no clear personal data; the others 403`, async () => {
      const allowed = ROLE_PERMISSIONS[role].includes('account.read');
      const secrets = await clearPersonalValues();
      expect(secrets.length).toBeGreaterThan(10);
      for (const account of accounts) {
        for (const { route, path } of readPaths(account.id)) {
          const res = await as[role].agent.get(path);
          expect(res.status, `${role} GET ${route}`).toBe(allowed ? 200 : 403);
          const body = JSON.stringify(res.body);
          for (const secret of secrets) expect(body, `${role} GET ${route}`).not.toContain(secret);
        }
      }
    });
  }

  it('answers 403 for every route a role lacks the permission of, across the whole route table', async () => {
    for (const role of ROLES) {
      for (const route of listRoutes(t.custodian.app)) {
        if (route.rule?.kind !== 'permission' || route.method !== 'GET') continue;
        const res = await as[role].agent.get(concretePath(route.path));
        const allowed = ROLE_PERMISSIONS[role].includes(route.rule.permission);
        if (!allowed) expect(res.status, `${role} GET ${route.path}`).toBe(403);
        else expect(res.status, `${role} GET ${route.path}`).not.toBe(403);
      }
    }
  });
});

describe('every field of every resource, as each role sees it', () => {
  /** Where each resource is read, and how to pick its records out of the response. */
  const paths: Record<Resource, (a: AccountEntity) => string> = {
    account: (a) => `/api/accounts/${a.id}`,
    paymentMethod: (a) => `/api/accounts/${a.id}/payment-methods`,
    conversation: (a) => `/api/accounts/${a.id}/conversations`,
    message: (a) => `/api/accounts/${a.id}/conversations/${conversationOf[a.id]}/messages`,
    customerSession: (a) => `/api/accounts/${a.id}/sessions`,
    note: (a) => `/api/accounts/${a.id}/notes`,
  };

  for (const role of ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('account.read'))) {
    for (const resource of Object.keys(FIELD_POLICY) as Resource[]) {
      it(`${role} reads ${resource} fields as the policy says`, async () => {
        const res = await as[role].agent.get(paths[resource](accounts[0]!));
        expect(res.status).toBe(200);
        const records: Record<string, unknown>[] = resource === 'account' ? [res.body] : res.body.data;
        expect(records.length).toBeGreaterThan(0);
        for (const record of records) {
          const { masked, hidden, revealed, ...fields } = record as {
            masked: string[];
            hidden: string[];
            revealed: string[];
          };
          // Nothing revealed: these people asked for no grant.
          expect(revealed).toEqual([]);
          // Fail closed: nothing is sent that the policy does not name.
          for (const field of Object.keys(fields)) expect(FIELD_POLICY[resource]).toHaveProperty(field);
          for (const [field, rule] of Object.entries(FIELD_POLICY[resource])) {
            const expected = visibilityFor(rule, [role]);
            const where = `${role} ${resource}.${field}`;
            if (expected === 'hidden') {
              expect(fields, where).not.toHaveProperty(field);
              expect(hidden, where).toContain(field);
            } else if (expected === 'masked') {
              expect(masked, where).toContain(field);
            } else {
              expect(masked, where).not.toContain(field);
              expect(hidden, where).not.toContain(field);
            }
          }
        }
      });
    }
  }

  it('the account list applies the same policy as the detail', async () => {
    for (const role of ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('account.read'))) {
      const list = await as[role].agent.get('/api/accounts').query({ q: 'alpha.customer' });
      const detail = await as[role].agent.get(`/api/accounts/${accounts[0]!.id}`);
      const summary = list.body.data[0];
      for (const field of Object.keys(summary)) {
        if (field === 'masked' || field === 'hidden' || field === 'revealed') continue;
        expect(summary[field], `${role} ${field}`).toEqual(detail.body[field]);
      }
    }
  });
});

describe('reveal', () => {
  it('shows the clear value to that person, for that account, until the grant ends', async () => {
    const support = await t.signIn('support');
    const [alpha, beta] = accounts as [AccountEntity, AccountEntity];
    const res = await support.agent.post(`/api/accounts/${alpha.id}/reveal`).send({
      fields: ['email', 'phone'],
      reason: 'caller verified identity on the phone',
      ticket: 'SUP-1234',
    });
    expect(res.status).toBe(200);
    expect(res.body.values).toEqual({ email: alpha.email, phone: alpha.phone });
    const minutes = (Date.parse(res.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    const detail = await support.agent.get(`/api/accounts/${alpha.id}`);
    expect(detail.body.email).toBe(alpha.email);
    expect(detail.body.masked).not.toContain('email');
    // Marked as revealed wherever it is read: the account's page and the list alike.
    expect(detail.body.revealed).toEqual(['email', 'phone']);
    const listed = await support.agent.get('/api/accounts').query({ q: 'alpha.customer' });
    expect(listed.body.data[0]).toMatchObject({ email: alpha.email, revealed: ['email', 'phone'] });
    expect((await support.agent.get(`/api/accounts/${beta.id}`)).body.email).not.toBe(beta.email);
    // Someone else with the same role still sees it masked.
    expect((await as.support.agent.get(`/api/accounts/${alpha.id}`)).body.email).not.toBe(alpha.email);

    await t.dataSource.query(
      `UPDATE reveal_grant SET expires_at = now() - interval '1 second' WHERE staff_id = $1`,
      [support.person.id],
    );
    const after = await support.agent.get(`/api/accounts/${alpha.id}`);
    expect(after.body.email).toBe('a***@example.com');
    expect(after.body.revealed).toEqual([]);
  });

  it('needs a reason of at least 10 characters, and known fields', async () => {
    const id = accounts[0]!.id;
    const grants = async () =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM reveal_grant WHERE account_id = $1`, [id]))[0]
        .n as number;
    const before = await grants();
    for (const body of [
      { fields: ['email'] },
      { fields: ['email'], reason: 'because' },
      // Long enough by length, blank to a reader: zero-width spaces, bidi overrides, combining marks.
      { fields: ['email'], reason: '\u200B'.repeat(10) },
      { fields: ['email'], reason: '\u202E'.repeat(12) },
      { fields: ['email'], reason: 'ok\u200B\u200C\u200D\u2060\uFEFF\u0301\u0301\u0301\u3164' },
      { fields: [], reason: 'a proper reason here' },
      { fields: ['password'], reason: 'a proper reason here' },
      { fields: 'email', reason: 'a proper reason here' },
    ]) {
      const res = await as.support.agent.post(`/api/accounts/${id}/reveal`).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await grants()).toBe(before);
  });

  it('is refused (403) to a role without the permission, and the refusal is recorded', async () => {
    const id = accounts[1]!.id;
    const res = await as.auditor.agent
      .post(`/api/accounts/${id}/reveal`)
      .send({ fields: ['email'], reason: 'I would like to see it' });
    expect(res.status).toBe(403);
    const [event] = await t.dataSource.query(
      `SELECT outcome, reason, details FROM audit_event WHERE action = 'account.reveal' AND actor_id = $1`,
      [as.auditor.person.id],
    );
    expect(event).toMatchObject({ outcome: 'denied', reason: 'I would like to see it' });
    expect(event.details.refused).toEqual(['email']);
  });

  it('is refused (403) to a token that may reveal but not read accounts, and the refusal is recorded', async () => {
    // Such a token could not read an account even masked, yet revealed its clear email by id.
    const engineer = await t.signIn('engineer');
    const created = await engineer.agent
      .post('/api/auth/tokens')
      .send({ name: 'reveal only', expiresInDays: 1, permissions: ['account.reveal.email'] });
    expect(created.status).toBe(201);
    const id = accounts[1]!.id;
    const res = await t
      .http()
      .post(`/api/accounts/${id}/reveal`)
      .set('Authorization', `Bearer ${created.body.token}`)
      .send({ fields: ['email'], reason: 'a script that only reveals' });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('this needs the account.read permission');
    expect(JSON.stringify(res.body)).not.toContain(accounts[1]!.email);
    const [{ grants }] = await t.dataSource.query(
      `SELECT count(*)::int AS grants FROM reveal_grant WHERE staff_id = $1`,
      [engineer.person.id],
    );
    expect(grants).toBe(0);
    const events: { action: string; outcome: string }[] = await t.dataSource.query(
      `SELECT action, outcome FROM audit_event WHERE actor_type = 'token' AND actor_id = $1`,
      [created.body.id],
    );
    expect(events).toEqual([{ action: 'access.denied', outcome: 'denied' }]);
  });

  it('records each reveal with its reason and ticket', async () => {
    const engineer = await t.signIn('engineer');
    const id = accounts[1]!.id;
    await engineer.agent
      .post(`/api/accounts/${id}/reveal`)
      .send({ fields: ['email'], reason: 'bounce investigation for mail', ticket: 'ENG-77' });
    const events = await t.dataSource.query(
      `SELECT outcome, reason, ticket, target_id, details FROM audit_event WHERE action = 'account.reveal' AND actor_id = $1`,
      [engineer.person.id],
    );
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'success',
        reason: 'bounce investigation for mail',
        ticket: 'ENG-77',
        target_id: id,
      }),
    ]);
    expect(events[0].details.fields).toEqual(['email']);
  });

  it('limits how many fields one person reveals per hour', async () => {
    const limited = await startTestApp({ env: { REVEALS_PER_HOUR: '3' } });
    try {
      const [account] = await insertAccounts(limited.dataSource, [buildAccount()]);
      const support = await limited.signIn('support');
      const reveal = (fields: string[]) =>
        support.agent
          .post(`/api/accounts/${account!.id}/reveal`)
          .send({ fields, reason: 'checking the limit works' });
      expect((await reveal(['email', 'phone'])).status).toBe(200);
      expect((await reveal(['address'])).status).toBe(200);
      const over = await reveal(['email']);
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });

  it('holds the hourly limit against reveals sent all at once', async () => {
    // Each reveal counted the past hour's grants and then wrote its own, apart: twenty sent at
    // once all counted none, and all were granted, past a limit of three.
    const limited = await startTestApp({ env: { REVEALS_PER_HOUR: '3' } });
    try {
      const [account] = await insertAccounts(limited.dataSource, [buildAccount()]);
      const support = await limited.signIn('support');
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          support.agent
            .post(`/api/accounts/${account!.id}/reveal`)
            .send({ fields: ['email'], reason: 'checking the limit holds' }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([
        ...Array<number>(3).fill(200),
        ...Array<number>(17).fill(429),
      ]);
      const [{ grants }] = await limited.dataSource.query(
        `SELECT count(*)::int AS grants FROM reveal_grant WHERE staff_id = $1`,
        [support.person.id],
      );
      expect(grants).toBe(3);
      // Each answer is an event: three reveals, seventeen refusals.
      const events: { outcome: string; n: number }[] = await limited.dataSource.query(
        `SELECT outcome, count(*)::int AS n FROM audit_event
          WHERE action = 'account.reveal' AND actor_id = $1 GROUP BY outcome ORDER BY outcome`,
        [support.person.id],
      );
      expect(events).toEqual([
        { outcome: 'denied', n: 17 },
        { outcome: 'success', n: 3 },
      ]);
    } finally {
      await limited.close();
    }
  });
});

describe('searches by personal data', () => {
  it('are recorded, with the searched value masked', async () => {
    const engineer = await t.signIn('engineer');
    const res = await engineer.agent.get('/api/accounts').query({ email: 'alpha.customer@example.com' });
    expect(res.body.data).toHaveLength(1);
    await engineer.agent.get('/api/accounts').query({ q: accounts[0]!.phone! });
    await engineer.agent.get('/api/accounts').query({ q: 'alpha' });
    const events = await t.dataSource.query(
      `SELECT details FROM audit_event WHERE action = 'account.search' AND actor_id = $1 ORDER BY seq`,
      [engineer.person.id],
    );
    expect(events.map((e: { details: unknown }) => e.details)).toEqual([
      { by: { email: 'a***@example.com' }, results: 1 },
      { by: { phone: expect.stringMatching(/^\*+\d{4}$/) }, results: 1 },
    ]);
  });
});

describe('who a refusal is recorded against', () => {
  it('names the signed-in person whose write came without its CSRF token', async () => {
    const id = accounts[1]!.id;
    const res = await t
      .http()
      .post(`/api/accounts/${id}/reveal`)
      .set('cookie', as.support.cookie)
      .send({ fields: ['email'], reason: 'no csrf token sent along' });
    expect(res.status).toBe(403);
    const [event] = await t.dataSource.query(
      `SELECT actor_id, actor_email, outcome FROM audit_event
        WHERE action = 'access.denied' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event).toEqual({
      actor_id: as.support.person.id,
      actor_email: as.support.person.email,
      outcome: 'denied',
    });
  });

  it('records a wrong password as a denial, not an error', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ email: as.support.person.email, password: 'not the password' });
    expect(res.status).toBe(401);
    const [event] = await t.dataSource.query(
      `SELECT outcome, details FROM audit_event
        WHERE action = 'auth.login_failed' AND actor_email = $1 ORDER BY seq DESC LIMIT 1`,
      [as.support.person.email],
    );
    expect(event.outcome).toBe('denied');
  });
});
