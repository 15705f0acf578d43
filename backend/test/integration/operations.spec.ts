import {
  maskEmail,
  OPERATION_NAMES,
  OPERATIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type OperationName,
} from '@custodian/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountEntity } from '../../src/accounts/account.entity';
import { presentChanges } from '../../src/access/field-policy';
import { buildAccount, insertAccounts } from '../factories/account.factory';
import { startTestApp, type SignedIn, type TestApp } from './harness';

let t: TestApp;
let engineer: SignedIn;
let support: SignedIn;
let supervisor: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  [engineer, support, supervisor] = [
    await t.signIn('engineer'),
    await t.signIn('support'),
    await t.signIn('supervisor'),
  ];
});

afterAll(async () => {
  await t?.close();
});

const REASON = 'customer asked through ticket';
const accountRow = (id: string) => t.dataSource.getRepository(AccountEntity).findOneByOrFail({ id });

/** A fresh account in the state an operation needs, with one live customer session. */
async function accountFor(operation: OperationName, overrides: Partial<AccountEntity> = {}) {
  const status = OPERATIONS[operation].allowedStatuses[0];
  const [account] = await insertAccounts(t.dataSource, [
    buildAccount({ status, mfaEnabled: operation === 'reset-mfa', plan: 'free', ...overrides }),
  ]);
  await t.dataSource.query(
    `INSERT INTO customer_session (id, account_id, device, user_agent) VALUES (gen_random_uuid(), $1, 'Pixel', 'UA')`,
    [account!.id],
  );
  return account!;
}

/** Valid parameters for each operation. */
const PARAMS: Record<OperationName, Record<string, unknown>> = {
  'change-email': { email: 'Brand.New@Example.com' },
  'change-phone': { phone: '+44 20 7946 0958' },
  'change-plan': { plan: 'pro' },
  suspend: {},
  reactivate: {},
  'reset-mfa': {},
  'revoke-sessions': {},
  'issue-credit': { amountCents: 1_500 },
  'add-note': { body: 'Called about the invoice.' },
  close: {},
};

/** The operations that set no field of the account: they leave its version where it was. */
const SETS_NO_FIELD: ReadonlySet<OperationName> = new Set<OperationName>(['add-note', 'revoke-sessions']);

function run(as: SignedIn, id: string, operation: string, body: Record<string, unknown>, dryRun = false) {
  return as.agent
    .post(`/api/accounts/${id}/operations/${operation}${dryRun ? '?dryRun=true' : ''}`)
    .send(body);
}

describe('the catalogue', () => {
  it('lists the ten operations with permission, parameters and approval rule', async () => {
    const res = await support.agent.get('/api/operations');
    expect(res.body.data.map((o: { name: string }) => o.name)).toEqual([...OPERATION_NAMES]);
    expect(res.body.data.find((o: { name: string }) => o.name === 'change-email')).toMatchObject({
      permission: 'account.operation.change-email',
      approval: 'always',
      params: [{ name: 'email', type: 'email' }],
    });
  });
});

