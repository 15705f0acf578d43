import { createHmac, randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config/app.config';
import { APP_CONFIG } from '../../src/config/config.token';
import { StaffEntity } from '../../src/staff/staff.entity';
import { createStaff, STAFF_PASSWORD } from '../factories/staff.factory';
import { startTestApp, type TestApp } from './harness';
import { concretePath, describeRule, listRoutes } from './routes';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

function login(body: Record<string, unknown>, agent = request.agent(t.custodian.app.getHttpServer())) {
  return { agent, res: agent.post('/api/auth/login').send(body) };
}

describe('deny by default', () => {
  it('every route declares who may call it, and this is the table (a change here is a permission change)', () => {
    const table = listRoutes(t.custodian.app).map((r) => `${r.method} ${r.path} → ${describeRule(r.rule)}`);
    expect(table.sort()).toEqual(
      [
        'GET /api/accounts → account.read',
        'GET /api/accounts/:id → account.read',
        'GET /api/accounts/:id/conversations → account.read',
        'GET /api/accounts/:id/conversations/:cid/messages → account.read',
        'GET /api/accounts/:id/notes → account.read',
        'GET /api/accounts/:id/payment-methods → account.read',
        'GET /api/accounts/:id/sessions → account.read',
        'POST /api/accounts/:id/reveal → account.read',
        'GET /api/accounts/:id/history → account.read',
        'GET /api/operations → authenticated',
        'POST /api/bulk-operations → bulk_operation.create',
        'GET /api/bulk-operations/:id → authenticated',
        'POST /api/accounts/:id/operations/:name → account.read',
        'GET /api/change-requests → authenticated',
        'GET /api/change-requests/:id → authenticated',
        'POST /api/change-requests/:id/approve → authenticated',
        'POST /api/change-requests/:id/reject → authenticated',
        'GET /api/audit-events → audit.read',
        'GET /api/audit-events/:id → audit.read',
        'GET /api/audit-events/export → audit.export',
        'GET /api/audit-events/verify → audit.verify',
        'GET /api/policy → authenticated',
        'GET /api/auth/config → public',
        'POST /api/auth/login → public',
        'POST /api/auth/logout → authenticated',
        'GET /api/auth/me → authenticated',
        'POST /api/auth/mfa/confirm → authenticated',
        'POST /api/auth/mfa/enrol → authenticated',
        'GET /api/auth/oidc/callback → public',
        'GET /api/auth/oidc/login → public',
        'POST /api/auth/password → authenticated',
        'GET /api/auth/tokens → authenticated',
        'POST /api/auth/tokens → authenticated',
        'DELETE /api/auth/tokens/:id → authenticated',
        'GET /api/health → public',
        'GET /api/openapi.json → authenticated',
        'GET /api/staff → staff.read',
        'POST /api/staff → staff.manage',
        'GET /api/staff/:id → staff.read',
        'PATCH /api/staff/:id → staff.manage',
      ].sort(),
    );
  });

  it('lets a person who must still enrol MFA reach only these routes', () => {
    const enrolment = listRoutes(t.custodian.app)
      .filter((r) => r.duringEnrolment)
      .map((r) => `${r.method} ${r.path}`);
    expect(enrolment.sort()).toEqual(
      [
        'POST /api/auth/logout',
        'GET /api/auth/me',
        'POST /api/auth/mfa/enrol',
        'POST /api/auth/mfa/confirm',
      ].sort(),
    );
  });

  it('keeps to a signed-in session every route that changes the person’s own credentials or sessions', () => {
    const sessionOnly = listRoutes(t.custodian.app)
      .filter((r) => r.sessionOnly)
      .map((r) => `${r.method} ${r.path}`);
    expect(sessionOnly.sort()).toEqual(
      [
        'POST /api/auth/logout',
        'POST /api/auth/mfa/enrol',
        'POST /api/auth/mfa/confirm',
        'POST /api/auth/password',
        'POST /api/auth/tokens',
        'DELETE /api/auth/tokens/:id',
      ].sort(),
    );
  });

  it('answers 401 on every route but the public ones, without a session or token', async () => {
    const routes = listRoutes(t.custodian.app).filter((r) => r.rule?.kind !== 'public');
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      const verb = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
      const res = await t.http()[verb](concretePath(route.path)).send({});
      expect(res.status, `${route.method} ${route.path}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(
        401,
      );
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it('answers 401 to a forged session cookie and a forged token', async () => {
    const forged = await t.http().get('/api/auth/me').set('Cookie', 'custodian.sid=s%3Aforged.signature');
    expect(forged.status).toBe(401);
    const token = await t.http().get('/api/auth/me').set('Authorization', 'Bearer cst_forged');
    expect(token.status).toBe(401);
    const malformed = await t.http().get('/api/auth/me').set('Authorization', 'Basic abc');
    expect(malformed.status).toBe(401);
  });
});

describe('password sign-in', () => {
  it('signs in, returns the person and a CSRF token, and sets a strict HttpOnly cookie', async () => {
    const person = await createStaff(t.dataSource, { roles: ['support', 'auditor'] });
    const { agent, res } = login({ email: person.email.toUpperCase(), password: STAFF_PASSWORD });
    const r = await res;
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ id: person.id, email: person.email, roles: ['support', 'auditor'] });
    expect(r.body.user.permissions).toContain('account.reveal.email');
    expect(r.body.user.permissions).toContain('audit.export');
    expect(r.body.csrfToken).toMatch(/^[\w-]{40,}$/);
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/custodian\.sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await agent.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: person.id,
      displayName: person.displayName,
      csrfToken: r.body.csrfToken,
    });
  });

  it('signs in even with an Authorization header, on the route spelled in any case', async () => {
    // Requests with a token skip the session store; the sign-in routes must still get a session.
    const person = await createStaff(t.dataSource, { roles: ['support'] });
    const agent = request.agent(t.custodian.app.getHttpServer());
    const r = await agent
      .post('/API/Auth/login')
      .set('Authorization', 'Bearer cst_not-a-token')
      .send({ email: person.email, password: STAFF_PASSWORD });
    expect(r.status).toBe(200);
    expect(String(r.headers['set-cookie'])).toMatch(/custodian\.sid=/);
    expect((await agent.get('/api/auth/me')).status).toBe(200);
  });

  it('signs many people in at once, each as themselves, and refuses the wrong passwords among them', async () => {
    // Passport hangs a request's outcome on the strategy object it runs: one shared object would
    // hand one person's sign-in to another's request.
    const people = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createStaff(t.dataSource, { roles: [i % 2 ? 'support' : 'auditor'] }),
      ),
    );
    const attempts = people.map((person, i) =>
      login({ email: person.email, password: i % 4 === 3 ? `${STAFF_PASSWORD}-wrong` : STAFF_PASSWORD }),
    );
    const answers = await Promise.all(attempts.map((a) => a.res));
    for (const [i, answer] of answers.entries()) {
      if (i % 4 === 3) {
        expect(answer.status, people[i]!.email).toBe(401);
        continue;
      }
      expect(answer.status, people[i]!.email).toBe(200);
      expect(answer.body.user).toMatchObject({ id: people[i]!.id, email: people[i]!.email });
      expect((await attempts[i]!.agent.get('/api/auth/me')).body).toMatchObject({ id: people[i]!.id });
    }
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const person = await createStaff(t.dataSource, { roles: ['support'] });
    const wrong = await login({ email: person.email, password: 'not the password at all' }).res;
    const unknown = await login({ email: 'nobody-at-all@staff.test', password: 'not the password at all' })
      .res;
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('refuses malformed sign-in bodies with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ email: 'a@b.co' }, 'password'],
      [{ password: 'x' }, 'email'],
      [{ email: 'a@b.co', password: 'x'.repeat(300) }, 'password'],
      [{ email: 'a@b.co', password: 'x', otp: 'abc' }, 'otp'],
      [{ email: 'a@b.co', password: 'x', role: 'admin' }, 'role'],
      [{ email: ['a@b.co'], password: 'x' }, 'email'],
    ] as const) {
      const res = await login(body).res;
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    }
  });

  it('issues a new session id at each sign-in', async () => {
    const person = await createStaff(t.dataSource, { roles: ['support'] });
    const agent = request.agent(t.custodian.app.getHttpServer());
    const first = await agent.post('/api/auth/login').send({ email: person.email, password: STAFF_PASSWORD });
    const second = await agent
      .post('/api/auth/login')
      .send({ email: person.email, password: STAFF_PASSWORD });
    const sid = (r: { headers: Record<string, unknown> }) =>
      /custodian\.sid=([^;]+)/.exec(String(r.headers['set-cookie']))![1];
    expect(sid(first)).not.toEqual(sid(second));
  });

  it('blocks an account after ten wrong passwords in a row, and the right one then waits too', async () => {
    const person = await createStaff(t.dataSource, { roles: ['support'] });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await login({ email: person.email, password: `wrong password ${i}` }).res).status);
    }
    expect(statuses).toEqual(Array(10).fill(401));
    const blocked = await login({ email: person.email, password: 'wrong again, eleventh' }).res;
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const right = await login({ email: person.email, password: STAFF_PASSWORD }).res;
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    // Another person's sign-in from the same address is not blocked by it.
    const other = await createStaff(t.dataSource, { roles: ['support'] });
    expect((await login({ email: other.email, password: STAFF_PASSWORD }).res).status).toBe(200);
  });
});

describe('client address behind proxies (TRUST_PROXY_HOPS)', () => {
  /** The address the audit log recorded for a failed sign-in sent with this X-Forwarded-For. */
  async function recordedAddress(app: TestApp, forwardedFor: string): Promise<string | null> {
    const email = `nobody-${randomBytes(6).toString('hex')}@staff.test`;
    const res = await app
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email, password: 'not the password at all' });
    expect(res.status).toBe(401);
    const [row] = await app.dataSource.query(
      `SELECT ip FROM audit_event WHERE action = 'auth.login_failed' AND actor_email = $1`,
      [email],
    );
    return row?.ip ?? null;
  }

  it('ignores X-Forwarded-For by default, so a client cannot choose its own address', async () => {
    const ip = await recordedAddress(t, '203.0.113.7');
    expect(ip).not.toBe('203.0.113.7');
    expect(ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('with one hop trusted, takes the address that proxy saw, not what the client wrote before it', async () => {
    const behindProxy = await startTestApp({ env: { TRUST_PROXY_HOPS: '1' } });
    try {
      expect(await recordedAddress(behindProxy, '198.51.100.9, 203.0.113.7')).toBe('203.0.113.7');
    } finally {
      await behindProxy.close();
    }
  });
});

describe('sessions', () => {
  it('ends at logout: the same cookie then gets 401', async () => {
    const { agent, csrfToken, cookie } = await t.signIn('support');
    expect((await t.http().get('/api/auth/me').set('Cookie', cookie)).status).toBe(200);
    const logout = await agent.post('/api/auth/logout').set('X-CSRF-Token', csrfToken);
    expect(logout.status).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(
      /^custodian\.sid=; Path=\/; Expires=Thu, 01 Jan 1970/,
    );
    const replay = await t.http().get('/api/auth/me').set('Cookie', cookie);
    expect(replay.status).toBe(401);
  });

  it('takes a POST with Content-Type application/json and no body as an empty body', async () => {
    const { agent, csrfToken } = await t.signIn('support');
    const res = await agent
      .post('/api/auth/logout')
      .set('X-CSRF-Token', csrfToken)
      .set('Content-Type', 'application/json');
    expect(res.status).toBe(204);
  });

  it('keeps a signed-in session across restarts and upgrades: its stored row and signed cookie are enough', async () => {
    const person = await createStaff(t.dataSource, { roles: ['support'] });
    const config = t.custodian.app.get<AppConfig>(APP_CONFIG);
    const sid = randomBytes(24).toString('base64url');
    const expires = new Date(Date.now() + 3_600_000);
    const sess = {
      cookie: {
        originalMaxAge: 3_600_000,
        expires,
        secure: false,
        httpOnly: true,
        path: '/',
        sameSite: 'strict',
      },
      staffId: person.id,
      method: 'password',
      signedInAt: Date.now(),
      csrfToken: randomBytes(32).toString('base64url'),
    };
    await t.dataSource.query(`INSERT INTO staff_session (sid, sess, expire) VALUES ($1, $2, $3)`, [
      sid,
      JSON.stringify(sess),
      expires,
    ]);
    // express-session's cookie: "s:" + the id + "." + its HMAC-SHA256, base64 without padding.
    const signature = createHmac('sha256', config.secret).update(sid).digest('base64').replace(/=+$/, '');
    const cookie = `${config.session.cookieName}=${encodeURIComponent(`s:${sid}.${signature}`)}`;
    const me = await t.http().get('/api/auth/me').set('Cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: person.id, csrfToken: sess.csrfToken });
    const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await t.http().get('/api/auth/me').set('Cookie', forged)).status).toBe(401);
  });

  it('tells anyone, signed in or not, after how many idle minutes a session ends', async () => {
    const res = await t.http().get('/api/auth/config');
    expect(res.status).toBe(200);
    // The default: the test app sets no SESSION_IDLE_MINUTES.
    expect(res.body.session).toEqual({ idleMinutes: 15 });
  });

  it('ends after the idle timeout (the stored session expired)', async () => {
    const { agent, person } = await t.signIn('support');
    expect((await agent.get('/api/auth/me')).status).toBe(200);
    await t.dataSource.query(
      `UPDATE staff_session SET expire = now() - interval '1 minute' WHERE staff_id = $1`,
      [person.id],
    );
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });

  it('ends after the absolute lifetime, however active', async () => {
    const { agent, person } = await t.signIn('support');
    const thirteenHoursAgo = Date.now() - 13 * 3_600_000;
    await t.dataSource.query(
      `UPDATE staff_session SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json WHERE staff_id = $1`,
      [person.id, thirteenHoursAgo],
    );
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });

  it('ends at once when the person is deactivated, sessions and tokens alike', async () => {
    const admin = await t.signIn('admin');
    const { agent, person, cookie } = await t.signIn('support');
    const token = await agent.post('/api/auth/tokens').send({ name: 'script', expiresInDays: 7 });
    expect(token.status).toBe(201);
    expect((await t.http().get('/api/auth/me').set('Cookie', cookie)).status).toBe(200);
    const res = await admin.agent.patch(`/api/staff/${person.id}`).send({ active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await t.http().get('/api/auth/me').set('Cookie', cookie)).status).toBe(401);
    expect(
      (await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token.body.token}`)).status,
    ).toBe(401);
    const again = await login({ email: person.email, password: STAFF_PASSWORD }).res;
    expect(again.status).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF header, or with a wrong one', async () => {
    const { agent } = await t.signIn('support');
    agent.set('X-CSRF-Token', '');
    const missing = await agent
      .post('/api/auth/tokens')
      .unset('X-CSRF-Token')
      .send({ name: 'x', expiresInDays: 1 });
    expect(missing.status).toBe(403);
    expect(missing.body.message).toMatch(/CSRF/);
    const wrong = await agent
      .post('/api/auth/tokens')
      .set('X-CSRF-Token', 'nope')
      .send({ name: 'x', expiresInDays: 1 });
    expect(wrong.status).toBe(403);
  });

  it('refuses a cross-site write even with the token', async () => {
    const { agent } = await t.signIn('support');
    const res = await agent
      .post('/api/auth/tokens')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ name: 'x', expiresInDays: 1 });
    expect(res.status).toBe(403);
  });
});

