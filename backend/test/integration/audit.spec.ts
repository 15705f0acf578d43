import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction } from '@custodian/shared';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AuditService, hashedContent } from '../../src/audit/audit.service';
import { chainHash } from '../../src/audit/canonical';
import { createDataSource } from '../../src/database/data-source';
import { CheckpointService } from '../../src/audit/checkpoint.service';
import { AuditChainTip1765100000000 } from '../../src/database/migrations/1765100000000-AuditChainTip';
import { AuditPendingVacuumService } from '../../src/audit/pending-vacuum.service';
import { buildAccount, insertAccounts } from '../factories/account.factory';
import { appendAuditEvents } from '../factories/audit.factory';
import { startTestApp, type SignedIn, type TestApp } from './harness';
import { TAMPERINGS, withTampering } from './tamper';
import { concretePath, listRoutes } from './routes';

let t: TestApp;
let auditor: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  auditor = await t.signIn('auditor');
});

afterAll(async () => {
  await t?.close();
});

const count = async (where = 'true', params: unknown[] = []) =>
  Number(
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE ${where}`, params))[0].n,
  );

describe('append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on the audit table, even for the database owner', async () => {
    await t.signIn('support');
    for (const sql of [
      `UPDATE audit_event SET reason = 'rewritten'`,
      `DELETE FROM audit_event`,
      `TRUNCATE audit_event`,
    ]) {
      await expect(t.dataSource.query(sql), sql).rejects.toThrow(/append-only/);
    }
  });

  it('never removes the chain tip, which the next event must follow', async () => {
    for (const sql of [`DELETE FROM audit_chain_tip`, `TRUNCATE audit_chain_tip`]) {
      await expect(t.dataSource.query(sql), sql).rejects.toThrow(/never removed/);
    }
  });
});

describe('tamper evidence', () => {
  const query = (sql: string, params?: unknown[]) => t.dataSource.query(sql, params);
  const verify = async () => (await auditor.agent.get('/api/audit-events/verify')).body;

  beforeEach(async () => {
    // Some history to tamper with: sign-ins, searches, reveals.
    const [account] = await insertAccounts(t.dataSource, [buildAccount()]);
    const support = await t.signIn('support');
    await support.agent.get('/api/accounts').query({ email: account!.email });
    await support.agent
      .post(`/api/accounts/${account!.id}/reveal`)
      .send({ fields: ['phone'], reason: 'verifying the caller now' });
    await t.signIn('engineer');
  });

  it('verifies an untouched chain', async () => {
    const res = await auditor.agent.get('/api/audit-events/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, checked: await count() });
    expect(res.body.headSeq).toBe(await count());
    expect(res.body.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  for (const tampering of TAMPERINGS) {
    it(`names the first bad event after ${tampering.name}`, async () => {
      // The newest rows cut off show only against a signed checkpoint of the head.
      const checkpoint = await t.custodian.app.get(CheckpointService).write();
      const head = await count();
      expect(checkpoint?.seq).toBe(String(head));
      const result = await withTampering(query, tampering.sql(head), verify);
      expect(result).toMatchObject({ valid: false, firstInvalidSeq: tampering.firstInvalidSeq(head) });
      expect(result.problem).toMatch(tampering.problem);
    });
  }

  it('notices a rewritten and re-hashed chain, against the signed checkpoint', async () => {
    // A forger with database access recomputes every hash after changing an event: the chain links
    // up again, but the checkpoint signed before no longer matches.
    await t.custodian.app.get(CheckpointService).write();
    const total = await count();
    const rehash = async () => {
      const events = await t.dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } });
      let prev = events[total - 4]!.hash;
      for (const e of events.slice(total - 3)) {
        if (e.seq === String(total - 2)) e.reason = 'history rewritten';
        e.prevHash = prev;
        e.hash = chainHash(prev, e.seq, hashedContent(e));
        prev = e.hash;
        await t.dataSource.query(
          `UPDATE audit_event SET reason = $2, prev_hash = $3, hash = $4 WHERE seq = $1`,
          [e.seq, e.reason, e.prevHash, e.hash],
        );
      }
    };
    const result = await withTampering(query, rehash, verify);
    expect(result).toMatchObject({ valid: false, firstInvalidSeq: total });
    expect(result.problem).toMatch(/signed checkpoint/);
  });
});

describe('text the database stores differently', () => {
  it('refuses a lone surrogate or a NUL with a 400 that names the field, recording nothing altered', async () => {
    const engineer = await t.signIn('engineer');
    const [account] = await insertAccounts(t.dataSource, [buildAccount()]);
    const head = async () =>
      Number((await t.dataSource.query(`SELECT coalesce(max(seq), 0)::int AS n FROM audit_event`))[0].n);
    for (const odd of ['\ud800', '\udfff', '\u0000']) {
      const before = await head();
      const reveal = await engineer.agent
        .post(`/api/accounts/${account!.id}/reveal`)
        .send({ fields: ['email'], reason: `caller on the line ${odd} again` });
      expect(reveal.status).toBe(400);
      expect(reveal.body.message).toEqual(['reason must be text without NUL characters or lone surrogates']);
      const login = await t
        .http()
        .post('/api/auth/login')
        .send({ email: `x${odd}@staff.test`, password: 'wrong' });
      expect(login.status).toBe(400);
      expect(login.body.message).toEqual(['email must be text without NUL characters or lone surrogates']);
      expect(await head()).toBe(before);
    }
  });

  it('stores what the database cannot hold as U+FFFD, before the hash, so the chain stays valid', async () => {
    // Events are also built from what no validator saw (a refused request's facts): the writer
    // itself must cope with any text.
    const audit = new AuditService(t.dataSource);
    for (const odd of ['\ud800', '\udfff', '\u0000']) {
      await audit.record({
        actor: { type: 'system', id: null, email: null, roles: [] },
        action: 'auth.login_failed' as AuditAction,
        outcome: 'denied',
        reason: `caller on the line ${odd} again`,
        details: { [`key${odd}`]: [`value${odd}`] },
      });
    }
    const verify = await auditor.agent.get('/api/audit-events/verify');
    expect(verify.body).toMatchObject({ valid: true });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE reason = 'caller on the line ' || chr(65533) || ' again'`,
    );
    expect(n).toBe(3);
  });
});