describe.each(OPERATION_NAMES)('operation %s', (operation) => {
  const def = OPERATIONS[operation];
  const body = () => ({ ...PARAMS[operation], reason: REASON, expectedVersion: 1 });

  it('previews the exact diff on a dry run and writes nothing', async () => {
    const account = await accountFor(operation);
    const res = await run(engineer, account.id, operation, body(), true);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('preview');
    expect(await accountRow(account.id)).toEqual(account);
    // Exact: the diff the run itself then records (none for an operation that sets no field and
    // ends no session), as the engineer is shown it. A request's event records its field changes;
    // the sessions it ends are counted by its run, at the approval.
    const ran = await run(engineer, account.id, operation, body());
    expect(ran.status).toBeLessThan(300);
    if (ran.status === 202 && 'sessions' in res.body.changes) {
      const approved = await supervisor.agent
        .post(`/api/change-requests/${ran.body.changeRequestId}/approve`)
        .send({});
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    }
    const [event] = await t.dataSource.query(
      `SELECT changes FROM audit_event WHERE target_id = $1 ORDER BY seq DESC LIMIT 1`,
      [account.id],
    );
    const viewer = {
      roles: ['engineer'],
      permissions: ROLE_PERMISSIONS.engineer,
      revealed: new Set<never>(),
    };
    expect(res.body.changes).toEqual(presentChanges(event.changes ?? {}, viewer));
  });

  it('applies (or asks for approval) with a reason, and records it', async () => {
    const account = await accountFor(operation);
    const res = await run(engineer, account.id, operation, body());
    if (def.approval === 'always') {
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'pending_approval', changeRequestId: expect.any(String) });
      expect((await accountRow(account.id)).version).toBe(1);
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const version = SETS_NO_FIELD.has(operation) ? 1 : 2;
    expect(res.body).toMatchObject({ status: 'applied', account: { id: account.id, version } });
    expect((await accountRow(account.id)).version).toBe(version);
    const [event] = await t.dataSource.query(
      `SELECT action, outcome, reason FROM audit_event WHERE id = $1`,
      [res.body.auditEventId],
    );
    expect(event).toEqual({ action: `account.operation.${operation}`, outcome: 'success', reason: REASON });
  });

  it('refuses a missing or short reason, a missing version and unknown fields with 400, changing nothing', async () => {
    const account = await accountFor(operation);
    for (const bad of [
      { ...PARAMS[operation], expectedVersion: 1 },
      { ...PARAMS[operation], reason: 'short', expectedVersion: 1 },
      { ...PARAMS[operation], reason: '\u200B'.repeat(12), expectedVersion: 1 },
      { ...PARAMS[operation], reason: REASON },
      { ...PARAMS[operation], reason: REASON, expectedVersion: 'one' },
      { ...PARAMS[operation], reason: REASON, expectedVersion: 1, status: 'closed', creditBalanceCents: 1e9 },
    ]) {
      const res = await run(engineer, account.id, operation, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await accountRow(account.id)).toEqual(account);
  });

  it('answers a stale expectedVersion with 409 and changes nothing', async () => {
    const account = await accountFor(operation, { version: 7 });
    const res = await run(engineer, account.id, operation, { ...body(), expectedVersion: 6 });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/version 6.*now 7/);
    expect(await accountRow(account.id)).toEqual(account);
  });

  it('answers 404 for an account that does not exist, on a dry run and a real one', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const dryRun of [true, false]) {
      const res = await run(engineer, missing, operation, { ...body(), expectedVersion: 1 }, dryRun);
      expect(res.status, `dryRun=${dryRun}`).toBe(404);
      expect(res.body.message).toContain('does not exist');
    }
  });

  const wrongStatus = (['active', 'suspended', 'closed'] as const).find(
    (s) => !def.allowedStatuses.includes(s),
  );
  it.runIf(wrongStatus)(`answers 409 with a sentence when the account is ${wrongStatus}`, async () => {
    const account = await accountFor(operation, { status: wrongStatus! });
    const res = await run(engineer, account.id, operation, body());
    expect(res.status).toBe(409);
    expect(res.body.message).toContain(`this one is ${wrongStatus}`);
  });

  it('is refused (403) to every role without its permission', async () => {
    const account = await accountFor(operation);
    for (const role of ROLES.filter((r) => !ROLE_PERMISSIONS[r].includes(def.permission))) {
      const as = await t.signIn(role);
      const res = await run(as, account.id, operation, body());
      expect(res.status, role).toBe(403);
    }
    expect(await accountRow(account.id)).toEqual(account);
  });

  it('is refused (403) to a token with its permission but not account.read, dry run or not, changing nothing', async () => {
    // Its answer is the account (or the diff of its fields), which such a token may not read.
    const account = await accountFor(operation);
    const created = await engineer.agent
      .post('/api/auth/tokens')
      .send({ name: `only ${operation}`, expiresInDays: 1, permissions: [def.permission] });
    expect(created.status).toBe(201);
    for (const dryRun of [true, false]) {
      const res = await t
        .http()
        .post(`/api/accounts/${account.id}/operations/${operation}${dryRun ? '?dryRun=true' : ''}`)
        .set('Authorization', `Bearer ${created.body.token}`)
        .send(body());
      expect(res.status, `dryRun=${dryRun}`).toBe(403);
      expect(res.body.message).toBe('this needs the account.read permission');
    }
    expect(await accountRow(account.id)).toEqual(account);
    const events: { action: string; outcome: string }[] = await t.dataSource.query(
      `SELECT action, outcome FROM audit_event WHERE actor_type = 'token' AND actor_id = $1`,
      [created.body.id],
    );
    expect(events).toEqual([
      { action: 'access.denied', outcome: 'denied' },
      { action: 'access.denied', outcome: 'denied' },
    ]);
  });
});

