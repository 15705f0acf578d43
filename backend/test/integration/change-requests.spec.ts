import {
  CHANGE_REQUEST_KINDS,
  changeRequestKindsReadBy,
  OPERATIONS,
  Permission,
  permissionsOf,
  ROLES,
  type ChangeRequestKind,
} from '@custodian/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, insertAccounts } from '../factories/account.factory';
import { startTestApp, type SignedIn, type TestApp } from './harness';

/**
 * Change requests from their requester's side: whoever filed a request follows it (list and
 * detail), nobody else's; and the decision's audit event shows the diff of the request's own
 * target, through the policy of that kind of target.
 */
let t: TestApp;
let engineer: SignedIn;
let support: SignedIn;
let supervisor: SignedIn;
let admin: SignedIn;

const REASON = 'customer asked through ticket';

beforeAll(async () => {
  t = await startTestApp();
  [engineer, support, supervisor, admin] = [
    await t.signIn('engineer'),
    await t.signIn('support'),
    await t.signIn('supervisor'),
    await t.signIn('admin'),
  ];
});

afterAll(async () => {
  await t?.close();
});

async function newAccount(overrides: Parameters<typeof buildAccount>[0] = {}) {
  const [account] = await insertAccounts(t.dataSource, [buildAccount(overrides)]);
  return account!;
}

/** An account operation that waits for approval, filed by `as`; returns the request's id. */
async function fileEmailChange(as: SignedIn, email: string): Promise<{ id: string; accountId: string }> {
  const account = await newAccount();
  const res = await as.agent
    .post(`/api/accounts/${account.id}/operations/change-email`)
    .send({ email, reason: REASON, expectedVersion: 1 });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return { id: res.body.changeRequestId, accountId: account.id };
}