describe('personal access tokens', () => {
  it('are shown once, stored hashed, limited to a subset of the owner, and revocable', async () => {
    const { agent, person } = await t.signIn('support');
    const created = await agent
      .post('/api/auth/tokens')
      .send({ name: 'nightly export', expiresInDays: 30, permissions: ['account.read'] });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^cst_/);
    expect(created.body.permissions).toEqual(['account.read']);
    const [row] = await t.dataSource.query(`SELECT token_hash FROM personal_access_token WHERE id = $1`, [
      created.body.id,
    ]);
    expect(row.token_hash).not.toContain(created.body.token);
    const listed = await agent.get('/api/auth/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect(listed.body.data[0]).toMatchObject({ id: created.body.id, name: 'nightly export' });

    const bearer = (path: string) => t.http().get(path).set('Authorization', `Bearer ${created.body.token}`);
    const me = await bearer('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: person.id, authMethod: 'token', permissions: ['account.read'] });
    expect((await bearer('/api/accounts')).status).toBe(200);
    // A write by token needs no CSRF header.
    const viaToken = await t
      .http()
      .post('/api/auth/tokens')
      .set('Authorization', `Bearer ${created.body.token}`)
      .send({ name: 'x', expiresInDays: 1 });
    expect(viaToken.status).toBe(403);
    expect(viaToken.body.message).toMatch(/token cannot create tokens/);

    expect((await agent.delete(`/api/auth/tokens/${created.body.id}`)).status).toBe(204);
    expect((await bearer('/api/auth/me')).status).toBe(401);
  });

  it('cannot carry more than the owner holds, nor live longer than 90 days', async () => {
    const { agent } = await t.signIn('support');
    const beyond = await agent
      .post('/api/auth/tokens')
      .send({ name: 'x', expiresInDays: 1, permissions: ['staff.manage'] });
    expect(beyond.status).toBe(403);
    const unknown = await agent
      .post('/api/auth/tokens')
      .send({ name: 'x', expiresInDays: 1, permissions: ['root'] });
    expect(unknown.status).toBe(400);
    const tooLong = await agent.post('/api/auth/tokens').send({ name: 'x', expiresInDays: 91 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toEqual(['expiresInDays must be at most 90']);
  });

  it('lose a permission as soon as the owner loses the role', async () => {
    const admin = await t.signIn('admin');
    const { agent, person } = await t.signIn('support', 'auditor');
    const created = await agent.post('/api/auth/tokens').send({ name: 'x', expiresInDays: 1 });
    await admin.agent.patch(`/api/staff/${person.id}`).send({ roles: ['support'] });
    const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${created.body.token}`);
    expect(me.body.permissions).not.toContain('audit.export');
    expect(me.body.permissions).toContain('account.read');
  });
});

describe('what a personal access token cannot do', () => {
  const bearer = (token: string) => ({
    post: (path: string) => t.http().post(path).set('Authorization', `Bearer ${token}`),
    delete: (path: string) => t.http().delete(path).set('Authorization', `Bearer ${token}`),
  });
  const deniedFor = async (tokenId: string) =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event
          WHERE action = 'access.denied' AND outcome = 'denied' AND actor_type = 'token' AND actor_id = $1`,
        [tokenId],
      )
    )[0].n as number;

  it('change its owner’s password, whatever its permissions; the attempt is recorded as denied', async () => {
    const { agent, person } = await t.signIn('engineer');
    const created = await agent
      .post('/api/auth/tokens')
      .send({ name: 'eng', expiresInDays: 1, permissions: ['account.read'] });
    expect(created.status).toBe(201);
    const res = await bearer(created.body.token)
      .post('/api/auth/password')
      .send({ currentPassword: STAFF_PASSWORD, newPassword: 'Completely-Different-Passw0rd!' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/sign in to do that/);
    expect(await deniedFor(created.body.id)).toBe(1);
    expect((await login({ email: person.email, password: STAFF_PASSWORD }).res).status).toBe(200);
    expect(
      (await login({ email: person.email, password: 'Completely-Different-Passw0rd!' }).res).status,
    ).toBe(401);
  });

  it('use any session-only route even carrying every permission of its owner, each refusal recorded', async () => {
    const { agent } = await t.signIn('engineer', 'admin');
    const created = await agent.post('/api/auth/tokens').send({ name: 'all of it', expiresInDays: 1 });
    expect(created.status).toBe(201);
    const routes = listRoutes(t.custodian.app).filter((r) => r.sessionOnly);
    expect(routes.length).toBeGreaterThan(0);
    let denied = await deniedFor(created.body.id);
    for (const route of routes) {
      const verb = route.method.toLowerCase() as 'post' | 'delete';
      const res = await bearer(created.body.token)[verb](concretePath(route.path)).send({});
      const what = `${route.method} ${route.path}: ${JSON.stringify(res.body).slice(0, 200)}`;
      expect(res.status, what).toBe(403);
      expect(res.body.message, what).toMatch(/sign in to do that/);
      expect(await deniedFor(created.body.id), what).toBe(++denied);
    }
    // The token still works where its permissions allow, and is still live: it did not revoke itself.
    const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${created.body.token}`);
    expect(me.status).toBe(200);
    expect((await agent.get('/api/auth/tokens')).body.data).toHaveLength(1);
  });
});

describe('MFA', () => {
  it('enrols with a QR code, then requires a code at sign-in, refuses a replayed one, and accepts a recovery code once', async () => {
    const { agent, person } = await t.signIn('engineer');
    const enrol = await agent.post('/api/auth/mfa/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(enrol.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const secret: string = enrol.body.secret;
    const wrong = await agent.post('/api/auth/mfa/confirm').send({ otp: '000000' });
    expect(wrong.status).toBe(400);
    const confirmed = await agent.post('/api/auth/mfa/confirm').send({ otp: await generate({ secret }) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    const stored = await t.dataSource.getRepository(StaffEntity).findOneByOrFail({ id: person.id });
    expect(stored.mfaSecretEncrypted).not.toContain(secret);

    const without = await login({ email: person.email, password: STAFF_PASSWORD }).res;
    expect(without.status).toBe(401);
    expect(without.body.message).toMatch(/one-time code/);

    // The code of the next step (a device clock 30 s ahead) is accepted once; the confirmation
    // already used the current step, so reusing that one is a replay.
    const replay = await login({
      email: person.email,
      password: STAFF_PASSWORD,
      otp: await generate({ secret }),
    }).res;
    expect(replay.status).toBe(401);
    const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect((await login({ email: person.email, password: STAFF_PASSWORD, otp: next }).res).status).toBe(200);
    expect((await login({ email: person.email, password: STAFF_PASSWORD, otp: next }).res).status).toBe(401);
    const farFuture = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 120 });
    expect((await login({ email: person.email, password: STAFF_PASSWORD, otp: farFuture }).res).status).toBe(
      401,
    );

    const recovery = confirmed.body.recoveryCodes[0];
    expect((await login({ email: person.email, password: STAFF_PASSWORD, otp: recovery }).res).status).toBe(
      200,
    );
    expect((await login({ email: person.email, password: STAFF_PASSWORD, otp: recovery }).res).status).toBe(
      401,
    );
  });
});

describe('passwords and staff management', () => {
  it('records a wrong current password as a denied attempt, and stops guessing as sign-in does', async () => {
    // A session left open is enough to try passwords here: each try was neither recorded nor
    // counted, so a borrowed session could guess the password without limit and without a trace.
    const { agent, person } = await t.signIn('support');
    const guess = () =>
      agent
        .post('/api/auth/password')
        .send({ currentPassword: 'not my password', newPassword: 'a much better passphrase 9!' });
    const first = await guess();
    expect(first.status).toBe(400);
    expect(first.body.message).toBe('currentPassword is wrong');
    const events: { action: string; outcome: string; target_id: string }[] = await t.dataSource.query(
      `SELECT action, outcome, target_id FROM audit_event WHERE actor_id = $1 AND action = 'auth.password_changed'`,
      [person.id],
    );
    expect(events).toEqual([{ action: 'auth.password_changed', outcome: 'denied', target_id: person.id }]);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await guess()).status);
    expect(statuses).toContain(429);
    // The right password is refused too while the guessing is blocked, as at sign-in.
    const right = await agent
      .post('/api/auth/password')
      .send({ currentPassword: STAFF_PASSWORD, newPassword: 'a much better passphrase 9!' });
    expect(right.status).toBe(429);
  });

  it('refuses a short, common or email-based new password', async () => {
    const { agent, person } = await t.signIn('support');
    for (const newPassword of ['short', 'password1234', `${person.email.split('@')[0]}-long-enough`]) {
      const res = await agent
        .post('/api/auth/password')
        .send({ currentPassword: STAFF_PASSWORD, newPassword });
      expect(res.status, newPassword).toBe(400);
    }
    const ok = await agent
      .post('/api/auth/password')
      .send({ currentPassword: STAFF_PASSWORD, newPassword: 'a much better passphrase 9!' });
    expect(ok.status).toBe(204);
    expect((await login({ email: person.email, password: 'a much better passphrase 9!' }).res).status).toBe(
      200,
    );
  });

  it('lets an admin create staff with a one-time password, and nobody else', async () => {
    const admin = await t.signIn('admin');
    const support = await t.signIn('support');
    const body = { email: 'New.Person@Company.test', displayName: 'New Person', roles: ['support'] };
    expect((await support.agent.post('/api/staff').send(body)).status).toBe(403);
    const created = await admin.agent.post('/api/staff').send(body);
    // The person exists at once; the role they were asked for waits for a second admin.
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      email: 'new.person@company.test',
      roles: [],
      active: true,
      pendingChangeRequestId: expect.any(String),
    });
    expect(created.body.initialPassword).toHaveLength(20);
    expect(JSON.stringify(created.body)).not.toMatch(/hash/i);
    const signIn = await login({ email: body.email, password: created.body.initialPassword }).res;
    expect(signIn.status).toBe(200);
    expect((await admin.agent.post('/api/staff').send(body)).status).toBe(409);
    const bad = await admin.agent.post('/api/staff').send({ ...body, email: 'x@y.test', roles: ['root'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message[0]).toMatch(/roles/);
    const extra = await admin.agent
      .post('/api/staff')
      .send({ ...body, email: 'z@y.test', passwordHash: 'x' });
    expect(extra.status).toBe(400);
    const self = await admin.agent.patch(`/api/staff/${admin.person.id}`).send({ active: false });
    expect(self.status).toBe(400);
  });

  it('creates one person of an email sent twice at once, and refuses the other as taken', async () => {
    // The second passed the check for the email before the first was written: the unique index
    // refused it, in words that named no record ("a record with the same unique value exists").
    const admin = await t.signIn('admin');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        admin.agent
          .post('/api/staff')
          .send({ email: 'twice.at.once@company.test', displayName: 'Twice', roles: [] }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(
        /^a staff member with (this )?email( twice\.at\.once@company\.test)? exists$/,
      );
    }
  });

  it('refuses a blank display name with a 400 naming it, creating nobody', async () => {
    const admin = await t.signIn('admin');
    // Spaces, or characters a reader does not see: the audit log and the staff list would show
    // nobody's name, as a token's blank name would (which is refused the same way).
    for (const displayName of ['   ', '\u200B\u200B', '\u202E ']) {
      const email = `blank.${displayName.codePointAt(0)}@company.test`;
      const res = await admin.agent.post('/api/staff').send({ email, displayName, roles: [] });
      expect(res.status, JSON.stringify(displayName)).toBe(400);
      expect(res.body.message).toEqual(['displayName must not be blank']);
      expect(await t.dataSource.getRepository(StaffEntity).existsBy({ email })).toBe(false);
    }
    const padded = await admin.agent
      .post('/api/staff')
      .send({ email: 'padded.name@company.test', displayName: '  Pat Padded ', roles: [] });
    expect(padded.status).toBe(201);
    expect(padded.body.displayName).toBe('Pat Padded');
  });
});

describe('PATCH /api/staff/:id', () => {
  it('refuses a body that names neither roles nor active, or gives either as null, and changes nothing', async () => {
    const admin = await t.signIn('admin');
    const other = await createStaff(t.dataSource, { roles: ['support'] });
    const events = async () =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_event WHERE target_type = 'staff' AND target_id = $1`,
          [other.id],
        )
      )[0].n as number;
    const before = await events();
    const cases: [string, RegExp][] = [
      ['{}', /at least one of roles or active/],
      ['null', /at least one of roles or active/],
      ['{"roles":null}', /roles/],
      ['{"active":null}', /active/],
    ];
    for (const [body, message] of cases) {
      const res = await admin.agent
        .patch(`/api/staff/${other.id}`)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(res.status, body).toBe(400);
      expect(JSON.stringify(res.body.message), body).toMatch(message);
    }
    const stored = await t.dataSource.getRepository(StaffEntity).findOneByOrFail({ id: other.id });
    expect(stored).toMatchObject({ roles: ['support'], active: true });
    expect(await events()).toBe(before);
    // One of them is enough.
    expect((await admin.agent.patch(`/api/staff/${other.id}`).send({ active: true })).status).toBe(200);
  });
});

describe('a path no route serves', () => {
  it('is a 404 that quotes neither the path nor the query string, which may hold personal data', async () => {
    // The router's own message quoted the whole URL: "Cannot PUT /api/accounts?email=…".
    const { agent } = await t.signIn('support');
    for (const [method, url] of [
      ['put', '/api/accounts?email=jane.doe%40example.com'],
      ['get', '/api/accounts/jane.doe@example.com/x'],
      ['get', '/api/customers?phone=%2B4915112345678'],
    ] as const) {
      const res = await agent[method](url);
      expect(res.status, url).toBe(404);
      expect(res.body, url).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `no route answers ${method.toUpperCase()} at this path`,
      });
    }
    // A record that is not there still says which.
    const missing = await agent.get('/api/accounts/00000000-0000-4000-8000-000000000000');
    expect(missing.body.message).toContain('00000000-0000-4000-8000-000000000000');
  });
});