describe('specific rules', () => {
  it('validates parameters: a malformed email, phone, plan, amount or empty note is a 400 naming it', async () => {
    const account = await accountFor('change-plan');
    const cases: [OperationName, Record<string, unknown>, string][] = [
      ['change-email', { email: 'not-an-email' }, 'email'],
      ['change-phone', { phone: '12345' }, 'phone'],
      ['change-plan', { plan: 'platinum' }, 'plan'],
      ['issue-credit', { amountCents: -5 }, 'amountCents'],
      ['issue-credit', { amountCents: 10.5 }, 'amountCents'],
      ['issue-credit', { amountCents: '100' }, 'amountCents'],
      ['add-note', { body: '   ' }, 'body'],
    ];
    for (const [operation, params, field] of cases) {
      const res = await run(engineer, account.id, operation, {
        ...params,
        reason: REASON,
        expectedVersion: 1,
      });
      expect(res.status, `${operation} ${JSON.stringify(params)}`).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    }
  });

  it('keeps status out of a change-plan body (no mass assignment)', async () => {
    const account = await accountFor('change-plan');
    const res = await run(engineer, account.id, 'change-plan', {
      plan: 'plus',
      status: 'closed',
      reason: REASON,
      expectedVersion: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('property status should not exist');
    expect((await accountRow(account.id)).status).toBe('active');
  });

  it('refuses an expectedVersion no account can have with a 400 naming it, on every operation, writing nothing', async () => {
    // The version column holds 32-bit integers: a larger number used to reach the database, whose
    // refusal named no field (a note, written without a read first), or pass for a stale version.
    const ids: string[] = [];
    for (const operation of OPERATION_NAMES) {
      const account = await accountFor(operation);
      ids.push(account.id);
      for (const expectedVersion of [2_147_483_648, 1e300]) {
        const res = await run(engineer, account.id, operation, {
          ...PARAMS[operation],
          reason: REASON,
          expectedVersion,
        });
        expect(res.status, `${operation} ${expectedVersion}`).toBe(400);
        expect(res.body.message, operation).toContain('expectedVersion must be at most 2147483647');
      }
      expect(await accountRow(account.id), operation).toEqual(account);
    }
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM note WHERE account_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(n).toBe(0);
  });

  it('refuses a body that is not a JSON object with a 400 that says so', async () => {
    const account = await accountFor('change-plan');
    for (const body of ['[]', '"change-plan"', '42', 'true']) {
      const res = await engineer.agent
        .post(`/api/accounts/${account.id}/operations/change-plan`)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(res.status, body).toBe(400);
      expect(res.body.message, body).toEqual(['request body must be a JSON object']);
    }
    expect(await accountRow(account.id)).toEqual(account);
  });

  it('caps credits per role: above the cap needs approval', async () => {
    const account = await accountFor('issue-credit');
    const small = await run(support, account.id, 'issue-credit', {
      amountCents: 5_000,
      reason: REASON,
      expectedVersion: 1,
    });
    expect(small.status).toBe(200);
    const big = await run(support, account.id, 'issue-credit', {
      amountCents: 5_001,
      reason: REASON,
      expectedVersion: 2,
    });
    expect(big.status).toBe(202);
    const engineerBig = await run(engineer, account.id, 'issue-credit', {
      amountCents: 50_000,
      reason: REASON,
      expectedVersion: 2,
    });
    expect(engineerBig.status).toBe(200);
    expect((await accountRow(account.id)).creditBalanceCents).toBe('55000');
  });

  it('revoke-sessions and suspend end the customer sessions in the same transaction', async () => {
    for (const operation of ['revoke-sessions', 'suspend'] as const) {
      const account = await accountFor(operation);
      const res = await run(engineer, account.id, operation, { reason: REASON, expectedVersion: 1 });
      expect(res.status, operation).toBe(200);
      const [{ live }] = await t.dataSource.query(
        `SELECT count(*)::int AS live FROM customer_session WHERE account_id = $1 AND revoked_at IS NULL`,
        [account.id],
      );
      expect(live, operation).toBe(0);
    }
  });

  it('previews how many live sessions a revocation would end, and records in its event the ones it ended', async () => {
    const account = await accountFor('revoke-sessions');
    const sessions = async () => {
      const [row] = await t.dataSource.query(
        `SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS live, count(*)::int AS total
           FROM customer_session WHERE account_id = $1`,
        [account.id],
      );
      return row as { live: number; total: number };
    };
    // Two live sessions besides the one accountFor made, and one revoked long ago.
    await t.dataSource.query(
      `INSERT INTO customer_session (id, account_id, device, user_agent, revoked_at)
       VALUES (gen_random_uuid(), $1, 'iPad', 'UA', NULL), (gen_random_uuid(), $1, 'Mac', 'UA', NULL),
              (gen_random_uuid(), $1, 'Old phone', 'UA', now() - interval '1 day')`,
      [account.id],
    );
    const body = { reason: REASON, expectedVersion: 1 };
    const preview = await run(support, account.id, 'revoke-sessions', body, true);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ status: 'preview', changes: { sessions: { before: 3, after: 0 } } });
    expect(await sessions()).toEqual({ live: 3, total: 4 });

    const applied = await run(support, account.id, 'revoke-sessions', body);
    expect(applied.status).toBe(200);
    expect(await sessions()).toEqual({ live: 0, total: 4 });
    const [event] = await t.dataSource.query(`SELECT changes, details FROM audit_event WHERE id = $1`, [
      applied.body.auditEventId,
    ]);
    expect(event.changes).toEqual({ sessions: { before: 3, after: 0 } });
    expect(event.details).toMatchObject({ revokedSessions: 3 });
    // An auditor reads the same counts through the API, not a withheld entry.
    const read = await (
      await t.signIn('auditor')
    ).agent.get(`/api/audit-events/${applied.body.auditEventId}`);
    expect(read.status).toBe(200);
    expect(read.body.changes).toEqual({ sessions: { before: 3, after: 0 } });

    // Nothing left to end: the preview says so, and so does the event of a run.
    const again = await run(support, account.id, 'revoke-sessions', body, true);
    expect(again.body.changes).toEqual({ sessions: { before: 0, after: 0 } });
    const none = await run(support, account.id, 'revoke-sessions', body);
    const [second] = await t.dataSource.query(`SELECT changes FROM audit_event WHERE id = $1`, [
      none.body.auditEventId,
    ]);
    expect(second.changes).toEqual({ sessions: { before: 0, after: 0 } });
  });

  it('previews beside the field changes the sessions that suspending would end', async () => {
    const account = await accountFor('suspend');
    const res = await run(support, account.id, 'suspend', { reason: REASON, expectedVersion: 1 }, true);
    expect(res.body).toEqual({
      status: 'preview',
      changes: { status: { before: 'active', after: 'suspended' }, sessions: { before: 1, after: 0 } },
    });
  });

  it.each(OPERATION_NAMES.filter((name) => OPERATIONS[name].approval !== 'always'))(
    '%s changes nothing when its audit event cannot be written',
    async (operation) => {
      const account = await accountFor(operation);
      const reason = `audit write fails for ${operation}`;
      await t.dataSource.query(`
        CREATE FUNCTION refuse_test_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.reason LIKE 'audit write fails%' THEN RAISE EXCEPTION 'refused by the test'; END IF;
          RETURN NEW;
        END $$`);
      await t.dataSource.query(
        `CREATE TRIGGER refuse_test_event BEFORE INSERT ON audit_pending FOR EACH ROW EXECUTE FUNCTION refuse_test_event()`,
      );
      try {
        const res = await run(engineer, account.id, operation, {
          ...PARAMS[operation],
          reason,
          expectedVersion: 1,
        });
        expect(res.status).toBeGreaterThanOrEqual(500);
      } finally {
        await t.dataSource.query(`DROP TRIGGER refuse_test_event ON audit_pending`);
        await t.dataSource.query(`DROP FUNCTION refuse_test_event()`);
      }
      expect(await accountRow(account.id)).toEqual(account);
      const [{ notes, live }] = await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM note WHERE account_id = $1) AS notes,
                (SELECT count(*)::int FROM customer_session WHERE account_id = $1 AND revoked_at IS NULL) AS live`,
        [account.id],
      );
      expect({ notes, live }).toEqual({ notes: 0, live: 1 });
    },
  );

  it('refuses an email another account already uses, before anything is requested', async () => {
    const [taken] = await insertAccounts(t.dataSource, [buildAccount()]);
    const account = await accountFor('change-email');
    const res = await run(engineer, account.id, 'change-email', {
      email: taken!.email,
      reason: REASON,
      expectedVersion: 1,
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('another account already uses this email address');
  });

  it('records as a search every comparison of a typed email or phone, and never quotes the stored value', async () => {
    const searches = async (accountId: string) =>
      (
        await t.dataSource.query(
          `SELECT details FROM audit_event WHERE action = 'account.search' AND target_id = $1 ORDER BY seq`,
          [accountId],
        )
      ).map((r: { details: unknown }) => r.details);
    const account = await accountFor('change-phone', { phone: '+4915112345678' });
    // Its own number, typed again: a match, answered without the number, and recorded.
    const same = await run(
      engineer,
      account.id,
      'change-phone',
      { phone: '+49 151 1234 5678', reason: REASON, expectedVersion: 1 },
      true,
    );
    expect(same.status).toBe(409);
    expect(same.body.message).toBe('phone is already the value given');
    expect(JSON.stringify(same.body)).not.toContain('12345678');
    // A number nobody holds, in a dry run: no match, recorded all the same.
    const other = await run(
      engineer,
      account.id,
      'change-phone',
      { phone: '+4915199998888', reason: REASON, expectedVersion: 1 },
      true,
    );
    expect(other.status).toBe(200);
    expect(await searches(account.id)).toEqual([
      { by: { phone: '*********5678' }, results: 1, operation: 'change-phone', dryRun: true },
      { by: { phone: '*********8888' }, results: 0, operation: 'change-phone', dryRun: true },
    ]);

    // Another account's email, in a real run: refused as taken, and recorded.
    const [taken] = await insertAccounts(t.dataSource, [buildAccount()]);
    const target = await accountFor('change-email');
    const res = await run(engineer, target.id, 'change-email', {
      email: taken!.email,
      reason: REASON,
      expectedVersion: 1,
    });
    expect(res.status).toBe(409);
    expect(await searches(target.id)).toEqual([
      { by: { email: maskEmail(taken!.email) }, results: 1, operation: 'change-email', dryRun: false },
    ]);
  });

  it('refuses, as a new email, the masked one the account page showed (400), requesting nothing', async () => {
    const account = await accountFor('change-email');
    const shown = (await engineer.agent.get(`/api/accounts/${account.id}`)).body;
    expect(shown.masked).toContain('email');
    const requests = () => t.dataSource.query(`SELECT count(*)::int AS n FROM change_request`);
    const before = await requests();
    for (const dryRun of [true, false]) {
      const res = await run(
        engineer,
        account.id,
        'change-email',
        { email: shown.email, reason: REASON, expectedVersion: 1 },
        dryRun,
      );
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['email must be the whole new address, not a masked one (***)']);
    }
    expect(await requests()).toEqual(before);
    expect((await accountRow(account.id)).email).toBe(account.email);
  });

  it('answers an unknown operation with 404, and a bad dryRun or an unknown parameter with 400', async () => {
    const account = await accountFor('suspend');
    expect(
      (await run(engineer, account.id, 'drop-table', { reason: REASON, expectedVersion: 1 })).status,
    ).toBe(404);
    for (const [query, message] of [
      ['dryRun=maybe', 'dryRun must be true or false'],
      ['dryRun=true&dryRun=false', 'dryRun must be true or false'],
      ['dryRun=true&foo=1', 'property foo should not exist'],
    ]) {
      const bad = await engineer.agent
        .post(`/api/accounts/${account.id}/operations/suspend?${query}`)
        .send({ reason: REASON, expectedVersion: 1 });
      expect(bad.status, query).toBe(400);
      expect(bad.body.message, query).toEqual([message]);
    }
    expect(await accountRow(account.id)).toEqual(account);
  });
});

describe('operations that set no field', () => {
  const notes = (id: string) =>
    t.dataSource
      .query(`SELECT count(*)::int AS n FROM note WHERE account_id = $1`, [id])
      .then(([row]: { n: number }[]) => row!.n);

  it.each([...SETS_NO_FIELD])(
    '%s leaves the version and updatedAt as they were, and answers the account at it',
    async (operation) => {
      const account = await accountFor(operation);
      for (let i = 0; i < 2; i++) {
        const res = await run(engineer, account.id, operation, {
          ...PARAMS[operation],
          reason: REASON,
          expectedVersion: 1,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.account).toMatchObject({ id: account.id, version: 1 });
        const [event] = await t.dataSource.query(`SELECT details FROM audit_event WHERE id = $1`, [
          res.body.auditEventId,
        ]);
        expect(event.details.version).toBe(1);
      }
      expect(await accountRow(account.id)).toEqual(account);
    },
  );

  it.each([...SETS_NO_FIELD])(
    '%s still refuses a stale expectedVersion with 409, writing nothing',
    async (operation) => {
      const account = await accountFor(operation);
      const moved = await run(engineer, account.id, 'change-plan', {
        plan: 'pro',
        reason: REASON,
        expectedVersion: 1,
      });
      expect(moved.status).toBe(200);
      const before = await accountRow(account.id);
      const events = () =>
        t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE target_id = $1`, [account.id]);
      const eventsBefore = await events();
      for (const expectedVersion of [1, 3]) {
        const res = await run(engineer, account.id, operation, {
          ...PARAMS[operation],
          reason: REASON,
          expectedVersion,
        });
        expect(res.status, `expectedVersion ${expectedVersion}`).toBe(409);
        expect(res.body.message).toMatch(new RegExp(`version ${expectedVersion}.*now 2`));
      }
      expect(await accountRow(account.id)).toEqual(before);
      expect(await events()).toEqual(eventsBefore);
      expect(await notes(account.id)).toBe(0);
      const [{ live }] = await t.dataSource.query(
        `SELECT count(*)::int AS live FROM customer_session WHERE account_id = $1 AND revoked_at IS NULL`,
        [account.id],
      );
      expect(live).toBe(1);
    },
  );

  it('keeps a pending change request valid: filed before a note and a revocation, it is approved and applies', async () => {
    const account = await accountFor('change-email');
    const email = 'still.valid@example.com';
    const requested = await run(engineer, account.id, 'change-email', {
      email,
      reason: REASON,
      expectedVersion: 1,
    });
    expect(requested.status).toBe(202);
    for (const operation of SETS_NO_FIELD) {
      const res = await run(support, account.id, operation, {
        ...PARAMS[operation],
        reason: REASON,
        expectedVersion: 1,
      });
      expect(res.status, operation).toBe(200);
    }
    const approved = await supervisor.agent
      .post(`/api/change-requests/${requested.body.changeRequestId}/approve`)
      .send({ comment: 'verified' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'applied', account: { version: 2 } });
    expect(await accountRow(account.id)).toMatchObject({ email, version: 2 });
    expect(await notes(account.id)).toBe(1);
  });

  it('a field change still raises the version and updatedAt', async () => {
    const account = await accountFor('change-plan');
    const res = await run(engineer, account.id, 'change-plan', {
      plan: 'pro',
      reason: REASON,
      expectedVersion: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ version: 2, plan: 'pro' });
    const after = await accountRow(account.id);
    expect(after.version).toBe(2);
    expect(after.updatedAt.getTime()).toBeGreaterThan(account.updatedAt.getTime());
  });

  it('notes racing a field change at the same version: the change applies, each note is written or refused whole', async () => {
    const account = await accountFor('add-note');
    const note = () =>
      run(support, account.id, 'add-note', { ...PARAMS['add-note'], reason: REASON, expectedVersion: 1 });
    const results = await Promise.all([
      ...Array.from({ length: 10 }, note),
      run(engineer, account.id, 'change-plan', { plan: 'pro', reason: REASON, expectedVersion: 1 }),
      ...Array.from({ length: 10 }, note),
    ]);
    const change = results[10]!;
    const noteStatuses = results.filter((r) => r !== change).map((r) => r.status);
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expect(
      noteStatuses.every((s) => s === 200 || s === 409),
      JSON.stringify(noteStatuses),
    ).toBe(true);
    expect(await notes(account.id)).toBe(noteStatuses.filter((s) => s === 200).length);
    expect(await accountRow(account.id)).toMatchObject({ plan: 'pro', version: 2 });
  });
});

