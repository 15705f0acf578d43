import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyMask } from '@custodian/shared';
import { AccountEntity } from '../../src/accounts/account.entity';
import { createApp, type CustodianApp } from '../../src/app';
import { loadConfig } from '../../src/config/app.config';
import { BulkOperationsService } from '../../src/operations/bulk-operations.service';
import { buildAccount, insertAccounts } from '../factories/account.factory';
import { startTestApp, type SignedIn, type TestApp } from './harness';

let t: TestApp;
let engineer: SignedIn;
let supervisor: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  [engineer, supervisor] = [await t.signIn('engineer'), await t.signIn('supervisor')];
});

afterAll(async () => {
  await t?.close();
});

const REASON = 'goodwill credit after the outage';

/**
 * A bulk credit of `count` new accounts, filed by `requester` and marked approved by `approverId`
 * with no runner started: as a restart, or a runner that died, leaves it.
 */
async function approvedCredit(
  app: Pick<TestApp, 'dataSource'>,
  requester: SignedIn,
  approverId: string,
  count: number,
  amountCents: number,
) {
  const accounts = await insertAccounts(
    app.dataSource,
    Array.from({ length: count }, () => buildAccount()),
  );
  const requested = await requester.agent.post('/api/bulk-operations').send({
    operation: 'issue-credit',
    accountIds: accounts.map((a) => a.id),
    params: { amountCents },
    reason: REASON,
  });
  expect(requested.status).toBe(202);
  const id: string = requested.body.changeRequestId;
  await app.dataSource.query(`UPDATE change_request SET status = 'approved', decided_by = $2 WHERE id = $1`, [
    id,
    approverId,
  ]);
  return { id, accounts };
}

/**
 * Polls until the bulk operation is applied. How long that takes is the benchmark's business, not
 * the test's (a busy machine may be slow): it fails only when nothing moves for 30 seconds.
 */