describe('lists that take no query parameter', () => {
  it('refuse one with a 400 naming it, as the other lists do', async () => {
    const { agent } = await t.signIn('admin', 'auditor');
    for (const path of ['/api/staff', '/api/auth/tokens', '/api/audit-events/verify', '/api/operations']) {
      expect((await agent.get(path)).status, path).toBe(200);
      for (const [query, names] of [
        ['active=false', ['active']],
        ['limit=1&cursor=x', ['limit', 'cursor']],
      ] as const) {
        const res = await agent.get(`${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        expect(res.body.message).toEqual(names.map((n) => `property ${n} should not exist`));
      }
    }
  });
});

describe('the API document', () => {
  it('documents every query parameter of every route', async () => {
    const { agent } = await t.signIn('support');
    const doc = (await agent.get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    };
    const queried = listRoutes(t.custodian.app).filter((r) => r.query.length > 0);
    expect(queried.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /api/change-requests', 'POST /api/bulk-operations']),
    );
    for (const route of queried) {
      const path = route.path.replace(/:([a-zA-Z]+)/g, '{$1}');
      const documented = (doc.paths[path]?.[route.method.toLowerCase()]?.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
      expect(documented.sort(), `${route.method} ${route.path}`).toEqual(route.query);
    }
  });
});

describe('role grants (four eyes)', () => {
  it('a role grant waits for a second admin; removing a role applies at once', async () => {
    const admin = await t.signIn('admin');
    const second = await t.signIn('admin');
    const supervisor = await t.signIn('supervisor');
    const { person } = await t.signIn('support');
    const res = await admin.agent.patch(`/api/staff/${person.id}`).send({ roles: ['support', 'auditor'] });
    expect(res.status).toBe(202);
    expect(res.body.roles).toEqual(['support']);
    const requestId = res.body.pendingChangeRequestId;
    expect(requestId).toEqual(expect.any(String));

    expect((await admin.agent.post(`/api/change-requests/${requestId}/approve`).send({})).status).toBe(403);
    expect((await supervisor.agent.get(`/api/change-requests/${requestId}`)).status).toBe(404);
    expect((await supervisor.agent.post(`/api/change-requests/${requestId}/approve`).send({})).status).toBe(
      404,
    );
    const pending = await second.agent.get('/api/change-requests').query({ status: 'pending' });
    expect(pending.body.data.map((r: { id: string }) => r.id)).toContain(requestId);
    const approved = await second.agent
      .post(`/api/change-requests/${requestId}/approve`)
      .send({ comment: 'ok' });
    expect(approved.status).toBe(200);
    expect(approved.body.staff.roles).toEqual(['auditor', 'support']);
    const events = await t.dataSource.query(
      `SELECT action, outcome FROM audit_event WHERE target_id IN ($1, $2) ORDER BY seq`,
      [person.id, requestId],
    );
    expect(events.map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`)).toEqual([
      'staff.grant_roles pending',
      // The requester's own approval, refused: its event names the request.
      'access.denied denied',
      'change_request.approve success',
      'staff.update success',
    ]);

    const removed = await admin.agent.patch(`/api/staff/${person.id}`).send({ roles: ['support'] });
    expect(removed.status).toBe(200);
    expect(removed.body.roles).toEqual(['support']);
    expect(removed.body.pendingChangeRequestId).toBeUndefined();
  });

  it('creating a person with roles grants none until a second admin approves them', async () => {
    const admin = await t.signIn('admin');
    const second = await t.signIn('admin');
    const created = await admin.agent.post('/api/staff').send({
      email: `deputy-${randomBytes(4).toString('hex')}@staff.test`,
      displayName: 'Deputy',
      roles: ['admin'],
    });
    expect(created.status).toBe(202);
    expect(created.body.roles).toEqual([]);
    const { id, initialPassword, pendingChangeRequestId: requestId } = created.body;
    expect(requestId).toEqual(expect.any(String));
    expect((await admin.agent.get(`/api/staff/${id}`)).body.roles).toEqual([]);
    // The new person holds no permission yet, so cannot approve their own grant either.
    const newcomer = await login({ email: created.body.email, password: initialPassword }).res;
    expect(newcomer.status).toBe(200);
    expect(newcomer.body.user.permissions).toEqual([]);

    expect((await admin.agent.post(`/api/change-requests/${requestId}/approve`).send({})).status).toBe(403);
    const shown = await second.agent.get(`/api/change-requests/${requestId}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      operation: 'grant-roles',
      targetType: 'staff',
      targetId: id,
      params: { roles: ['admin'] },
      changes: { roles: { before: [], after: ['admin'] } },
      requestedBy: { id: admin.person.id },
      status: 'pending',
    });
    const approved = await second.agent.post(`/api/change-requests/${requestId}/approve`).send({});
    expect(approved.status).toBe(200);
    expect(approved.body.staff.roles).toEqual(['admin']);
    expect((await admin.agent.get(`/api/staff/${id}`)).body.roles).toEqual(['admin']);

    const events = await t.dataSource.query(
      `SELECT action, outcome FROM audit_event WHERE target_id IN ($1, $2) ORDER BY seq`,
      [id, requestId],
    );
    expect(events.map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`)).toEqual([
      'staff.create success',
      'staff.grant_roles pending',
      // The requester's own approval, refused: its event names the request.
      'access.denied denied',
      'change_request.approve success',
      'staff.update success',
    ]);
  });

  it('creating a person with no roles files no change request', async () => {
    const admin = await t.signIn('admin');
    const created = await admin.agent
      .post('/api/staff')
      .send({ email: `blank-${randomBytes(4).toString('hex')}@staff.test`, displayName: 'Blank', roles: [] });
    expect(created.status).toBe(201);
    expect(created.body.roles).toEqual([]);
    expect(created.body.pendingChangeRequestId).toBeUndefined();
    expect(
      await t.dataSource.query(`SELECT id FROM change_request WHERE target_id = $1`, [created.body.id]),
    ).toEqual([]);
  });

  it('an admin cannot approve a grant for themselves', async () => {
    const first = await t.signIn('admin');
    const second = await t.signIn('admin');
    const res = await first.agent
      .patch(`/api/staff/${second.person.id}`)
      .send({ roles: ['admin', 'auditor'] });
    expect(res.status).toBe(202);
    const own = await second.agent
      .post(`/api/change-requests/${res.body.pendingChangeRequestId}/approve`)
      .send({});
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/for yourself/);
  });
});