async function fileBulk(as: SignedIn): Promise<string> {
  const accounts = await insertAccounts(t.dataSource, [buildAccount(), buildAccount()]);
  const res = await as.agent.post('/api/bulk-operations').send({
    operation: 'issue-credit',
    accountIds: accounts.map((a) => a.id),
    params: { amountCents: 500 },
    reason: REASON,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.changeRequestId;
}

async function fileGrant(as: SignedIn): Promise<{ id: string; staffId: string }> {
  const { person } = await t.signIn('support');
  const res = await as.agent.patch(`/api/staff/${person.id}`).send({ roles: ['support', 'auditor'] });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return { id: res.body.pendingChangeRequestId, staffId: person.id };
}

/** Waits until an approved bulk request has run, so that nothing is left running at the end. */
async function bulkDone(as: SignedIn, id: string): Promise<void> {
  const until = Date.now() + 30_000;
  while ((await as.agent.get(`/api/bulk-operations/${id}`)).body.status !== 'applied') {
    if (Date.now() > until) throw new Error('the bulk operation did not finish');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((r) => r.id);

describe('a requester follows their own change requests', () => {
  it('lists and opens their own request, its diff masked as the policy says for their roles', async () => {
    const { id, accountId } = await fileEmailChange(engineer, 'own.request@example.com');

    const listed = await engineer.agent.get('/api/change-requests');
    expect(listed.status).toBe(200);
    expect(ids(listed)).toContain(id);
    const mine = await engineer.agent.get('/api/change-requests').query({ mine: 'true', status: 'pending' });
    expect(mine.status).toBe(200);
    expect(ids(mine)).toContain(id);

    const detail = await engineer.agent.get(`/api/change-requests/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      operation: 'change-email',
      targetType: 'account',
      targetId: accountId,
      status: 'pending',
      requestedBy: { id: engineer.person.id },
    });
    // Engineers read emails masked: their own request's new email too.
    expect(detail.body.changes.email.after).toBe('o***@example.com');
    expect(detail.body.params.email).toBe('o***@example.com');
    expect(JSON.stringify(detail.body)).not.toContain('own.request@example.com');
  });

  it('still may not decide it, and nobody else without the permission may', async () => {
    const { id } = await fileEmailChange(engineer, 'undecided@example.com');
    const own = await engineer.agent.post(`/api/change-requests/${id}/approve`).send({});
    expect(own.status).toBe(403);
    const ownReject = await engineer.agent
      .post(`/api/change-requests/${id}/reject`)
      .send({ comment: 'changed my mind' });
    expect(ownReject.status).toBe(403);
    expect((await engineer.agent.get(`/api/change-requests/${id}`)).body.status).toBe('pending');
  });

  it('a supervisor who files a request cannot approve it either', async () => {
    const both = await t.signIn('engineer', 'supervisor');
    const { id } = await fileEmailChange(both, 'both.roles@example.com');
    const own = await both.agent.post(`/api/change-requests/${id}/approve`).send({});
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/your own/);
  });

  it('support follows a credit above their cap', async () => {
    const account = await newAccount();
    const res = await support.agent
      .post(`/api/accounts/${account.id}/operations/issue-credit`)
      .send({ amountCents: 10_000, reason: REASON, expectedVersion: 1 });
    expect(res.status).toBe(202);
    const id = res.body.changeRequestId;
    expect(ids(await support.agent.get('/api/change-requests').query({ mine: 'true' }))).toContain(id);
    const detail = await support.agent.get(`/api/change-requests/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ operation: 'issue-credit', params: { amountCents: 10_000 } });
  });

  it('an engineer follows their bulk request, each account through the account field policy', async () => {
    const id = await fileBulk(engineer);
    const detail = await engineer.agent.get(`/api/change-requests/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ targetType: 'bulk', summary: { total: 2, applicable: 2 } });
    expect(detail.body.items).toHaveLength(2);
    expect(ids(await engineer.agent.get('/api/change-requests').query({ mine: 'true' }))).toContain(id);
  });

  it('does not see anyone else’s requests: absent from the list, 404 on its own', async () => {
    const { id } = await fileEmailChange(engineer, 'someone.else@example.com');
    const bulk = await fileBulk(engineer);
    const other = await t.signIn('engineer');
    for (const query of [{}, { mine: 'true' }, { status: 'pending' }, { mine: 'false' }]) {
      const listed = await other.agent.get('/api/change-requests').query(query);
      expect(listed.status, JSON.stringify(query)).toBe(200);
      expect(listed.body.data, JSON.stringify(query)).toEqual([]);
    }
    for (const hidden of [id, bulk]) {
      const res = await other.agent.get(`/api/change-requests/${hidden}`);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('someone.else');
      // Deciding what one cannot see reads as "no such request", as for a reviewer of another kind.
      expect((await other.agent.post(`/api/change-requests/${hidden}/approve`).send({})).status).toBe(404);
    }
    // Support sees neither, though they file requests too.
    expect(ids(await support.agent.get('/api/change-requests'))).not.toContain(id);
    expect((await support.agent.get(`/api/change-requests/${id}`)).status).toBe(404);
  });

  it('mine=true narrows a reviewer’s queue to what they filed', async () => {
    const { id } = await fileEmailChange(engineer, 'queue.item@example.com');
    expect(ids(await supervisor.agent.get('/api/change-requests'))).toContain(id);
    const mine = await supervisor.agent.get('/api/change-requests').query({ mine: 'true' });
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([]);
    const { id: grant } = await fileGrant(admin);
    const adminMine = await admin.agent.get('/api/change-requests').query({ mine: 'true' });
    expect(ids(adminMine)).toContain(grant);
    expect(
      adminMine.body.data.every((r: { requestedBy: { id: string } }) => r.requestedBy.id === admin.person.id),
    ).toBe(true);
  });

  it('pages through a requester’s own requests only', async () => {
    const requester = await t.signIn('engineer');
    const filed: string[] = [];
    for (let i = 0; i < 3; i++) filed.push((await fileEmailChange(requester, `page.${i}@example.com`)).id);
    await fileEmailChange(engineer, 'not.theirs@example.com');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await requester.agent
        .get('/api/change-requests')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...filed].reverse());
  });

  it('refuses a bad mine with a 400 that names it', async () => {
    for (const mine of ['yes', '1', '', 'TRUE']) {
      const res = await engineer.agent.get('/api/change-requests').query({ mine });
      expect(res.status, mine).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(/mine/);
    }
  });

  it('every role sees the kinds the shared policy gives it, and its own requests (generated from the policy)', async () => {
    // One request of each kind, filed by people who are not the readers below.
    const filed: Record<ChangeRequestKind, string> = {
      account: (await fileEmailChange(engineer, 'matrix@example.com')).id,
      bulk: await fileBulk(engineer),
      staff: (await fileGrant(admin)).id,
    };
    for (const role of ROLES) {
      const reader = await t.signIn(role);
      const readable = changeRequestKindsReadBy(permissionsOf([role]));
      const listed = await reader.agent.get('/api/change-requests').query({ limit: 100 });
      expect(listed.status, role).toBe(200);
      for (const kind of CHANGE_REQUEST_KINDS) {
        const sees = readable.includes(kind);
        expect(ids(listed).includes(filed[kind]), `${role} lists ${kind}`).toBe(sees);
        const detail = await reader.agent.get(`/api/change-requests/${filed[kind]}`);
        expect(detail.status, `${role} opens ${kind}`).toBe(sees ? 200 : 404);
      }
      // Nobody filed anything as this new person: their own list is empty.
      expect(
        (await reader.agent.get('/api/change-requests').query({ mine: 'true' })).body.data,
        role,
      ).toEqual([]);
    }
  });
});

describe('through a personal access token, its owner’s own requests', () => {
  /**
   * What filing each kind of request takes, as the routes that file them ask: the operation's
   * permission for an account change (change-email here), bulk_operation.create and the
   * operation's permission for a bulk one (issue-credit here), staff.manage for a role grant.
   */
  const filedWith: Record<ChangeRequestKind, Permission[]> = {
    account: [OPERATIONS['change-email'].permission],
    bulk: [Permission.BulkOperationCreate, OPERATIONS['issue-credit'].permission],
    staff: [Permission.StaffManage],
  };

  it('are visible only to a token that holds what filing them takes, besides the kinds it reviews (generated from the policy)', async () => {
    const roles = ['engineer', 'admin'] as const;
    const owner = await t.signIn(...roles);
    const filed: Record<ChangeRequestKind, string> = {
      account: (await fileEmailChange(owner, 'token.scope@example.com')).id,
      bulk: await fileBulk(owner),
      staff: (await fileGrant(owner)).id,
    };
    const scopes: (Permission[] | undefined)[] = [
      [Permission.AccountRead],
      // Exactly what filing each kind takes; and each part of it alone.
      ...Object.values(filedWith),
      ...Object.values(filedWith).flatMap((needs) => (needs.length > 1 ? needs.map((p) => [p]) : [])),
      // Another operation's permission files other requests, not these.
      [OPERATIONS['change-plan'].permission, Permission.BulkOperationCreate, Permission.AccountRead],
      // Reviewing a kind shows it, as it shows anyone's.
      [Permission.StaffRead],
      // No scope given: all of the owner's permissions.
      undefined,
    ];
    for (const scope of scopes) {
      const created = await owner.agent
        .post('/api/auth/tokens')
        .send({ name: 'scoped', expiresInDays: 1, ...(scope ? { permissions: scope } : {}) });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const bearer = `Bearer ${created.body.token}`;
      const get = (path: string, query: Record<string, string> = {}) =>
        t.http().get(path).query(query).set('Authorization', bearer);
      const holds: string[] = scope ?? permissionsOf(roles);
      const listed = await get('/api/change-requests', { limit: '100' });
      const mine = await get('/api/change-requests', { mine: 'true', limit: '100' });
      expect([listed.status, mine.status]).toEqual([200, 200]);
      for (const kind of CHANGE_REQUEST_KINDS) {
        const sees =
          filedWith[kind].every((p) => holds.includes(p)) || changeRequestKindsReadBy(holds).includes(kind);
        const label = `${kind} request to a token of ${scope?.join(', ') ?? 'every permission'}`;
        expect(ids(listed).includes(filed[kind]), `list: ${label}`).toBe(sees);
        expect(ids(mine).includes(filed[kind]), `mine: ${label}`).toBe(sees);
        expect((await get(`/api/change-requests/${filed[kind]}`)).status, `detail: ${label}`).toBe(
          sees ? 200 : 404,
        );
        if (kind === 'bulk') {
          expect((await get(`/api/bulk-operations/${filed[kind]}`)).status, `progress: ${label}`).toBe(
            sees ? 200 : 404,
          );
        }
      }
    }
    // Signed in, the owner follows all three, whatever a token of theirs may.
    const own = await owner.agent.get('/api/change-requests').query({ mine: 'true' });
    expect(ids(own).sort()).toEqual(Object.values(filed).sort());
  });
});

describe('the audit event of a decision shows the request’s diff by the kind of its target', () => {
  async function approvalEvent(reader: SignedIn, requestId: string) {
    const res = await reader.agent
      .get('/api/audit-events')
      .query({ action: 'change_request.approve', targetId: requestId });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    return res.body.data[0];
  }

  it('a role grant: the roles as they are, to an auditor', async () => {
    const { id, staffId } = await fileGrant(admin);
    const second = await t.signIn('admin');
    expect((await second.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(200);
    const auditor = await t.signIn('auditor');
    const event = await approvalEvent(auditor, id);
    expect(event.changes).toEqual({ roles: { before: ['support'], after: ['auditor', 'support'] } });
    expect(event.details).toMatchObject({ requestTarget: { type: 'staff', id: staffId } });
  });

  it('a bulk request: its counts', async () => {
    const id = await fileBulk(engineer);
    expect((await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(200);
    await bulkDone(engineer, id);
    const auditor = await t.signIn('auditor');
    const event = await approvalEvent(auditor, id);
    expect(event.changes).toEqual({
      accounts: { before: null, after: { total: 2, applicable: 2, skipped: 0 } },
    });
  });

  it('an account change: through the account field policy, masked for the auditor', async () => {
    const { id, accountId } = await fileEmailChange(engineer, 'approved.change@example.com');
    expect((await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(200);
    const auditor = await t.signIn('auditor');
    const event = await approvalEvent(auditor, id);
    expect(event.changes.email.after).toBe('a***@example.com');
    expect(JSON.stringify(event)).not.toContain('approved.change@example.com');
    expect(event.details).toMatchObject({ requestTarget: { type: 'account', id: accountId } });
  });

  it('a rejection names the request’s target too', async () => {
    const { id, accountId } = await fileEmailChange(engineer, 'rejected.change@example.com');
    const res = await supervisor.agent
      .post(`/api/change-requests/${id}/reject`)
      .send({ comment: 'no proof' });
    expect(res.status).toBe(200);
    const auditor = await t.signIn('auditor');
    const events = await auditor.agent
      .get('/api/audit-events')
      .query({ action: 'change_request.reject', targetId: id });
    expect(events.body.data[0].details).toMatchObject({ requestTarget: { type: 'account', id: accountId } });
  });
});

describe('an approval the database refuses', () => {
  it('a new email another account took meanwhile: 409 in words naming no value, the request failed with its event', async () => {
    const email = 'taken.twice@example.com';
    const first = await fileEmailChange(engineer, email);
    const second = await fileEmailChange(engineer, email);
    const approved = await supervisor.agent.post(`/api/change-requests/${first.id}/approve`).send({});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    const refused = await supervisor.agent.post(`/api/change-requests/${second.id}/approve`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('another account already uses this email address');
    const shown = await supervisor.agent.get(`/api/change-requests/${second.id}`);
    expect(shown.body.status).toBe('failed');
    const events = await t.dataSource.query(
      `SELECT outcome, actor_id, details FROM audit_event
        WHERE action = 'change_request.approve' AND target_id = $1 ORDER BY seq`,
      [second.id],
    );
    expect(events).toEqual([
      {
        outcome: 'error',
        actor_id: supervisor.person.id,
        details: { failure: 'another account already uses this email address' },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(email);
    // The account kept its email, and a second try is refused as decided.
    const [account] = await t.dataSource.query(`SELECT email, version FROM account WHERE id = $1`, [
      second.accountId,
    ]);
    expect(account).toMatchObject({ version: 1 });
    expect(account.email).not.toBe(email);
    const again = await supervisor.agent.post(`/api/change-requests/${second.id}/approve`).send({});
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already failed/);
  });
});

describe('a refused decision on one’s own request', () => {
  it('records access.denied with the request as its target', async () => {
    const both = await t.signIn('engineer', 'supervisor');
    const account = await newAccount({ mfaEnabled: true });
    const filed = await both.agent
      .post(`/api/accounts/${account.id}/operations/reset-mfa`)
      .send({ reason: REASON, expectedVersion: 1 });
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    const id = filed.body.changeRequestId;
    expect((await both.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(403);
    const rejected = await both.agent.post(`/api/change-requests/${id}/reject`).send({ comment: REASON });
    expect(rejected.status).toBe(403);
    const denied = await t.dataSource.query(
      `SELECT target_type, target_id, outcome FROM audit_event
        WHERE action = 'access.denied' AND actor_id = $1 ORDER BY seq`,
      [both.person.id],
    );
    expect(denied).toEqual([
      { target_type: 'change_request', target_id: id, outcome: 'denied' },
      { target_type: 'change_request', target_id: id, outcome: 'denied' },
    ]);
  });
});

describe('a request whose account moved on since it was filed', () => {
  /** Support files a credit above their cap; an engineer then changes the plan (the version moves). */
  async function staleCredit(): Promise<{ id: string; accountId: string }> {
    const account = await newAccount();
    const filed = await support.agent
      .post(`/api/accounts/${account.id}/operations/issue-credit`)
      .send({ amountCents: 9_000, reason: REASON, expectedVersion: 1 });
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    const moved = await engineer.agent
      .post(`/api/accounts/${account.id}/operations/change-plan`)
      .send({ plan: account.plan === 'pro' ? 'plus' : 'pro', reason: REASON, expectedVersion: 1 });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    return { id: filed.body.changeRequestId, accountId: account.id };
  }

  it('says to every reader, in the queue and on its own, that it can no longer apply', async () => {
    const { id } = await staleCredit();
    const fresh = await fileEmailChange(engineer, 'still.fresh@example.com');
    const shown = await supervisor.agent.get(`/api/change-requests/${id}`);
    expect(shown.body).toMatchObject({ status: 'pending', applicable: false });
    expect(shown.body.notApplicableBecause).toBe(
      'the account changed since this was requested (it was at version 1, it is now at 2)',
    );
    const own = await support.agent.get(`/api/change-requests/${id}`);
    expect(own.body).toMatchObject({ applicable: false });
    const queue = await supervisor.agent.get('/api/change-requests').query({ status: 'pending', limit: 100 });
    const byId = new Map(queue.body.data.map((r: { id: string }) => [r.id, r]));
    expect(byId.get(id)).toMatchObject({ applicable: false });
    expect(byId.get(fresh.id)).toMatchObject({ applicable: true });
    expect(byId.get(fresh.id)).not.toHaveProperty('notApplicableBecause');
  });

  it('its failed approval records who decided, when and their comment, on the request and in the event', async () => {
    const { id } = await staleCredit();
    const comment = 'Verified the double charge';
    const refused = await supervisor.agent.post(`/api/change-requests/${id}/approve`).send({ comment });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/changed since this was requested/);
    expect(refused.body.message).not.toMatch(/reload/);
    const shown = await support.agent.get(`/api/change-requests/${id}`);
    expect(shown.body).toMatchObject({
      status: 'failed',
      decidedBy: { id: supervisor.person.id, email: supervisor.person.email },
      comment,
    });
    expect(shown.body.decidedAt).toEqual(expect.any(String));
    // Decided requests no longer say whether they apply: they will not run either way.
    expect(shown.body).not.toHaveProperty('applicable');
    const [event] = await t.dataSource.query(
      `SELECT outcome, reason, actor_id FROM audit_event WHERE action = 'change_request.approve' AND target_id = $1`,
      [id],
    );
    expect(event).toEqual({ outcome: 'error', reason: comment, actor_id: supervisor.person.id });
  });
});

describe('the same request filed twice while the first waits', () => {
  it('refuses an identical account request with a 409 naming the waiting one; a different or later one goes in', async () => {
    const account = await newAccount();
    const credit = (amountCents: number, expectedVersion = 1) =>
      support.agent
        .post(`/api/accounts/${account.id}/operations/issue-credit`)
        .send({ amountCents, reason: REASON, expectedVersion });
    const first = await credit(9_000);
    expect(first.status).toBe(202);
    const again = await credit(9_000);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(first.body.changeRequestId);
    expect(again.body.message).toMatch(/already waiting/);
    // Another amount is another request.
    expect((await credit(9_500)).status).toBe(202);
    // Once the account moved on, the waiting one cannot apply: a new one may replace it.
    await engineer.agent
      .post(`/api/accounts/${account.id}/operations/change-plan`)
      .send({ plan: account.plan === 'pro' ? 'plus' : 'pro', reason: REASON, expectedVersion: 1 });
    expect((await credit(9_000, 2)).status).toBe(202);
  });

  it('refuses an identical role grant, and the person’s record lists the waiting grant', async () => {
    const { id, staffId } = await fileGrant(admin);
    const again = await admin.agent.patch(`/api/staff/${staffId}`).send({ roles: ['support', 'auditor'] });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(id);
    const person = await admin.agent.get(`/api/staff/${staffId}`);
    expect(person.body.pendingGrants).toEqual([
      { changeRequestId: id, roles: ['auditor'], requestedBy: admin.person.email, applicable: true },
    ]);
    const listed = await admin.agent.get('/api/staff');
    const row = listed.body.data.find((p: { id: string }) => p.id === staffId);
    expect(row.pendingGrants).toHaveLength(1);
  });

  it('a grant whose person lost a role since shows it can no longer apply', async () => {
    const { id, staffId } = await fileGrant(admin);
    expect((await admin.agent.patch(`/api/staff/${staffId}`).send({ roles: [] })).status).toBe(200);
    const shown = await admin.agent.get(`/api/change-requests/${id}`);
    expect(shown.body).toMatchObject({ status: 'pending', applicable: false });
    expect(shown.body.notApplicableBecause).toMatch(/roles changed/);
  });

  it('deactivating the person rejects the grants waiting for them, each with its event', async () => {
    const { id, staffId } = await fileGrant(admin);
    const off = await admin.agent.patch(`/api/staff/${staffId}`).send({ active: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const shown = await admin.agent.get(`/api/change-requests/${id}`);
    expect(shown.body).toMatchObject({
      status: 'rejected',
      decidedBy: { id: admin.person.id },
      comment: expect.stringMatching(/was deactivated$/),
    });
    const second = await t.signIn('admin');
    expect((await second.agent.post(`/api/change-requests/${id}/approve`).send({})).status).toBe(409);
    const events = await t.dataSource.query(
      `SELECT outcome, actor_id, details FROM audit_event WHERE action = 'change_request.reject' AND target_id = $1`,
      [id],
    );
    expect(events).toEqual([
      {
        outcome: 'success',
        actor_id: admin.person.id,
        details: { operation: 'grant-roles', requestTarget: { type: 'staff', id: staffId } },
      },
    ]);
    expect((await admin.agent.get(`/api/staff/${staffId}`)).body.pendingGrants).toEqual([]);
  });
});