async function progressUntilDone(id: string) {
  let moved = Date.now();
  let last = '';
  for (;;) {
    const res = await engineer.agent.get(`/api/bulk-operations/${id}`);
    if (res.body.status === 'applied') return res.body;
    const seen = `${res.body.status}:${res.body.applied}:${res.body.failed}`;
    if (seen !== last) [last, moved] = [seen, Date.now()];
    if (Date.now() - moved > 30_000) throw new Error(`the bulk operation stalled at ${seen}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('bulk operations', () => {
  it('previews every account (diff or why skipped), needs approval, then applies in batches with one event per account', async () => {
    const accounts = await insertAccounts(t.dataSource, [
      buildAccount(),
      buildAccount(),
      buildAccount(),
      buildAccount({ status: 'closed' }),
    ]);
    const missing = randomUUID();
    const body = {
      operation: 'issue-credit',
      accountIds: [...accounts.map((a) => a.id), missing],
      params: { amountCents: 500 },
      reason: REASON,
    };
    const preview = await engineer.agent.post('/api/bulk-operations?dryRun=true').send(body);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ status: 'preview', total: 5, applicable: 3, skipped: 2 });
    expect(preview.body.items[0].changes.creditBalanceCents).toEqual({ before: 0, after: 500 });
    expect(preview.body.items.find((i: { accountId: string }) => i.accountId === missing).skip).toBe(
      'the account does not exist',
    );
    expect(await t.dataSource.query(`SELECT 1 FROM change_request WHERE target_type = 'bulk'`)).toEqual([]);

    const requested = await engineer.agent.post('/api/bulk-operations').send(body);
    expect(requested.status).toBe(202);
    const id = requested.body.changeRequestId;
    expect((await engineer.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(403);
    const approved = await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({});
    expect(approved.status).toBe(200);
    const done = await progressUntilDone(id);
    expect(done).toMatchObject({ total: 5, applied: 3, skipped: 2, failed: 0, pending: 0 });

    const balances = await t.dataSource
      .getRepository(AccountEntity)
      .find({ where: accounts.map((a) => ({ id: a.id })), order: { createdAt: 'ASC' } });
    expect(balances.map((a) => a.creditBalanceCents)).toEqual(['500', '500', '500', '0']);
    const events = await t.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_event WHERE target_id = $1 OR details ->> 'bulkOperationId' = $1 GROUP BY action ORDER BY action`,
      [id],
    );
    expect(events).toEqual([
      // The requester's own refused approval, which names the request.
      { action: 'access.denied', n: 1 },
      { action: 'account.operation.issue-credit', n: 3 },
      { action: 'bulk_operation.complete', n: 1 },
      { action: 'bulk_operation.request', n: 1 },
      { action: 'change_request.approve', n: 1 },
    ]);
  });

  it('previews for each account how many live sessions revoking would end, and records in each event the ones it ended', async () => {
    const accounts = await insertAccounts(t.dataSource, [buildAccount(), buildAccount()]);
    const [busy, idle] = accounts.map((a) => a.id) as [string, string];
    // Two live sessions and a revoked one on the first account; only a revoked one on the second.
    await t.dataSource.query(
      `INSERT INTO customer_session (id, account_id, device, user_agent, revoked_at)
       VALUES (gen_random_uuid(), $1, 'Pixel', 'UA', NULL), (gen_random_uuid(), $1, 'Mac', 'UA', NULL),
              (gen_random_uuid(), $1, 'Old', 'UA', now() - interval '1 day'),
              (gen_random_uuid(), $2, 'Old', 'UA', now() - interval '1 day')`,
      [busy, idle],
    );
    const body = { operation: 'revoke-sessions', accountIds: [busy, idle], reason: REASON };
    const preview = await engineer.agent.post('/api/bulk-operations?dryRun=true').send(body);
    expect(preview.status).toBe(200);
    expect(preview.body.items).toEqual([
      { accountId: busy, changes: { sessions: { before: 2, after: 0 } } },
      { accountId: idle, changes: { sessions: { before: 0, after: 0 } } },
    ]);
    const [{ live }] = await t.dataSource.query(
      `SELECT count(*)::int AS live FROM customer_session WHERE account_id = $1 AND revoked_at IS NULL`,
      [busy],
    );
    expect(live).toBe(2);

    const requested = await engineer.agent.post('/api/bulk-operations').send(body);
    expect(requested.status).toBe(202);
    const id = requested.body.changeRequestId;
    expect((await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(200);
    expect(await progressUntilDone(id)).toMatchObject({ applied: 2, failed: 0 });
    const events = await t.dataSource.query(
      `SELECT target_id, changes, details ->> 'revokedSessions' AS revoked FROM audit_event
        WHERE action = 'account.operation.revoke-sessions' AND details ->> 'bulkOperationId' = $1`,
      [id],
    );
    const byAccount = new Map(events.map((e: { target_id: string }) => [e.target_id, e]));
    expect(byAccount).toEqual(
      new Map([
        [busy, { target_id: busy, changes: { sessions: { before: 2, after: 0 } }, revoked: '2' }],
        [idle, { target_id: idle, changes: { sessions: { before: 0, after: 0 } }, revoked: '0' }],
      ]),
    );
  });

  it('shows the approver each account’s diff, through the account field policy', async () => {
    const accounts = await insertAccounts(t.dataSource, [
      buildAccount(),
      buildAccount(),
      buildAccount({ status: 'closed' }),
    ]);
    const phone = '+4915199990042';
    const requested = await engineer.agent.post('/api/bulk-operations').send({
      operation: 'change-phone',
      accountIds: accounts.map((a) => a.id),
      params: { phone },
      reason: REASON,
    });
    expect(requested.status).toBe(202);
    const id = requested.body.changeRequestId;
    // The supervisor reads phone numbers masked, in the diff as on the account.
    const shown = await supervisor.agent.get(`/api/change-requests/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      targetType: 'bulk',
      operation: 'change-phone',
      params: { phone: applyMask('phone', phone) },
      summary: { total: 3, applicable: 2, skipped: 1 },
    });
    const byAccount = new Map(
      shown.body.items.map((i: { accountId: string }) => [i.accountId, i] as [string, unknown]),
    );
    expect(byAccount.size).toBe(3);
    for (const a of accounts.slice(0, 2)) {
      expect(byAccount.get(a.id)).toEqual({
        accountId: a.id,
        status: 'pending',
        changes: { phone: { before: applyMask('phone', a.phone), after: applyMask('phone', phone) } },
      });
    }
    expect(byAccount.get(accounts[2]!.id)).toMatchObject({ status: 'skipped', skip: expect.any(String) });
    const body = JSON.stringify(shown.body);
    for (const clear of [phone, ...accounts.map((a) => a.phone)]) expect(body).not.toContain(clear);
    expect(body).not.toContain('[hidden]');

    // An account that moves on before the approval will not be changed, and the approver sees so.
    await t.dataSource.query(`UPDATE account SET version = version + 1 WHERE id = $1`, [accounts[0]!.id]);
    const moved = await supervisor.agent.get(`/api/change-requests/${id}`);
    const item = moved.body.items.find((i: { accountId: string }) => i.accountId === accounts[0]!.id);
    expect(item).toEqual({
      accountId: accounts[0]!.id,
      status: 'pending',
      skip: 'the account changed since the bulk operation was requested',
    });
    // The list carries the counts but not thousands of diffs.
    const list = await supervisor.agent.get('/api/change-requests').query({ status: 'pending' });
    const listed = list.body.data.find((r: { id: string }) => r.id === id);
    expect(listed.summary).toEqual({ total: 3, applicable: 2, skipped: 1 });
    expect(listed.items).toBeUndefined();
  });

  it("shows a rejected or expired request's accounts as never run, without the diff they would have had", async () => {
    for (const end of ['rejected', 'expired'] as const) {
      const accounts = await insertAccounts(t.dataSource, [
        buildAccount(),
        buildAccount({ status: 'closed' }),
      ]);
      const requested = await engineer.agent.post('/api/bulk-operations').send({
        operation: 'issue-credit',
        accountIds: accounts.map((a) => a.id),
        params: { amountCents: 700 },
        reason: REASON,
      });
      expect(requested.status).toBe(202);
      const id = requested.body.changeRequestId;
      if (end === 'rejected') {
        const rejected = await supervisor.agent
          .post(`/api/change-requests/${id}/reject`)
          .send({ comment: 'not for closed accounts' });
        expect(rejected.status).toBe(200);
      } else {
        await t.dataSource.query(
          `UPDATE change_request SET expires_at = now() - interval '1 minute' WHERE id = $1`,
          [id],
        );
      }
      const shown = await supervisor.agent.get(`/api/change-requests/${id}`);
      expect(shown.body.status).toBe(end);
      const byAccount = new Map(shown.body.items.map((i: { accountId: string }) => [i.accountId, i]));
      expect(byAccount.get(accounts[0]!.id)).toEqual({
        accountId: accounts[0]!.id,
        status: 'pending',
        skip:
          end === 'rejected' ? 'the request was rejected' : 'the request expired before anyone approved it',
      });
      // An account skipped when requested still says why.
      expect(byAccount.get(accounts[1]!.id)).toMatchObject({ status: 'skipped', skip: expect.any(String) });
    }
  });

  it('never quotes a stored email or phone in a skip, records which accounts held it as a search, and gives one email to one account only', async () => {
    const phone = '+4915199990077';
    const accounts = await insertAccounts(t.dataSource, [buildAccount({ phone }), buildAccount()]);
    const searches = () =>
      t.dataSource.query(
        `SELECT details FROM audit_event WHERE action = 'account.search' AND details->>'operation' = 'change-phone' AND details->'by'->>'phone' = $1 ORDER BY seq`,
        [applyMask('phone', phone)],
      );
    for (const dryRun of [true, false]) {
      const res = await engineer.agent.post(`/api/bulk-operations${dryRun ? '?dryRun=true' : ''}`).send({
        operation: 'change-phone',
        accountIds: accounts.map((a) => a.id),
        params: { phone },
        reason: REASON,
      });
      expect(res.status).toBe(dryRun ? 200 : 202);
      expect(res.body.items[0]).toEqual({
        accountId: accounts[0]!.id,
        skip: 'phone is already the value given',
      });
      expect(JSON.stringify(res.body)).not.toContain(phone);
      if (!dryRun) {
        const shown = await supervisor.agent.get(`/api/change-requests/${res.body.changeRequestId}`);
        expect(JSON.stringify(shown.body)).not.toContain(phone);
      }
    }
    expect((await searches()).map((r: { details: unknown }) => r.details)).toEqual([
      {
        by: { phone: applyMask('phone', phone) },
        results: 1,
        operation: 'change-phone',
        dryRun: true,
        accounts: 2,
      },
      {
        by: { phone: applyMask('phone', phone) },
        results: 1,
        operation: 'change-phone',
        dryRun: false,
        accounts: 2,
      },
    ]);

    const twice = await engineer.agent.post('/api/bulk-operations?dryRun=true').send({
      operation: 'change-email',
      accountIds: accounts.map((a) => a.id),
      params: { email: 'one.address@example.org' },
      reason: REASON,
    });
    expect(twice.status).toBe(400);
    expect(twice.body.message.join(' ')).toContain('accountIds');
  });

  it('refuses bad requests with a 400 naming the field, and roles without the permission with 403', async () => {
    const id = randomUUID();
    for (const [body, field] of [
      [{ operation: 'drop', accountIds: [id], reason: REASON }, 'operation'],
      [{ operation: 'suspend', accountIds: [], reason: REASON }, 'accountIds'],
      [{ operation: 'suspend', accountIds: [id, id], reason: REASON }, 'accountIds'],
      [{ operation: 'suspend', accountIds: ['nope'], reason: REASON }, 'accountIds'],
      [
        {
          operation: 'suspend',
          accountIds: Array.from({ length: 10_001 }, () => randomUUID()),
          reason: REASON,
        },
        'accountIds',
      ],
      [{ operation: 'suspend', accountIds: [id], reason: 'short' }, 'reason'],
      [
        { operation: 'issue-credit', accountIds: [id], params: { amountCents: -1 }, reason: REASON },
        'amountCents',
      ],
      [
        {
          operation: 'change-plan',
          accountIds: [id],
          params: { plan: 'pro', status: 'closed' },
          reason: REASON,
        },
        'status',
      ],
    ] as const) {
      const res = await engineer.agent.post('/api/bulk-operations').send(body);
      expect(res.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    }
    const support = await t.signIn('support');
    const res = await support.agent
      .post('/api/bulk-operations')
      .send({ operation: 'suspend', accountIds: [id], reason: REASON });
    expect(res.status).toBe(403);
  });

  it('is refused (403) to a token that may file bulk operations but not read accounts', async () => {
    const [account] = await insertAccounts(t.dataSource, [buildAccount({ plan: 'free' })]);
    const created = await engineer.agent.post('/api/auth/tokens').send({
      name: 'bulk only',
      expiresInDays: 1,
      permissions: ['bulk_operation.create', 'account.operation.change-plan'],
    });
    expect(created.status).toBe(201);
    const requestCount = async () =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM change_request`))[0].n as number;
    const before = await requestCount();
    for (const dryRun of [true, false]) {
      const res = await t
        .http()
        .post(`/api/bulk-operations${dryRun ? '?dryRun=true' : ''}`)
        .set('Authorization', `Bearer ${created.body.token}`)
        .send({
          operation: 'change-plan',
          accountIds: [account!.id],
          params: { plan: 'pro' },
          reason: REASON,
        });
      expect(res.status, `dryRun=${dryRun}`).toBe(403);
      expect(res.body.message).toBe('this needs the account.read permission');
    }
    expect(await requestCount()).toBe(before);
    const row = await t.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: account!.id });
    expect(row).toMatchObject({ plan: 'free', version: 1 });
  });

  it('takes an account id in capitals as the same account, as the single operations do', async () => {
    const [account] = await insertAccounts(t.dataSource, [buildAccount({ plan: 'free' })]);
    const upper = account!.id.toUpperCase();
    const preview = await engineer.agent
      .post('/api/bulk-operations?dryRun=true')
      .send({ operation: 'change-plan', accountIds: [upper], params: { plan: 'pro' }, reason: REASON });
    expect(preview.status).toBe(200);
    expect(preview.body.items).toEqual([
      { accountId: account!.id, changes: { plan: { before: 'free', after: 'pro' } } },
    ]);
    // The same account in both spellings is the same account twice.
    const twice = await engineer.agent.post('/api/bulk-operations?dryRun=true').send({
      operation: 'change-plan',
      accountIds: [upper, account!.id],
      params: { plan: 'pro' },
      reason: REASON,
    });
    expect(twice.status).toBe(400);
    expect(twice.body.message).toEqual(['accountIds must not repeat an account']);
  });

  it('resumes after a restart from the accounts still pending', async () => {
    const accounts = await insertAccounts(t.dataSource, [buildAccount(), buildAccount()]);
    const requested = await engineer.agent.post('/api/bulk-operations').send({
      operation: 'change-plan',
      accountIds: accounts.map((a) => a.id),
      params: { plan: 'plus' },
      reason: REASON,
    });
    const id = requested.body.changeRequestId;
    // As if the server stopped right after the approval was recorded, before any batch ran.
    await t.dataSource.query(`UPDATE change_request SET status = 'approved', decided_by = $2 WHERE id = $1`, [
      id,
      supervisor.person.id,
    ]);
    t.custodian.app.get(BulkOperationsService).onApplicationBootstrap();
    const done = await progressUntilDone(id);
    expect(done).toMatchObject({ applied: 2, pending: 0 });
  });

  /** Polls until the bulk operation has ended, applied or failed. */
  async function ended(id: string) {
    const until = Date.now() + 30_000;
    for (;;) {
      const res = await engineer.agent.get(`/api/bulk-operations/${id}`);
      if (res.body.status === 'applied' || res.body.status === 'failed') return res.body;
      if (Date.now() > until) throw new Error(`the bulk operation stalled at ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function fileAndApprove(operation: string, accountIds: string[], params: Record<string, unknown>) {
    const requested = await engineer.agent
      .post('/api/bulk-operations')
      .send({ operation, accountIds, params, reason: REASON });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    const id: string = requested.body.changeRequestId;
    const approved = await supervisor.agent
      .post(`/api/change-requests/${id}/approve`)
      .set('User-Agent', 'approval-agent/1.0')
      .send({});
    expect(approved.status).toBe(200);
    return { id, approvedRequestId: approved.headers['x-request-id'] as string | undefined };
  }

  const eventsOf = (id: string) =>
    t.dataSource.query(
      `SELECT action, outcome, target_id, details FROM audit_event
        WHERE target_id = $1 OR details ->> 'bulkOperationId' = $1 ORDER BY seq`,
      [id],
    );

  it('fails an account whose new email another account took meanwhile, and ends the request with its event', async () => {
    const [account] = await insertAccounts(t.dataSource, [buildAccount()]);
    const email = 'bulk.taken@example.org';
    const requested = await engineer.agent.post('/api/bulk-operations').send({
      operation: 'change-email',
      accountIds: [account!.id],
      params: { email },
      reason: REASON,
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    const id = requested.body.changeRequestId;
    await insertAccounts(t.dataSource, [buildAccount({ email })]);
    expect((await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(200);

    expect(await ended(id)).toMatchObject({ status: 'failed', applied: 0, failed: 1, pending: 0 });
    const shown = await supervisor.agent.get(`/api/change-requests/${id}`);
    expect(shown.body.items).toEqual([
      { accountId: account!.id, status: 'failed', skip: 'another account already uses this email address' },
    ]);
    const events = await eventsOf(id);
    expect(events.slice(-2)).toEqual([
      {
        action: 'account.operation.change-email',
        outcome: 'error',
        target_id: account!.id,
        details: expect.objectContaining({ failure: 'another account already uses this email address' }),
      },
      {
        action: 'bulk_operation.complete',
        outcome: 'error',
        target_id: id,
        details: { applied: 0, skipped: 0, failed: 1, failure: 'no account could be changed' },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(email);
  });

  it('carries on past accounts the database refuses, each failed with its event', async () => {
    const accounts = await insertAccounts(
      t.dataSource,
      Array.from({ length: 4 }, () => buildAccount()),
    );
    const [clash, broken] = [accounts[1]!.id, accounts[2]!.id];
    await t.dataSource.query(`CREATE FUNCTION test_refuse_account() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = '${clash}' THEN RAISE EXCEPTION 'refused' USING ERRCODE = 'unique_violation'; END IF;
        IF NEW.id = '${broken}' THEN RAISE EXCEPTION 'broken' USING ERRCODE = 'internal_error'; END IF;
        RETURN NEW;
      END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER test_refuse_account BEFORE UPDATE ON account FOR EACH ROW EXECUTE FUNCTION test_refuse_account()`,
    );
    try {
      const { id } = await fileAndApprove(
        'change-plan',
        accounts.map((a) => a.id),
        { plan: 'pro' },
      );
      expect(await ended(id)).toMatchObject({ status: 'applied', applied: 2, failed: 2, pending: 0 });
      const plans = await t.dataSource.query(`SELECT id, plan FROM account WHERE id = ANY($1)`, [
        accounts.map((a) => a.id),
      ]);
      for (const { id: accountId, plan } of plans)
        expect(plan).toBe(accountId === clash || accountId === broken ? 'free' : 'pro');
      const failures = (await eventsOf(id)).filter((e: { outcome: string }) => e.outcome === 'error');
      expect(
        failures.map((e: { target_id: string; details: { failure: string } }) => [
          e.target_id,
          e.details.failure,
        ]),
      ).toEqual(
        expect.arrayContaining([
          [clash, 'a record with the same unique value exists'],
          [broken, 'the change could not be applied because of an unexpected error'],
        ]),
      );
      expect(failures).toHaveLength(2);
      expect((await eventsOf(id)).at(-1)).toMatchObject({
        action: 'bulk_operation.complete',
        outcome: 'success',
      });
    } finally {
      await t.dataSource.query(`DROP TRIGGER test_refuse_account ON account`);
      await t.dataSource.query(`DROP FUNCTION test_refuse_account()`);
    }
  });

  it('ends failed, with its event, when the run itself cannot go on', async () => {
    const accounts = await insertAccounts(t.dataSource, [buildAccount(), buildAccount(), buildAccount()]);
    const stuck = [...accounts].sort((a, b) => a.id.localeCompare(b.id))[1]!.id;
    // Recording anything for this account but that the run stopped fails.
    await t.dataSource.query(`CREATE FUNCTION test_refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.account_id = '${stuck}' AND NEW.detail IS DISTINCT FROM 'the bulk operation stopped before this account ran'
          THEN RAISE EXCEPTION 'broken' USING ERRCODE = 'internal_error'; END IF;
        RETURN NEW;
      END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER test_refuse_item BEFORE UPDATE ON bulk_item FOR EACH ROW EXECUTE FUNCTION test_refuse_item()`,
    );
    try {
      const { id } = await fileAndApprove(
        'change-plan',
        accounts.map((a) => a.id),
        { plan: 'plus' },
      );
      expect(await ended(id)).toMatchObject({ status: 'failed', applied: 1, failed: 2, pending: 0 });
      expect((await eventsOf(id)).at(-1)).toEqual({
        action: 'bulk_operation.complete',
        outcome: 'error',
        target_id: id,
        details: {
          applied: 1,
          skipped: 0,
          failed: 2,
          failure: 'the bulk operation stopped on an unexpected error',
        },
      });
    } finally {
      await t.dataSource.query(`DROP TRIGGER test_refuse_item ON bulk_item`);
      await t.dataSource.query(`DROP FUNCTION test_refuse_item()`);
    }
  });

  it('records each account’s change with the approver’s roles and the approval’s request facts', async () => {
    const accounts = await insertAccounts(t.dataSource, [buildAccount(), buildAccount()]);
    const { id } = await fileAndApprove(
      'change-phone',
      accounts.map((a) => a.id),
      { phone: '+4915199990077' },
    );
    expect(await ended(id)).toMatchObject({ status: 'applied', applied: 2 });
    const [approval] = await t.dataSource.query(
      `SELECT actor_roles, request_id, ip, user_agent FROM audit_event
        WHERE action = 'change_request.approve' AND target_id = $1`,
      [id],
    );
    expect(approval).toMatchObject({ actor_roles: ['supervisor'], user_agent: 'approval-agent/1.0' });
    expect(approval.request_id).toBeTruthy();
    const perAccount = await t.dataSource.query(
      `SELECT actor_type, actor_id, actor_email, actor_roles, request_id, ip, user_agent FROM audit_event
        WHERE action = 'account.operation.change-phone' AND details ->> 'bulkOperationId' = $1`,
      [id],
    );
    expect(perAccount).toHaveLength(2);
    for (const event of perAccount) {
      expect(event).toEqual({
        actor_type: 'staff',
        actor_id: supervisor.person.id,
        actor_email: supervisor.person.email,
        ...approval,
      });
    }
  });

  // 10,000 accounts against a PostgreSQL server (CI runs it); 300 on the embedded database.
  const size = process.env.DATABASE_URL ? 10_000 : 300;
  it(`credits ${size} accounts: preview, approval, batches, ${size} audit events`, async () => {
    const accounts = await insertAccounts(
      t.dataSource,
      Array.from({ length: size }, () => buildAccount()),
    );
    const started = Date.now();
    const requested = await engineer.agent.post('/api/bulk-operations').send({
      operation: 'issue-credit',
      accountIds: accounts.map((a) => a.id),
      params: { amountCents: 250 },
      reason: REASON,
    });
    expect(requested.status).toBe(202);
    const id = requested.body.changeRequestId;
    await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({});
    const done = await progressUntilDone(id);
    // Reported, not asserted: timing belongs to the benchmark, not the test suite.
    console.log(
      `bulk credit of ${size} accounts: requested, approved and applied in ${(Date.now() - started) / 1000} s`,
    );
    expect(done).toMatchObject({ total: size, applied: size, failed: 0 });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE details ->> 'bulkOperationId' = $1`,
      [id],
    );
    expect(n).toBe(size);
    const verify = await (await t.signIn('auditor')).agent.get('/api/audit-events/verify');
    expect(verify.body.valid).toBe(true);
  }, 300_000);
});

