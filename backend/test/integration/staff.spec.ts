import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@custodian/shared';
import { StaffEntity } from '../../src/staff/staff.entity';
import { createStaff, STAFF_PASSWORD } from '../factories/staff.factory';
import { startTestApp, type SignedIn, type TestApp } from './harness';

let t: TestApp;
let admin: SignedIn;
let second: SignedIn;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin');
  second = await t.signIn('admin');
});

afterAll(async () => {
  await t?.close();
});

/** A person who held these roles and was deactivated through the API, as an admin would. */
async function formerStaff(roles: Role[]): Promise<StaffEntity> {
  const person = await createStaff(t.dataSource, { roles });
  const off = await admin.agent.patch(`/api/staff/${person.id}`).send({ active: false });
  expect(off.status, JSON.stringify(off.body)).toBe(200);
  return person;
}

const stored = (id: string) => t.dataSource.getRepository(StaffEntity).findOneByOrFail({ id });

type StoredEvent = { action: string; outcome: string; changes: unknown; details: unknown };

const eventsOf = (...ids: string[]): Promise<StoredEvent[]> =>
  t.dataSource.query(
    `SELECT action, outcome, changes, details FROM audit_event WHERE target_id = ANY($1) ORDER BY seq`,
    [ids],
  );

function signInAs(person: StaffEntity) {
  return request(t.custodian.app.getHttpServer())
    .post('/api/auth/login')
    .send({ email: person.email, password: STAFF_PASSWORD });
}