describe('transactional', () => {
  it('rolls the change back when its audit event cannot be written', async () => {
    const admin = await t.signIn('admin');
    await t.dataSource.query(`
      CREATE FUNCTION fail_staff_create() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'staff.create' THEN RAISE EXCEPTION 'audit store unavailable'; END IF; RETURN NEW; END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER fail_staff_create BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION fail_staff_create()`,
    );
    try {
      const res = await admin.agent
        .post('/api/staff')
        .send({ email: 'never.created@staff.test', displayName: 'Never', roles: ['support'] });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'internal server error',
      });
      expect(
        await t.dataSource.query(`SELECT id FROM staff WHERE email = 'never.created@staff.test'`),
      ).toEqual([]);
    } finally {
      await t.dataSource.query(`DROP TRIGGER fail_staff_create ON audit_event`);
      await t.dataSource.query(`DROP FUNCTION fail_staff_create()`);
    }
  });

  it('writes no success event when the change fails', async () => {
    const admin = await t.signIn('admin');
    await t.dataSource.query(`
      CREATE FUNCTION fail_staff_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER fail_staff_insert BEFORE INSERT ON staff FOR EACH ROW EXECUTE FUNCTION fail_staff_insert()`,
    );
    try {
      const before = await count(`action = 'staff.create'`);
      const res = await admin.agent
        .post('/api/staff')
        .send({ email: 'also.never@staff.test', displayName: 'Never', roles: ['support'] });
      expect(res.status).toBe(500);
      expect(await count(`action = 'staff.create'`)).toBe(before);
    } finally {
      await t.dataSource.query(`DROP TRIGGER fail_staff_insert ON staff`);
      await t.dataSource.query(`DROP FUNCTION fail_staff_insert()`);
    }
  });
});