describe('mandatory MFA', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ env: { MFA_REQUIRED: 'true' } });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('lets a person without MFA sign in only to enrol', async () => {
    const { agent } = await strict.signIn('support');
    const me = await agent.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.mfaEnrolmentRequired).toBe(true);
    const accounts = await agent.get('/api/accounts');
    expect(accounts.status).toBe(403);
    expect(accounts.body.message).toMatch(/two-factor/);
    const enrol = await agent.post('/api/auth/mfa/enrol');
    await agent.post('/api/auth/mfa/confirm').send({ otp: await generate({ secret: enrol.body.secret }) });
    expect((await agent.get('/api/accounts')).status).toBe(200);
  });
});

describe.runIf(process.env.REDIS_URL)('sign-in limits shared through Redis (REDIS_URL)', () => {
  let second: TestApp;
  beforeAll(async () => {
    second = await startTestApp({ env: { REDIS_URL: process.env.REDIS_URL! } });
  });
  afterAll(async () => {
    await second?.close();
  });

  it('blocks an account on one instance after failures on another', async () => {
    // Two backend instances: `second` and a third on the same Redis, each with its own database
    // and the same person, so only the shared counter can carry the block across.
    const third = await startTestApp({ env: { REDIS_URL: process.env.REDIS_URL! } });
    try {
      const email = `shared-limit-${Date.now()}@staff.test`;
      await createStaff(second.dataSource, { roles: ['support'], email });
      await createStaff(third.dataSource, { roles: ['support'], email });
      const on = (app: TestApp, password: string) =>
        request(app.custodian.app.getHttpServer()).post('/api/auth/login').send({ email, password });
      for (let i = 0; i < 10; i++) expect((await on(second, `wrong ${i}`)).status).toBe(401);
      const elsewhere = await on(third, STAFF_PASSWORD);
      expect(elsewhere.status).toBe(429);
      expect(Number(elsewhere.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await third.close();
    }
  });
});
