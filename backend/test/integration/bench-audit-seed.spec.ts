import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { AuditAction } from '@custodian/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditReaderService } from '../../src/audit/audit-reader.service';
import { AuditService } from '../../src/audit/audit.service';
import { seedAuditEvents } from '../../src/bench/audit-seed';
import { createDataSource, migrate } from '../../src/database/data-source';
import { seedCustomerData } from '../../src/database/seed';

interface TestDatabase {
  dataSource: DataSource;
  pool: Pool;
  close(): Promise<void>;
}

/** A new database on the DATABASE_URL server, migrated, with a few customers; dropped by close(). */
async function freshDatabase(server: string): Promise<TestDatabase> {
  const name = `custodian_test_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: server, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const dataSource = createDataSource(url.toString(), 1);
  await dataSource.initialize();
  await migrate(dataSource);
  await seedCustomerData(dataSource, { accounts: 300 });
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  // pool.end() resolves before its client's socket has closed; should the DROP below terminate that
  // backend first, the closing client hears it as an error, which is no failure of the test.
  pool.on('error', () => undefined);
  return {
    dataSource,
    pool,
    async close() {
      await pool.end();
      await dataSource.destroy();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function chain(
  dataSource: DataSource,
): Promise<Array<{ seq: string; hash: string; occurred_at: Date }>> {
  return dataSource.query(
    `SELECT e.seq::text AS seq, e.hash, e.occurred_at FROM audit_event e ORDER BY e.seq`,
  );
}

// COPY FROM STDIN, which the seed writes with, is PostgreSQL's: the embedded database's socket
// does not speak that part of the protocol, and the benchmark runs on PostgreSQL only.
describe.runIf(process.env.DATABASE_URL)('the benchmark audit seed (PostgreSQL)', () => {
  let fresh: TestDatabase;
  let live: TestDatabase;

  beforeAll(async () => {
    const server = process.env.DATABASE_URL!;
    [fresh, live] = await Promise.all([freshDatabase(server), freshDatabase(server)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([fresh?.close(), live?.close()]);
  });

  it('writes a chain that the verifier accepts, topped up in steps to the same events as in one go', async () => {
    const first = await seedAuditEvents(fresh.pool, { events: 700 });
    expect(first).toMatchObject({ added: 700, headSeq: 700 });
    const again = await seedAuditEvents(fresh.pool, { events: 700 });
    expect(again.added).toBe(0);
    expect(await seedAuditEvents(fresh.pool, { events: 1_200 })).toMatchObject({
      added: 500,
      headSeq: 1_200,
    });

    const verification = await new AuditReaderService(fresh.dataSource).verify();
    expect(verification).toMatchObject({ valid: true, checked: 1_200, headSeq: 1_200 });
    const events = await chain(fresh.dataSource);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.occurred_at.getTime()).toBeGreaterThanOrEqual(events[i - 1]!.occurred_at.getTime());
    }
    const actions: Array<{ action: string }> = await fresh.dataSource.query(
      `SELECT DISTINCT action FROM audit_event`,
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'account.search',
        'account.reveal',
        'account.operation.add-note',
        'auth.login',
      ]),
    );
    const [targets] = await fresh.dataSource.query(
      `SELECT count(*)::int AS events, count(*) FILTER (WHERE a.id IS NULL)::int AS unknown
         FROM audit_event e LEFT JOIN account a ON a.id::text = e.target_id WHERE e.target_type = 'account'`,
    );
    expect(targets.events).toBeGreaterThan(100);
    expect(targets.unknown).toBe(0);
  });

  it('continues a chain the API has written to, and the API continues after it', async () => {
    const audit = new AuditService(live.dataSource);
    const actor = { type: 'system' as const, id: null, email: null, roles: [] };
    await live.dataSource.transaction((m) =>
      audit.record({ actor, action: AuditAction.StaffCreate, outcome: 'success' }, m),
    );
    expect(await seedAuditEvents(live.pool, { events: 400 })).toMatchObject({ added: 399, headSeq: 400 });
    const after = await live.dataSource.transaction((m) =>
      audit.record({ actor, action: AuditAction.StaffCreate, outcome: 'success' }, m),
    );
    const [{ seq }] = await live.dataSource.query(`SELECT seq::text AS seq FROM audit_event WHERE id = $1`, [
      after.id,
    ]);
    expect(seq).toBe('401');

    expect(await new AuditReaderService(live.dataSource).verify()).toMatchObject({
      valid: true,
      checked: 401,
    });
    // Event n is the same wherever it is seeded; only its link to what came before differs.
    const [seeded] = await live.dataSource.query(`SELECT id FROM audit_event WHERE seq = 200`);
    const [same] = await fresh.dataSource.query(`SELECT id FROM audit_event WHERE seq = 200`);
    expect(seeded.id).toBe(same.id);
  });
});