describe('change requests (four eyes)', () => {
  let requests = 0;
  async function requestEmailChange() {
    const account = await accountFor('change-email');
    const res = await run(engineer, account.id, 'change-email', {
      email: `approved.address.${++requests}@example.com`,
      reason: REASON,
      expectedVersion: 1,
    });
    expect(res.status).toBe(202);
    return { account, id: res.body.changeRequestId as string };
  }

  it('engineer requests, own approval is 403, supervisor approves: applied, with the same diff in the log', async () => {
    const { account, id } = await requestEmailChange();
    const own = await engineer.agent.post(`/api/change-requests/${id}/approve`).send({});
    expect(own.status).toBe(403);
    const listed = await supervisor.agent.get('/api/change-requests').query({ status: 'pending' });
    expect(listed.body.data.map((r: { id: string }) => r.id)).toContain(id);
    const detail = await supervisor.agent.get(`/api/change-requests/${id}`);
    expect(detail.body).toMatchObject({ operation: 'change-email', status: 'pending', targetId: account.id });
    expect(detail.body.changes.email.after).toBe('a***@example.com');
    expect(JSON.stringify(detail.body)).not.toContain(`approved.address.${requests}@example.com`);

    const approved = await supervisor.agent
      .post(`/api/change-requests/${id}/approve`)
      .send({ comment: 'verified' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'applied',
      account: { version: 2, email: 'a***@example.com' },
    });
    expect((await accountRow(account.id)).email).toBe(`approved.address.${requests}@example.com`);

    const events = await t.dataSource.query(
      `SELECT action, outcome, changes FROM audit_event WHERE target_id = $1 OR target_id = $2 ORDER BY seq`,
      [account.id, id],
    );
    expect(events.map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`)).toEqual([
      'account.operation.change-email pending',
      // The requester's own refused approval, which names the request.
      'access.denied denied',
      'change_request.approve success',
      'account.operation.change-email success',
    ]);
    expect(events[0].changes).toEqual(events[3].changes);
    expect((await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(409);
  });

  it('fails an approval with 409 when the account changed meanwhile', async () => {
    const { account, id } = await requestEmailChange();
    await run(engineer, account.id, 'change-plan', { plan: 'pro', reason: REASON, expectedVersion: 1 });
    const res = await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({});
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/changed since/);
    expect((await supervisor.agent.get(`/api/change-requests/${id}`)).body.status).toBe('failed');
    expect((await accountRow(account.id)).email).toBe(account.email);
  });

  it('expires requests that wait too long', async () => {
    const { id } = await requestEmailChange();
    await t.dataSource.query(
      `UPDATE change_request SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [id],
    );
    expect((await supervisor.agent.get(`/api/change-requests/${id}`)).body.status).toBe('expired');
    expect((await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(409);
  });

  it('lets exactly one of two simultaneous approvers win', async () => {
    const { account, id } = await requestEmailChange();
    const other = await t.signIn('supervisor');
    const results = await Promise.all([
      supervisor.agent.post(`/api/change-requests/${id}/approve`).send({}),
      other.agent.post(`/api/change-requests/${id}/approve`).send({}),
    ]);
    expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([
      200, 409,
    ]);
    expect((await accountRow(account.id)).version).toBe(2);
  });

  it('rejects with a comment, and a rejection needs one', async () => {
    const { account, id } = await requestEmailChange();
    expect((await supervisor.agent.post(`/api/change-requests/${id}/reject`).send({})).status).toBe(400);
    const res = await supervisor.agent
      .post(`/api/change-requests/${id}/reject`)
      .send({ comment: 'no proof of identity' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', comment: 'no proof of identity' });
    expect((await accountRow(account.id)).version).toBe(1);
  });
});

describe('robustness', () => {
  it('random bodies never answer 500 and only a 2xx changes the account', async () => {
    const account = await accountFor('change-plan');
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    );
    const body = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'reason',
          'expectedVersion',
          'plan',
          'email',
          'phone',
          'amountCents',
          'body',
          'status',
          '__proto__',
          'constructor',
        ),
        fc.string(),
      ),
      value,
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATION_NAMES), body, async (operation, b) => {
        const before = await accountRow(account.id);
        const res = await run(engineer, account.id, operation, b);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 300) expect(await accountRow(account.id)).toEqual(before);
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  // 1,000 against a PostgreSQL server (CI runs it); 200 on the single-connection embedded database.
  const total = process.env.DATABASE_URL ? 1000 : Number(process.env.OPS_TOTAL ?? 200);
  it(`${total} concurrent operations with the same expectedVersion: exactly one succeeds`, async () => {
    const account = await accountFor('issue-credit');
    const results = await Promise.all(
      Array.from({ length: total }, () =>
        run(support, account.id, 'issue-credit', { amountCents: 100, reason: REASON, expectedVersion: 1 }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(
      statuses.filter((s) => s === 200),
      JSON.stringify(results.filter((r) => r.status !== 409).map((r) => [r.status, r.body])),
    ).toHaveLength(1);
    expect(
      statuses.filter((s) => s === 409),
      JSON.stringify(results.filter((r) => r.status !== 409).map((r) => [r.status, r.body])),
    ).toHaveLength(total - 1);
    expect((await accountRow(account.id)).creditBalanceCents).toBe('100');
    const verify = await (await t.signIn('auditor')).agent.get('/api/audit-events/verify');
    expect(verify.body.valid).toBe(true);
  }, 300_000);
});