/**
 * A bulk operation whose runner is gone without finishing it (its process died, or it lost its
 * claim and could not take it back) is taken over by an instance that is already running, at its
 * next sweep; here one that sweeps every second.
 */
describe('bulk operations whose runner is gone', () => {
  let s: TestApp;
  let requester: SignedIn;
  beforeAll(async () => {
    s = await startTestApp({ env: { BULK_SWEEP_SECONDS: '1' } });
    requester = await s.signIn('engineer');
  });
  afterAll(async () => {
    await s?.close();
  });

  /** A bulk credit of two accounts, approved with no runner started: as a dead runner leaves it. */
  async function orphaned() {
    const supervisor = await s.signIn('supervisor');
    return approvedCredit(s, requester, supervisor.person.id, 2, 700);
  }

  /** Polls (for up to 30 seconds, far beyond a sweep) until the request has ended. */
  async function ended(id: string) {
    const until = Date.now() + 30_000;
    for (;;) {
      const res = await requester.agent.get(`/api/bulk-operations/${id}`);
      if (res.body.status === 'applied' || res.body.status === 'failed') return res.body;
      if (Date.now() > until)
        throw new Error(`nobody took the bulk operation over: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function expectCreditedOnce(id: string, accounts: AccountEntity[]) {
    const cents = await s.dataSource.query(
      `SELECT credit_balance_cents::text AS cents FROM account WHERE id = ANY($1)`,
      [accounts.map((a) => a.id)],
    );
    expect(cents).toEqual(accounts.map(() => ({ cents: '700' })));
    const [{ n }] = await s.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'bulk_operation.complete' AND target_id = $1`,
      [id],
    );
    expect(n).toBe(1);
  }

  it('is taken over by a running instance at its next sweep, without a restart', async () => {
    const { id, accounts } = await orphaned();
    expect(await ended(id)).toMatchObject({ status: 'applied', applied: 2, failed: 0, pending: 0 });
    await expectCreditedOnce(id, accounts);
  });

  it('is never run twice in one process: a sweep joins the run under way', async () => {
    const service = s.custodian.app.get(BulkOperationsService);
    type Run = { run: (...args: unknown[]) => Promise<void> };
    const original = (service as unknown as Run).run.bind(service);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const run = vi
      .spyOn(service as unknown as Run, 'run')
      .mockImplementation(async (...args) => gate.then(() => original(...args)));
    try {
      const { id, accounts } = await orphaned();
      // Whichever sweep found it first (the timer's or this one), its run waits at the gate.
      await service.sweep();
      await vi.waitFor(() => expect(run).toHaveBeenCalled(), { timeout: 30_000 });
      await service.sweep();
      await service.sweep();
      // A second run would have begun by now: it needs no claim on the embedded database.
      await s.dataSource.query(`SELECT 1`);
      expect(run).toHaveBeenCalledTimes(1);
      open();
      expect(await ended(id)).toMatchObject({ status: 'applied', applied: 2, failed: 0 });
      expect(run).toHaveBeenCalledTimes(1);
      await expectCreditedOnce(id, accounts);
    } finally {
      open();
      run.mockRestore();
    }
  });
});

/**
 * Several instances against one PostgreSQL server (the embedded database lives inside one process,
 * so it has no second instance). Each test holds the bulk's accounts locked from a connection of
 * its own, so that whichever runners start do so while the first one is still in its batch; it
 * lets go only once the second instance has either declined the run or is blocked in a batch too.
 */
describe.skipIf(!process.env.DATABASE_URL)('bulk operations on several instances', () => {
  let other: CustodianApp;
  beforeAll(async () => {
    // It runs a request only when a test starts it there: no sweep of its own.
    other = await anotherInstance(0);
  });
  afterAll(async () => {
    await other?.close();
  });

  /** One more instance on the test's database, sweeping every `sweepSeconds` (0: never). */
  const anotherInstance = (sweepSeconds: number) =>
    createApp({
      ...loadConfig({
        NODE_ENV: 'test',
        MFA_REQUIRED: 'false',
        CUSTODIAN_DATA_DIR: 'memory://',
        BULK_SWEEP_SECONDS: String(sweepSeconds),
      }),
      databaseUrl: t.custodian.database.url,
      dataDir: 'memory://',
      demo: false,
      demoAccounts: 0,
    });

  const runner = (instance: CustodianApp) => instance.app.get(BulkOperationsService);

  /** An approved bulk credit of three accounts that no runner has started yet. */
  const approvedCreditOfThree = () => approvedCredit(t, engineer, supervisor.person.id, 3, 500);

  /** A connection of the test's own that keeps these accounts' rows locked until `release`. */
  async function lockAccounts(ids: string[]) {
    const holder = new Client({ connectionString: t.custodian.database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM account WHERE id = ANY($1) FOR UPDATE`, [ids]);
    return {
      release: async () => {
        await holder.query('ROLLBACK');
        await holder.end();
      },
    };
  }

  /** How many of this database's sessions wait for a lock (the runners stuck behind the test's). */
  async function waiting(): Promise<number> {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return n;
  }

  /** Polls until the condition holds; after 30 seconds (far beyond any sweep) it fails, naming it. */
  async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Ends the session that holds the request's claim, as when its runner's process dies. */
  async function killHold(id: string) {
    const holders = await t.dataSource.query(
      `SELECT pid FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND classid = hashtext('bulk_operation')::oid AND objid = hashtext($1)::oid
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [id],
    );
    expect(holders).toHaveLength(1);
    await t.dataSource.query(`SELECT pg_terminate_backend($1)`, [holders[0].pid]);
  }

  /** Every account credited once, applied; no account failed; one bulk_operation.complete. */
  async function expectRunOnce(id: string, accounts: AccountEntity[]) {
    const progress = await engineer.agent.get(`/api/bulk-operations/${id}`);
    expect(progress.body).toMatchObject({ status: 'applied', total: 3, applied: 3, failed: 0, pending: 0 });
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    const balances = await t.dataSource.query(
      `SELECT id, credit_balance_cents::text AS cents, version FROM account WHERE id = ANY($1)`,
      [accounts.map((a) => a.id)],
    );
    expect(balances.sort(byId)).toEqual(
      [...accounts].sort(byId).map((a) => ({ id: a.id, cents: '500', version: a.version + 1 })),
    );
    const events = await t.dataSource.query(
      `SELECT action, outcome, count(*)::int AS n FROM audit_event
        WHERE target_id = $1 OR details ->> 'bulkOperationId' = $1
        GROUP BY action, outcome ORDER BY action, outcome`,
      [id],
    );
    expect(events).toEqual([
      { action: 'account.operation.issue-credit', outcome: 'success', n: 3 },
      { action: 'bulk_operation.complete', outcome: 'success', n: 1 },
      { action: 'bulk_operation.request', outcome: 'pending', n: 1 },
    ]);
  }

  it('runs an approved bulk operation on one instance only when two resume it at once', async () => {
    const { id, accounts } = await approvedCreditOfThree();
    const lock = await lockAccounts(accounts.map((a) => a.id));
    let first: Promise<void> | undefined;
    let second: Promise<void> | undefined;
    try {
      first = runner(t.custodian).start(id);
      await until('the first runner', async () => (await waiting()) >= 1);
      second = runner(other).start(id);
      // The second instance either declines at once, or (running it too) blocks behind the lock.
      await Promise.race([second, until('the second runner', async () => (await waiting()) >= 2)]);
    } finally {
      await lock.release();
      await Promise.all([first, second]);
    }
    await expectRunOnce(id, accounts);
  });

  it('lets another instance take over from a runner whose hold on the operation was lost, still running each account once', async () => {
    const { id, accounts } = await approvedCreditOfThree();
    const lock = await lockAccounts(accounts.map((a) => a.id));
    let first: Promise<void> | undefined;
    let second: Promise<void> | undefined;
    try {
      first = runner(t.custodian).start(id);
      await until('the first runner', async () => (await waiting()) >= 1);
      // The first runner's hold on the operation goes, as when its process dies or its connection
      // drops, while its batch is still under way.
      await killHold(id);
      second = runner(other).start(id);
      // The second instance takes it over: its batch blocks behind the test's lock too.
      await until('the second runner', async () => (await waiting()) >= 2);
    } finally {
      await lock.release();
      await Promise.all([first, second]);
    }
    await expectRunOnce(id, accounts);
  });

  it('has an instance already running take over, at its sweep, from a runner whose hold was lost, still running each account once', async () => {
    const { id, accounts } = await approvedCreditOfThree();
    // Up before the runner loses its hold, and never asked to run the request: only its sweep
    // (every second here) can find it.
    const sweeper = await anotherInstance(1);
    try {
      const lock = await lockAccounts(accounts.map((a) => a.id));
      let first: Promise<void> | undefined;
      try {
        first = runner(t.custodian).start(id);
        await until('the first runner', async () => (await waiting()) >= 1);
        await killHold(id);
        // The sweeping instance takes the request: its batch blocks behind the test's lock too. The
        // first runner, its batch done, finds the claim taken and leaves the request to it.
        await until('the sweeping instance to take the request over', async () => (await waiting()) >= 2);
      } finally {
        await lock.release();
        await first;
      }
      await until('the request to end', async () => {
        const [request] = await t.dataSource.query(`SELECT status FROM change_request WHERE id = $1`, [id]);
        return request.status !== 'approved';
      });
      await expectRunOnce(id, accounts);
    } finally {
      await sweeper.close();
    }
  });
});
