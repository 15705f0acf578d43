import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthCache } from '../../src/auth/auth-cache';
import { buildAccount, insertAccounts } from '../factories/account.factory';
import { startTestApp, type SignedIn, type TestApp } from './harness';

/**
 * AuthCache keeps the person behind a token between requests. These tests change the database
 * behind the app's back, from a connection of their own as someone with psql would, and with its
 * triggers switched off where they must show that it is the notice that empties the cache.
 */
const server = process.env.DATABASE_URL;

let t: TestApp;
let cache: AuthCache;
let outside: Client;

beforeAll(async () => {
  t = await startTestApp();
  cache = t.custodian.app.get(AuthCache);
  if (server) {
    outside = new Client({ connectionString: t.custodian.database.url });
    await outside.connect();
  }
});

afterAll(async () => {
  await outside?.end();
  await t?.close();
});

/**
 * A new token, used once: its first use records lastUsedAt, a change of its own whose notice
 * empties the cache, once through the app's connection and again through the listener. Both have
 * arrived when this returns, so the next use is the one the cache keeps.
 */
async function tokenOf(person: SignedIn): Promise<string> {
  const res = await person.agent.post('/api/auth/tokens').send({ name: 'script', expiresInDays: 7 });
  expect(res.status).toBe(201);
  expect((await me(res.body.token)).status).toBe(200);
  if (cache.active) await cache.settled();
  return res.body.token;
}