describe('reactivating a person (PATCH /api/staff/:id {active: true})', () => {
  it('brings them back with no roles and files their former roles as a grant that a second admin must approve', async () => {
    const person = await formerStaff(['admin', 'engineer']);

    const back = await admin.agent.patch(`/api/staff/${person.id}`).send({ active: true });
    expect(back.status, JSON.stringify(back.body)).toBe(202);
    expect(back.body).toMatchObject({ id: person.id, active: true, roles: [], deactivatedAt: null });
    const requestId = back.body.pendingChangeRequestId;
    expect(requestId).toEqual(expect.any(String));
    expect(back.body.pendingGrants).toEqual([
      {
        changeRequestId: requestId,
        roles: ['admin', 'engineer'],
        requestedBy: admin.person.email,
        applicable: true,
      },
    ]);
    expect(await stored(person.id)).toMatchObject({ active: true, roles: [] });

    // They can sign in, and do nothing: one admin's say restored no privilege.
    const signedIn = await signInAs(person);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ roles: [], permissions: [] });

    const shown = await second.agent.get(`/api/change-requests/${requestId}`);
    expect(shown.body).toMatchObject({
      operation: 'grant-roles',
      targetType: 'staff',
      targetId: person.id,
      params: { roles: ['admin', 'engineer'] },
      changes: { roles: { before: [], after: ['admin', 'engineer'] } },
      requestedBy: { id: admin.person.id },
      status: 'pending',
      applicable: true,
    });
    // The second admin reads that this grant comes from a reactivation.
    expect(shown.body.reason).toBe(`reactivate ${person.email} and grant admin, engineer`);
    const queue = await second.agent.get('/api/change-requests').query({ status: 'pending', limit: 100 });
    expect(queue.body.data.map((r: { id: string }) => r.id)).toContain(requestId);

    // The admin who reactivated cannot approve it; a second admin can.
    const own = await admin.agent.post(`/api/change-requests/${requestId}/approve`).send({});
    expect(own.status).toBe(403);
    expect(await stored(person.id)).toMatchObject({ roles: [] });
    const approved = await second.agent.post(`/api/change-requests/${requestId}/approve`).send({});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.staff.roles).toEqual(['admin', 'engineer']);
    expect(await stored(person.id)).toMatchObject({ active: true, roles: ['admin', 'engineer'] });

    const events = await eventsOf(person.id, requestId);
    expect(events.map((e) => `${e.action} ${e.outcome}`)).toEqual([
      'staff.deactivate success',
      'staff.update success',
      'staff.grant_roles pending',
      'access.denied denied',
      'change_request.approve success',
      'staff.update success',
    ]);
    // The reactivation's event says all of it: active again, the roles taken, the request filed.
    expect(events[1]).toMatchObject({
      changes: {
        active: { before: false, after: true },
        roles: { before: ['admin', 'engineer'], after: [] },
      },
      details: { changeRequestId: requestId },
    });
    expect(events[2]).toMatchObject({
      changes: { roles: { before: [], after: ['admin', 'engineer'] } },
      details: { changeRequestId: requestId },
    });
  });

  it('requests the roles given with it rather than the former ones', async () => {
    const person = await formerStaff(['admin']);
    const back = await admin.agent
      .patch(`/api/staff/${person.id}`)
      .send({ active: true, roles: ['support', 'auditor'] });
    expect(back.status, JSON.stringify(back.body)).toBe(202);
    expect(back.body).toMatchObject({ active: true, roles: [] });
    const shown = await second.agent.get(`/api/change-requests/${back.body.pendingChangeRequestId}`);
    expect(shown.body).toMatchObject({
      params: { roles: ['auditor', 'support'] },
      changes: { roles: { before: [], after: ['auditor', 'support'] } },
    });
    expect(await stored(person.id)).toMatchObject({ active: true, roles: [] });
    const pending = await t.dataSource.query(
      `SELECT id FROM change_request WHERE target_id = $1 AND status = 'pending'`,
      [person.id],
    );
    expect(pending).toEqual([{ id: back.body.pendingChangeRequestId }]);
  });

  it('files no request when there is nothing to restore: no former roles, or none asked for', async () => {
    for (const [roles, body] of [
      [[], { active: true }],
      [['admin'], { active: true, roles: [] }],
    ] as [Role[], object][]) {
      const person = await formerStaff(roles);
      const back = await admin.agent.patch(`/api/staff/${person.id}`).send(body);
      expect(back.status, JSON.stringify(body)).toBe(200);
      expect(back.body).toMatchObject({ active: true, roles: [], pendingGrants: [] });
      expect(back.body.pendingChangeRequestId).toBeUndefined();
      expect(
        await t.dataSource.query(`SELECT id FROM change_request WHERE target_id = $1`, [person.id]),
      ).toEqual([]);
      const [, update] = await eventsOf(person.id);
      expect(update).toMatchObject({ action: 'staff.update', details: null });
    }
  });

  it('refuses bad input with a 400 and changes nothing', async () => {
    const person = await formerStaff(['engineer']);
    for (const body of [
      { active: 'yes' },
      { active: true, roles: ['root'] },
      { active: true, roles: 'admin' },
    ]) {
      const res = await admin.agent.patch(`/api/staff/${person.id}`).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await stored(person.id)).toMatchObject({ active: false, roles: ['engineer'] });
  });

  it('rolls the reactivation back with the request when the request cannot be filed', async () => {
    // A grant waiting for someone who is deactivated (left from before grants to deactivated
    // people were refused; an API deactivation would have withdrawn it): reactivating with the same
    // roles would file it twice, which is refused; the reactivation must not stay without its request.
    const person = await createStaff(t.dataSource, { roles: [] });
    const waiting = await admin.agent.patch(`/api/staff/${person.id}`).send({ roles: ['support'] });
    expect(waiting.status).toBe(202);
    await t.dataSource.query(`UPDATE staff SET active = false, deactivated_at = now() WHERE id = $1`, [
      person.id,
    ]);
    const before = (await eventsOf(person.id)).length;
    const back = await admin.agent
      .patch(`/api/staff/${person.id}`)
      .send({ active: true, roles: ['support'] });
    expect(back.status).toBe(409);
    expect(back.body.message).toContain(waiting.body.pendingChangeRequestId);
    expect(await stored(person.id)).toMatchObject({ active: false, roles: [] });
    expect(await eventsOf(person.id)).toHaveLength(before);
  });

  it('grants roles to active people only: a deactivated person is reactivated with them', async () => {
    const person = await formerStaff(['engineer']);
    const before = (await eventsOf(person.id)).length;
    for (const body of [
      { roles: ['engineer', 'support'] },
      { active: false, roles: ['engineer', 'admin'] },
    ]) {
      const res = await admin.agent.patch(`/api/staff/${person.id}`).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain('reactivate');
    }
    const active = await createStaff(t.dataSource, { roles: ['support'] });
    const leaving = await admin.agent
      .patch(`/api/staff/${active.id}`)
      .send({ active: false, roles: ['support', 'engineer'] });
    expect(leaving.status).toBe(400);
    expect(await stored(person.id)).toMatchObject({ active: false, roles: ['engineer'] });
    expect(await stored(active.id)).toMatchObject({ active: true, roles: ['support'] });
    expect(await eventsOf(person.id)).toHaveLength(before);
    expect(
      (await second.agent.get('/api/change-requests').query({ status: 'pending' })).body.data.filter(
        (r: { targetId: string }) => r.targetId === person.id || r.targetId === active.id,
      ),
    ).toEqual([]);
  });

  it('deactivating again withdraws the grant filed by the reactivation', async () => {
    const person = await formerStaff(['admin']);
    const back = await admin.agent.patch(`/api/staff/${person.id}`).send({ active: true });
    const requestId = back.body.pendingChangeRequestId;
    expect((await admin.agent.patch(`/api/staff/${person.id}`).send({ active: false })).status).toBe(200);
    expect((await second.agent.get(`/api/change-requests/${requestId}`)).body).toMatchObject({
      status: 'rejected',
    });
    expect((await second.agent.post(`/api/change-requests/${requestId}/approve`).send({})).status).toBe(409);
    expect(await stored(person.id)).toMatchObject({ active: false, roles: [] });
  });

  it('is for admins only', async () => {
    const person = await formerStaff(['admin']);
    const { agent } = await t.signIn('supervisor');
    expect((await agent.patch(`/api/staff/${person.id}`).send({ active: true })).status).toBe(403);
    expect((await t.http().patch(`/api/staff/${person.id}`).send({ active: true })).status).toBe(401);
    expect(await stored(person.id)).toMatchObject({ active: false, roles: ['admin'] });
  });
});

describe('two admins changing one person at once', () => {
  it('a deactivation and a role removal both apply: the person ends deactivated, without the role', async () => {
    // Each change read the person before its transaction and wrote every field back: the role
    // removal, read before the deactivation committed, wrote `active: true` over it, and the
    // person was back (able to sign in) with no second admin involved.
    const people = await Promise.all(
      Array.from({ length: 5 }, () => createStaff(t.dataSource, { roles: ['support', 'auditor'] })),
    );
    for (const person of people) {
      const [off, fewer] = await Promise.all([
        second.agent.patch(`/api/staff/${person.id}`).send({ active: false }),
        admin.agent.patch(`/api/staff/${person.id}`).send({ roles: ['support'] }),
      ]);
      expect([off.status, fewer.status], JSON.stringify([off.body, fewer.body])).toEqual([200, 200]);
      expect(await stored(person.id)).toMatchObject({ active: false, roles: ['support'] });
    }
  });
});