describe('completeness', () => {
  /** A valid request for every route that changes data, and the one event it must write. */
  async function writeCases() {
    const [account] = await insertAccounts(t.dataSource, [buildAccount()]);
    const admin = await t.signIn('admin');
    const support = await t.signIn('support');
    const token = await support.agent.post('/api/auth/tokens').send({ name: 'to revoke', expiresInDays: 1 });
    const target = await t.signIn('support');
    const leaving = await t.signIn('support');
    const { generate } = await import('otplib');
    const enrolling = await t.signIn('engineer');
    let secret = '';
    const engineer = await t.signIn('engineer');
    const supervisor = await t.signIn('supervisor');
    const [a, b] = await insertAccounts(t.dataSource, [buildAccount(), buildAccount()]);
    const request = async (account: typeof a) =>
      (
        await engineer.agent.post(`/api/accounts/${account!.id}/operations/change-email`).send({
          email: `new-${account!.id}@example.com`,
          reason: 'customer asked by mail',
          expectedVersion: 1,
        })
      ).body.changeRequestId as string;
    const toApprove = await request(a);
    const toReject = await request(b);
    return {
      'POST /api/auth/login': { send: () => t.signIn('support'), action: 'auth.login' },
      'POST /api/auth/logout': { send: () => leaving.agent.post('/api/auth/logout'), action: 'auth.logout' },
      'POST /api/auth/mfa/enrol': {
        send: async () => (secret = (await enrolling.agent.post('/api/auth/mfa/enrol')).body.secret),
        action: null,
      },
      'POST /api/auth/mfa/confirm': {
        send: async () =>
          enrolling.agent.post('/api/auth/mfa/confirm').send({ otp: await generate({ secret }) }),
        action: 'auth.mfa_enrolled',
      },
      'POST /api/auth/password': {
        send: () =>
          target.agent.post('/api/auth/password').send({
            currentPassword: 'correct horse battery staple 42',
            newPassword: 'another fine passphrase 7',
          }),
        action: 'auth.password_changed',
      },
      'POST /api/auth/tokens': {
        send: () => admin.agent.post('/api/auth/tokens').send({ name: 'new', expiresInDays: 1 }),
        action: 'auth.token_created',
      },
      'DELETE /api/auth/tokens/:id': {
        send: () => support.agent.delete(`/api/auth/tokens/${token.body.id}`),
        action: 'auth.token_revoked',
      },
      'POST /api/staff': {
        send: () =>
          admin.agent
            .post('/api/staff')
            .send({ email: `hire-${Date.now()}@staff.test`, displayName: 'Hire', roles: ['auditor'] }),
        action: 'staff.create',
      },
      'PATCH /api/staff/:id': {
        // Removing a role applies at once (a grant waits for a second admin: see auth.spec).
        send: () => admin.agent.patch(`/api/staff/${target.person.id}`).send({ roles: [] }),
        action: 'staff.update',
      },
      'POST /api/accounts/:id/operations/:name': {
        send: () =>
          engineer.agent
            .post(`/api/accounts/${account!.id}/operations/change-plan`)
            .send({ plan: 'pro', reason: 'upgrade promised by sales', expectedVersion: 1 }),
        action: 'account.operation.change-plan',
      },
      // A bulk operation always waits for approval: its request is a pending event, not a success.
      'POST /api/bulk-operations': {
        send: () =>
          engineer.agent
            .post('/api/bulk-operations')
            .send({ operation: 'suspend', accountIds: [b!.id], reason: 'fraud ring clean-up' }),
        action: 'bulk_operation.request',
        outcome: 'pending',
      },
      'POST /api/change-requests/:id/approve': {
        send: () => supervisor.agent.post(`/api/change-requests/${toApprove}/approve`).send({}),
        action: 'change_request.approve',
      },
      'POST /api/change-requests/:id/reject': {
        send: () =>
          supervisor.agent.post(`/api/change-requests/${toReject}/reject`).send({ comment: 'not verified' }),
        action: 'change_request.reject',
      },
      'POST /api/accounts/:id/reveal': {
        send: () =>
          admin.agent
            .post(`/api/accounts/${account!.id}/reveal`)
            .send({ fields: ['email'], reason: 'admins may not do this' }),
        action: null,
      },
    } as Record<string, { send: () => Promise<unknown>; action: string | null; outcome?: string }>;
  }

  it('every route that changes data writes exactly one success event in its transaction', async () => {
    const cases = await writeCases();
    const writeRoutes = listRoutes(t.custodian.app)
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`);
    // A new write route fails here until it is given a case (and so an audit event).
    expect(Object.keys(cases).sort()).toEqual(writeRoutes.sort());
    for (const [route, c] of Object.entries(cases)) {
      const before = await count(`outcome = 'success'`);
      const outcome = c.outcome ?? 'success';
      const beforeAction = c.action ? await count(`action = $1 AND outcome = $2`, [c.action, outcome]) : 0;
      await c.send();
      const after = await count(`outcome = 'success'`);
      if (c.action === null) {
        // Starting MFA enrolment stores nothing yet, and a refused reveal changes nothing.
        expect(after - before, route).toBe(0);
      } else {
        expect(await count(`action = $1 AND outcome = $2`, [c.action, outcome]), route).toBe(
          beforeAction + 1,
        );
      }
    }
  });

  it('every 401 and 403 on a protected route writes a denied event', async () => {
    const protectedRoutes = listRoutes(t.custodian.app).filter((r) => r.rule?.kind !== 'public');
    const before401 = await count(`action = 'auth.unauthenticated'`);
    for (const route of protectedRoutes) {
      const send = t.http()[route.method.toLowerCase() as 'get'];
      const res = await send(concretePath(route.path)).set('Authorization', 'Bearer cst_not-a-token');
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
    expect(await count(`action = 'auth.unauthenticated'`)).toBe(before401 + protectedRoutes.length);

    // Without any credential, too; all but the console's "who is signed in?" (next test).
    const beforeAnonymous = await count(`action = 'auth.unauthenticated'`);
    const anonymous = protectedRoutes.filter((r) => !r.identityCheck);
    expect(protectedRoutes.length - anonymous.length).toBe(1);
    for (const route of anonymous) {
      await t.http()[route.method.toLowerCase() as 'get'](concretePath(route.path));
    }
    expect(await count(`action = 'auth.unauthenticated'`)).toBe(beforeAnonymous + anonymous.length);

    const admin = await t.signIn('admin');
    const before403 = await count(`action = 'access.denied' AND actor_id = $1`, [admin.person.id]);
    expect((await admin.agent.get('/api/accounts')).status).toBe(403);
    expect((await admin.agent.get('/api/audit-events')).status).toBe(403);
    expect(await count(`action = 'access.denied' AND actor_id = $1`, [admin.person.id])).toBe(before403 + 2);
  });
});

describe('the console asking who is signed in', () => {
  const unauthenticated = () => count(`action = 'auth.unauthenticated'`);

  it('writes no event when asked with no credential: opening the sign-in page is no attempt', async () => {
    const before = await unauthenticated();
    const res = await t.http().get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(await unauthenticated()).toBe(before);

    // Nor after signing out: the browser has dropped the session cookie.
    const { agent } = await t.signIn('support');
    expect((await agent.post('/api/auth/logout')).status).toBe(204);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
    expect(await unauthenticated()).toBe(before);
  });

  it('writes one when asked with a token that is not valid, or the cookie of a session that ended', async () => {
    const before = await unauthenticated();
    expect((await t.http().get('/api/auth/me').set('Authorization', 'Bearer cst_forged')).status).toBe(401);
    expect(await unauthenticated()).toBe(before + 1);

    // A copy of a session cookie, replayed after its owner signed out.
    const { agent, cookie } = await t.signIn('support');
    expect((await t.http().get('/api/auth/me').set('Cookie', cookie)).status).toBe(200);
    expect((await agent.post('/api/auth/logout')).status).toBe(204);
    expect((await t.http().get('/api/auth/me').set('Cookie', cookie)).status).toBe(401);
    expect(await unauthenticated()).toBe(before + 2);

    // Nobody is identified, but the kind of credential tried is: API.md's actor types only.
    const tried: Array<{ actor_type: string; actor_id: string | null }> = await t.dataSource.query(
      `SELECT actor_type, actor_id FROM audit_event WHERE action = 'auth.unauthenticated' ORDER BY seq DESC LIMIT 2`,
    );
    expect(tried).toEqual([
      { actor_type: 'staff', actor_id: null },
      { actor_type: 'token', actor_id: null },
    ]);
  });
});

describe('reading the log', () => {
  it('filters by actor, action, outcome and time, newest first, with cursor paging', async () => {
    const engineer = await t.signIn('engineer');
    const [account] = await insertAccounts(t.dataSource, [buildAccount()]);
    for (let i = 0; i < 3; i++) {
      await engineer.agent
        .post(`/api/accounts/${account!.id}/reveal`)
        .send({ fields: ['email'], reason: `case number ${i} needs it` });
    }
    const from = new Date(Date.now() - 60_000).toISOString();
    const page1 = await auditor.agent
      .get('/api/audit-events')
      .query({ actorId: engineer.person.id, action: 'account.reveal', from, limit: 2 });
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((e: { reason: string }) => e.reason)).toEqual([
      'case number 2 needs it',
      'case number 1 needs it',
    ]);
    const page2 = await auditor.agent.get('/api/audit-events').query({
      actorId: engineer.person.id,
      action: 'account.reveal',
      from,
      limit: 2,
      cursor: page1.body.nextCursor,
    });
    expect(page2.body.data.map((e: { reason: string }) => e.reason)).toEqual(['case number 0 needs it']);
    expect(page2.body.nextCursor).toBeNull();
    const byText = await auditor.agent.get('/api/audit-events').query({ q: 'number 1' });
    expect(byText.body.data).toHaveLength(1);
    const history = await auditor.agent.get(`/api/accounts/${account!.id}/history`);
    expect(history.body.data).toHaveLength(3);
    const one = await auditor.agent.get(`/api/audit-events/${history.body.data[0].id}`);
    expect(one.body).toMatchObject({
      action: 'account.reveal',
      target: { type: 'account', id: account!.id },
    });
    const future = await auditor.agent.get('/api/audit-events').query({ from: '2999-01-01' });
    expect(future.body.data).toEqual([]);
  });

  it('shows the auditor staff role and state changes as they are: staff data, not personal data', async () => {
    const admin = await t.signIn('admin');
    const second = await t.signIn('admin');
    const email = `reviewed-${Date.now()}@staff.test`;
    const created = await admin.agent
      .post('/api/staff')
      .send({ email, displayName: 'Reviewed', roles: ['auditor'] });
    const id = created.body.id;
    await second.agent.post(`/api/change-requests/${created.body.pendingChangeRequestId}/approve`).send({});
    await admin.agent.patch(`/api/staff/${id}`).send({ active: false });
    const res = await auditor.agent.get('/api/audit-events').query({ targetType: 'staff', targetId: id });
    expect(res.status).toBe(200);
    const changes = Object.fromEntries(
      res.body.data.map((e: { action: string; changes: unknown }) => [e.action, e.changes]),
    );
    expect(changes).toEqual({
      'staff.create': {
        email: { before: null, after: email },
        displayName: { before: null, after: 'Reviewed' },
      },
      'staff.grant_roles': { roles: { before: [], after: ['auditor'] } },
      'staff.update': { roles: { before: [], after: ['auditor'] } },
      'staff.deactivate': { active: { before: true, after: false } },
    });
  });

  it('pages newest first by time, and by seq among events of the same moment', async () => {
    const moment = new Date(Date.now() - 3_600_000);
    // Five events of one moment, then two written later but dated earlier (a clock step back).
    await appendAuditEvents(t.dataSource, 7, {
      overrides: (n) => ({
        occurredAt: n < 5 ? moment : new Date(moment.getTime() - 1_000 + n),
        actorEmail: 'same.moment@staff.test',
      }),
    });
    const written: Array<{ seq: string }> = await t.dataSource.query(
      `SELECT e.seq::text AS seq FROM audit_event e WHERE e.actor_email = 'same.moment@staff.test' ORDER BY e.seq`,
    );
    const [s0, s1, s2, s3, s4, s5, s6] = written.map((r) => r.seq);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await auditor.agent
        .get('/api/audit-events')
        .query({ actorEmail: 'same.moment@staff.test', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((e: { seq: number | string }) => String(e.seq)));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([s4, s3, s2, s1, s0, s6, s5]);
    // A cursor whose time or seq was tampered with is a 400, never a 500.
    const forged = Buffer.from(JSON.stringify(['occurredAt:desc', 'yesterday/12', randomUUID()])).toString(
      'base64url',
    );
    expect((await auditor.agent.get('/api/audit-events').query({ cursor: forged })).status).toBe(400);
  });

  it('finds the events of an actor or target named by its id in capitals, as the routes by id do', async () => {
    // Ids are stored in small letters: an id pasted in capitals matched nothing, and an empty page
    // passed for "no such events".
    // An auditor of its own: the exports below would count against the shared one's.
    const reader = await t.signIn('auditor');
    const { agent, person } = await t.signIn('support');
    const token = await agent.post('/api/auth/tokens').send({ name: 'to find', expiresInDays: 1 });
    expect(token.status).toBe(201);
    const tokenId: string = token.body.id;
    for (const [query, lower] of [
      [{ actorId: person.id.toUpperCase() }, { actorId: person.id }],
      [
        { targetType: 'token', targetId: tokenId.toUpperCase() },
        { targetType: 'token', targetId: tokenId },
      ],
    ] as const) {
      const expected = await reader.agent.get('/api/audit-events').query(lower);
      expect(expected.body.data.length, JSON.stringify(lower)).toBeGreaterThan(0);
      const upper = await reader.agent.get('/api/audit-events').query(query);
      expect(upper.status, JSON.stringify(query)).toBe(200);
      expect(upper.body.data, JSON.stringify(query)).toEqual(expected.body.data);
      const exported = await reader.agent.get('/api/audit-events/export').query(query);
      expect(exported.status, JSON.stringify(query)).toBe(200);
      expect(exported.text.trim().split('\n'), JSON.stringify(query)).toHaveLength(expected.body.data.length);
    }
  });

  it('rejects bad filters with a 400 naming them', async () => {
    for (const [query, name] of [
      [{ from: 'yesterday' }, 'from'],
      [{ outcome: 'maybe' }, 'outcome'],
      [{ action: 'DROP TABLE' }, 'action'],
      [{ limit: '0' }, 'limit'],
      [{ cursor: 'garbage' }, 'cursor'],
    ] as const) {
      const res = await auditor.agent.get('/api/audit-events').query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(name);
    }
  });

  it('takes as the action filter a catalogue action or prefix, and refuses any other with a 400', async () => {
    for (const { action } of AUDIT_ACTIONS) {
      const res = await auditor.agent.get('/api/audit-events').query({ action, limit: 5 });
      expect(res.status, action).toBe(200);
      for (const e of res.body.data) expect(e.action).toBe(action);
    }
    for (const prefix of ['auth.', 'account.operation.']) {
      const res = await auditor.agent.get('/api/audit-events').query({ action: prefix, limit: 100 });
      expect(res.status, prefix).toBe(200);
      for (const e of res.body.data) expect(e.action.startsWith(prefix), e.action).toBe(true);
    }
    // The auditor's own sign-in is there, so the prefix filter found something.
    expect((await auditor.agent.get('/api/audit-events').query({ action: 'auth.' })).body.data).not.toEqual(
      [],
    );

    const exports = await count(`action = 'audit.export'`);
    for (const action of [
      'auth.logn',
      'auth.login.',
      'account.reveal.',
      'account',
      'account.operation.fly',
      '.',
    ]) {
      for (const path of ['/api/audit-events', '/api/audit-events/export']) {
        const res = await auditor.agent.get(path).query({ action });
        expect(res.status, `${path} ${action}`).toBe(400);
        expect(JSON.stringify(res.body.message)).toContain('action must be an action of the audit catalogue');
      }
    }
    const twice = await auditor.agent.get('/api/audit-events?action=auth.login&action=auth.logout');
    expect(twice.status).toBe(400);
    // A refused export is not an export.
    expect(await count(`action = 'audit.export'`)).toBe(exports);
  });

  it('exports CSV and JSON lines, and the export is itself an event', async () => {
    const jsonl = await auditor.agent
      .get('/api/audit-events/export')
      .query({ format: 'jsonl', action: 'auth.login' });
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers['content-type']).toMatch(/ndjson/);
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(await count(`action = 'auth.login'`));
    expect(lines.every((e) => e.action === 'auth.login')).toBe(true);
    const csv = await auditor.agent.get('/api/audit-events/export').query({ format: 'csv' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toMatch(/^seq,id,occurredAt,/);
    expect(await count(`action = 'audit.export' AND actor_id = $1`, [auditor.person.id])).toBe(2);
    const support = await t.signIn('support');
    expect((await support.agent.get('/api/audit-events/export')).status).toBe(403);
  });

  it('refuses limit and cursor on an export with a 400 naming them, and records no export', async () => {
    // An export holds every matching event: a limit or cursor was taken and ignored, so a client
    // asking for 5 events got the whole log, and a cursor passed for a page it was not.
    await t.signIn('support'); // a second event at least, so that the first page has a cursor
    const exports = await count(`action = 'audit.export'`);
    const page = await auditor.agent.get('/api/audit-events').query({ limit: 1 });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    for (const [query, name] of [
      [{ limit: '5' }, 'limit'],
      [{ cursor: page.body.nextCursor as string }, 'cursor'],
      [{ format: 'csv', limit: '1' }, 'limit'],
    ] as const) {
      const res = await auditor.agent.get('/api/audit-events/export').query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.message, JSON.stringify(query)).toEqual([`property ${name} should not exist`]);
    }
    expect(await count(`action = 'audit.export'`)).toBe(exports);
  });
});

describe('concurrent writers', () => {
  // 10,000 events against a PostgreSQL server (CI runs it); fewer on the single-connection embedded database.
  const total = process.env.DATABASE_URL ? 10_000 : 800;
  it(`8 writers appending ${total} events leave the chain unbroken`, async () => {
    const audit = t.custodian.app.get(AuditService);
    const before = await count();
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < total / 8; i++) {
          // Each event in a transaction of its own, as a change's event is: on PostgreSQL the eight
          // writers hold eight connections and really race for the chain head.
          await t.dataSource.transaction((m) =>
            audit.record(
              {
                actor: { type: 'system', id: null, email: null, roles: [] },
                // Outside the catalogue on purpose, so these synthetic events are told from real ones.
                action: 'test.concurrent' as AuditAction,
                outcome: 'success',
                details: { writer: w, i },
              },
              m,
            ),
          );
        }
      }),
    );
    expect(await count()).toBe(before + total);
    const res = await auditor.agent.get('/api/audit-events/verify');
    expect(res.body).toMatchObject({ valid: true, checked: before + total });
  }, 300_000);
});

describe('chained at commit', () => {
  const event = (i: number) => ({
    actor: { type: 'system' as const, id: null, email: null, roles: [] },
    action: 'test.commit-order' as AuditAction,
    outcome: 'success' as const,
    details: { i },
  });
  const seqOf = async (id: string) =>
    (
      (await t.dataSource.query(`SELECT seq::int AS seq FROM audit_event WHERE id = $1`, [id])) as {
        seq: number;
      }[]
    )[0]?.seq;
  const pending = async () =>
    ((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_pending`)) as { n: number }[])[0]!.n;

  const tipAndHead = async () =>
    (await t.dataSource.query(
      `SELECT (SELECT row(seq, hash)::text FROM audit_chain_tip) AS tip,
              (SELECT row(seq, hash)::text FROM audit_event ORDER BY seq DESC LIMIT 1) AS head`,
    )) as { tip: string; head: string }[];

  it('keeps the chain tip on the newest event, whoever inserted it', async () => {
    const audit = t.custodian.app.get(AuditService);
    await audit.record(event(30));
    const [afterSeal] = await tipAndHead();
    expect(afterSeal!.tip).toBe(afterSeal!.head);
    // Written straight into audit_event by the owner (as the benchmark's seed does), several at once.
    await appendAuditEvents(t.dataSource, 3);
    const [{ tip, head }] = (await tipAndHead()) as [{ tip: string; head: string }];
    expect(tip).toBe(head);
    expect((await auditor.agent.get('/api/audit-events/verify')).body).toMatchObject({ valid: true });
  });

  it('starts the tip at the newest event of a log that has events when it is added, and can be undone', async () => {
    const audit = t.custodian.app.get(AuditService);
    const migration = new AuditChainTip1765100000000();
    // A runner holds its connection until released, and the embedded database has only one.
    const withRunner = async (step: (runner: QueryRunner) => Promise<void>) => {
      const runner = t.dataSource.createQueryRunner();
      try {
        await step(runner);
      } finally {
        await runner.release();
      }
    };
    await withRunner((runner) => migration.down(runner));
    // Chained the way it was before: by a search for the newest event.
    await audit.record(event(40));
    await withRunner((runner) => migration.up(runner));
    const [{ tip, head }] = (await tipAndHead()) as [{ tip: string; head: string }];
    expect(tip).toBe(head);
    await audit.record(event(41));
    expect((await auditor.agent.get('/api/audit-events/verify')).body).toMatchObject({ valid: true });
  });

  it('links the next event to the tip even when the newest events were cut off, so the cut shows', async () => {
    const audit = t.custodian.app.get(AuditService);
    await Promise.all([31, 32, 33].map((i) => audit.record(event(i))));
    const [{ n: head }] = (await t.dataSource.query(`SELECT max(seq)::int AS n FROM audit_event`)) as [
      { n: number },
    ];
    const verified = await withTampering(
      (sql, params) => t.dataSource.query(sql, params),
      async () => {
        await t.dataSource.query(`DELETE FROM audit_event WHERE seq > $1`, [head - 2]);
        await t.dataSource.query(`ALTER TABLE audit_event ENABLE TRIGGER USER`);
        try {
          // The next event takes its place after the removed ones, not after the new newest.
          expect(await seqOf((await audit.record(event(34))).id)).toBe(head + 1);
        } finally {
          await t.dataSource.query(`ALTER TABLE audit_event DISABLE TRIGGER USER`);
        }
      },
      async () => (await auditor.agent.get('/api/audit-events/verify')).body,
    );
    expect(verified).toMatchObject({ valid: false, firstInvalidSeq: head + 1 });
    expect(verified.problem).toBe(`event #${head - 1} is missing`);
  });

  it('keeps no event of a transaction that rolls back, and leaves nothing pending', async () => {
    const audit = t.custodian.app.get(AuditService);
    const before = await count();
    let id = '';
    await expect(
      t.dataSource.transaction(async (m) => {
        id = (await audit.record(event(1), m)).id;
        throw new Error('the change failed after its event was written');
      }),
    ).rejects.toThrow('the change failed');
    expect(await count()).toBe(before);
    expect(await seqOf(id)).toBeUndefined();
    expect(await pending()).toBe(0);
  });

  it('chains the events of one transaction, and of one queued batch, in the order they were written', async () => {
    const audit = t.custodian.app.get(AuditService);
    const inTransaction = await t.dataSource.transaction(async (m) => {
      const ids: string[] = [];
      for (const i of [10, 11, 12, 13]) ids.push((await audit.record(event(i), m)).id);
      return ids;
    });
    // Recorded in one tick, so they are flushed as one batch.
    const queued = (await Promise.all([20, 21, 22, 23].map((i) => audit.record(event(i))))).map((e) => e.id);
    for (const ids of [inTransaction, queued]) {
      const seqs = await Promise.all(ids.map(seqOf));
      expect(seqs.every((seq, n) => n === 0 || seq === seqs[n - 1]! + 1)).toBe(true);
    }
    expect(await pending()).toBe(0);
    expect((await auditor.agent.get('/api/audit-events/verify')).body).toMatchObject({ valid: true });
  });

  it('vacuums audit_pending, whose every event leaves a dead row, so that it does not grow for good', async () => {
    const audit = t.custodian.app.get(AuditService);
    const vacuum = t.custodian.app.get(AuditPendingVacuumService);
    const size = async () =>
      Number(
        (
          (await t.dataSource.query(`SELECT pg_relation_size('audit_pending')::text AS n`)) as { n: string }[]
        )[0]!.n,
      );
    const write = () =>
      t.dataSource.transaction(async (m) => {
        for (let i = 0; i < 300; i++) await audit.record(event(100 + i), m);
      });
    await vacuum.vacuum();
    await write();
    // 300 events left 300 dead rows behind...
    const grown = await size();
    expect(grown).toBeGreaterThan(0);
    await vacuum.vacuum();
    // ...which the vacuum cleared: 300 more fit in the same pages.
    await write();
    expect(await size()).toBeLessThanOrEqual(grown);
  });

  it('keeps the pages of audit_pending through a vacuum, so its rows are looked up by index', async () => {
    const vacuum = t.custodian.app.get(AuditPendingVacuumService);
    await t.dataSource.transaction(async (m) => {
      for (let i = 0; i < 100; i++) await t.custodian.app.get(AuditService).record(event(500 + i), m);
    });
    await vacuum.vacuum();
    const [row] = (await t.dataSource.query(
      `SELECT relpages AS pages FROM pg_class WHERE relname = 'audit_pending'`,
    )) as { pages: number }[];
    expect(row!.pages).toBeGreaterThan(0);
    // Cut to no pages, the table would have the seal's lookups planned as scans of the whole table,
    // and kept so while dead rows pile up again.
    const plan = (await t.dataSource.query(
      `EXPLAIN SELECT p.id FROM audit_pending p WHERE p.tx = pg_current_xact_id() ORDER BY p.ord`,
    )) as Record<string, string>[];
    const text = plan.map((row) => Object.values(row)[0]).join('\n');
    expect(text).toMatch(/Index/);
    expect(text).not.toMatch(/Seq Scan/);
  });

  it('refuses a pending event that names another transaction, so none is left outside the chain', async () => {
    const before = await count();
    await expect(
      t.dataSource.transaction((m) =>
        m.query(
          `INSERT INTO audit_pending (id, tx, occurred_at, actor_type, action, outcome, canonical)
           VALUES (gen_random_uuid(), '1', now(), 'system', 'test.commit-order', 'success', '{}')`,
        ),
      ),
    ).rejects.toThrow(/written by the transaction it names/);
    expect(await count()).toBe(before);
    expect(await pending()).toBe(0);
  });

  it('refuses to chain in a REPEATABLE READ transaction, whose old snapshot could fork the chain', async () => {
    const audit = t.custodian.app.get(AuditService);
    const before = await count();
    await expect(
      t.dataSource.transaction('REPEATABLE READ', (m) => audit.record(event(2), m)),
    ).rejects.toThrow(/READ COMMITTED transactions only/);
    expect(await count()).toBe(before);
    expect(await pending()).toBe(0);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "chains in READ COMMITTED even where the database's default is REPEATABLE READ",
    async () => {
      const [{ db }] = await t.dataSource.query(`SELECT current_database() AS db`);
      await t.dataSource.query(`ALTER DATABASE ${db} SET default_transaction_isolation TO 'repeatable read'`);
      // A new data source, so its connections start under the new default.
      const fresh = createDataSource(t.custodian.database.url, 2);
      await fresh.initialize();
      try {
        const isolation = await fresh.transaction(async (m) => {
          await new AuditService(fresh).record(event(5), m);
          return ((await m.query(`SHOW transaction_isolation`)) as { transaction_isolation: string }[])[0]!
            .transaction_isolation;
        });
        expect(isolation).toBe('read committed');
      } finally {
        await fresh.destroy();
        await t.dataSource.query(`ALTER DATABASE ${db} RESET default_transaction_isolation`);
      }
    },
  );

  // Two transactions open at once need two connections: a PostgreSQL server (CI runs it).
  it.skipIf(!process.env.DATABASE_URL)(
    'holds the chain lock only while committing: an open transaction with an event holds up no other writer',
    async () => {
      const audit = t.custodian.app.get(AuditService);
      const slow = t.dataSource.createQueryRunner();
      await slow.connect();
      try {
        await slow.startTransaction();
        const first = await audit.record(event(3), slow.manager);
        const [{ n: locks }] = await slow.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`,
        );
        expect(locks).toBe(0);
        // Written second, on another connection, while the first transaction is still open.
        const second = await t.dataSource.transaction((m) => audit.record(event(4), m));
        expect(await seqOf(second.id)).toBeGreaterThan(0);
        expect(await seqOf(first.id)).toBeUndefined();
        await slow.commitTransaction();
        // The chain is in commit order.
        expect(await seqOf(first.id)).toBe((await seqOf(second.id))! + 1);
      } finally {
        if (slow.isTransactionActive) await slow.rollbackTransaction();
        await slow.release();
      }
      expect((await auditor.agent.get('/api/audit-events/verify')).body).toMatchObject({ valid: true });
    },
  );
});