const me = (token: string) => t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`);

/** A change no trigger sees, so no notice is sent: what the cache would miss without notices. */
async function unnoticed(sql: string, params: unknown[]): Promise<void> {
  await outside.query(`SET session_replication_role = replica`);
  try {
    await outside.query(sql, params);
  } finally {
    await outside.query(`SET session_replication_role = DEFAULT`);
  }
}

/**
 * Runs `check` with the cache's own listener deaf (its private `heard`), so that only the app's
 * pooled connections can empty the cache: the listener's copy of a notice often arrives first.
 */
async function listenerHeldBack(check: () => Promise<void>): Promise<void> {
  const heard = vi
    .spyOn(cache as unknown as { heard(payload: string): void }, 'heard')
    .mockImplementation(() => undefined);
  try {
    await check();
  } finally {
    heard.mockRestore();
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error(`gave up waiting: ${what}`);
}

describe.skipIf(server)('on the embedded database', () => {
  it('keeps nothing: every request reads the person', async () => {
    expect(cache.active).toBe(false);
    const person = await t.signIn('support');
    const token = await tokenOf(person);
    expect((await me(token)).status).toBe(200);
    await t.dataSource.query(`UPDATE staff SET active = false WHERE id = $1`, [person.person.id]);
    expect((await me(token)).status).toBe(401);
  });
});

describe.runIf(server)('on a PostgreSQL server', () => {
  beforeAll(async () => {
    await until(() => cache.active, 'the auth cache listens');
  });

  it('answers a known token from memory: a change nobody is told of goes unseen', async () => {
    const person = await t.signIn('support');
    const token = await tokenOf(person);
    expect((await me(token)).status).toBe(200);
    await unnoticed(`UPDATE personal_access_token SET revoked_at = now() WHERE staff_id = $1`, [
      person.person.id,
    ]);
    expect((await me(token)).status).toBe(200);
    // The notice every real change sends at commit.
    await outside.query(`SELECT pg_notify('custodian_auth', '')`);
    await cache.settled();
    expect((await me(token)).status).toBe(401);
  });

  it('drops the person when another process deactivates them, once its notice arrives', async () => {
    const person = await t.signIn('support');
    const token = await tokenOf(person);
    expect((await me(token)).status).toBe(200);
    await outside.query(`UPDATE staff SET active = false WHERE id = $1`, [person.person.id]);
    await cache.settled();
    expect((await me(token)).status).toBe(401);
  });

  it('drops a change this instance commits before the commit returns', async () => {
    const admin = await t.signIn('admin');
    const person = await t.signIn('support');
    const token = await tokenOf(person);
    expect((await me(token)).body.roles).toEqual(['support']);
    await listenerHeldBack(async () => {
      const res = await admin.agent.patch(`/api/staff/${person.person.id}`).send({ active: false });
      expect(res.status).toBe(200);
      // No waiting: the app's own connection heard the notice ahead of its commit's answer.
      expect((await me(token)).status).toBe(401);
    });
  });

  it('is empty by the time a change this instance commits returns, with no wait for the listener', async () => {
    await cache.settled(); // no notice of an earlier test still on its way
    await cache.remember('test:local', async () => ({ read: 1 }));
    expect(await cache.remember('test:local', async () => ({ read: 2 }))).toEqual({ read: 1 });
    await listenerHeldBack(async () => {
      await t.dataSource.query(`UPDATE staff SET display_name = display_name WHERE false`);
      expect(await cache.remember('test:local', async () => ({ read: 3 }))).toEqual({ read: 3 });
    });
  });

  it('sees a reveal grant made elsewhere once its notice arrives', async () => {
    const [account] = await insertAccounts(t.dataSource, [buildAccount()]);
    const person = await t.signIn('support');
    const token = await tokenOf(person);
    const detail = () => t.http().get(`/api/accounts/${account!.id}`).set('Authorization', `Bearer ${token}`);
    expect((await detail()).body.email).not.toBe(account!.email);
    await outside.query(
      `INSERT INTO reveal_grant (staff_id, account_id, field, reason, expires_at)
       VALUES ($1, $2, 'email', 'granted from another process', now() + interval '1 hour')`,
      [person.person.id, account!.id],
    );
    await cache.settled();
    expect((await detail()).body.email).toBe(account!.email);
  });

  it('refuses a remembered token once it expires', async () => {
    const person = await t.signIn('support');
    const token = await tokenOf(person);
    expect((await me(token)).status).toBe(200);
    // Only this process's clock moves: the token is still live for the database, and remembered.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 8 * 86_400_000 });
    try {
      expect((await me(token)).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
    expect((await me(token)).status).toBe(200);
  });

  it('keeps nothing read before a notice that overtook the read', async () => {
    const first = await cache.remember('test:overtaken', async () => {
      await t.dataSource.query(`SELECT pg_notify('custodian_auth', '')`);
      return { read: 1 };
    });
    expect(first).toEqual({ read: 1 });
    await cache.settled(); // the listener's copy of the notice, too
    expect(await cache.remember('test:overtaken', async () => ({ read: 2 }))).toEqual({ read: 2 });
    expect(await cache.remember('test:overtaken', async () => ({ read: 3 }))).toEqual({ read: 2 });
  });

  it('closes cleanly at any point of the listener start', async () => {
    // The listener starts in the background; an app closed straight away must leave nothing
    // pending behind it (an unhandled rejection fails the run).
    for (const pause of [0, 5, 20, 50]) {
      const quick = await startTestApp();
      await new Promise((r) => setTimeout(r, pause));
      await quick.close();
    }
  });

  it('turns itself off while its listener is gone, and back on when it returns', async () => {
    const person = await t.signIn('support');
    const token = await tokenOf(person);
    expect((await me(token)).status).toBe(200);
    const { rows } = await outside.query(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE application_name = 'custodian auth listener' AND datname = current_database()`,
    );
    expect(rows).toEqual([{ ended: true }]);
    await until(() => !cache.active, 'the cache turns off');
    await unnoticed(`UPDATE staff SET active = false WHERE id = $1`, [person.person.id]);
    expect((await me(token)).status).toBe(401);

    await until(() => cache.active, 'the listener reconnects');
    const other = await t.signIn('support');
    const otherToken = await tokenOf(other);
    expect((await me(otherToken)).status).toBe(200);
    await unnoticed(`UPDATE staff SET active = false WHERE id = $1`, [other.person.id]);
    expect((await me(otherToken)).status).toBe(200);
  });
});
