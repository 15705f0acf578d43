import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../../src/database/data-source';
import { startEmbeddedDatabase } from '../../src/database/embedded';
import { SEED_TABLE_ORDER, seedCustomerData } from '../../src/database/seed';
import { COUNTRIES } from '../../src/database/seed/countries';

interface TestDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

async function freshDatabase(): Promise<TestDatabase> {
  const embedded = await startEmbeddedDatabase('memory://');
  const dataSource = createDataSource(embedded.url, 1);
  await dataSource.initialize();
  await migrate(dataSource);
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded.stop();
    },
  };
}

/** One digest per table over every column of every row, in id order. */
async function digest(dataSource: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of SEED_TABLE_ORDER) {
    const [row] = await dataSource.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS h FROM ${table} t`,
    );
    out[table] = `${row.n}:${row.h}`;
  }
  return out;
}

/** Every key and index of the customer tables and every foreign key to them, as the catalogue has them. */
async function schemaObjects(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ d: string }> = await dataSource.query(
    `SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index WHERE indrelid = ANY ($1::regclass[])
     UNION ALL
     SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
      WHERE conrelid = ANY ($1::regclass[]) OR confrelid = ANY ($1::regclass[])`,
    [[...SEED_TABLE_ORDER]],
  );
  return rows.map((r) => r.d).sort();
}

describe('seedCustomerData', () => {
  const databases: TestDatabase[] = [];
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([freshDatabase(), freshDatabase()]);
    databases.push(first, second);
  });

  afterAll(async () => {
    await Promise.all(databases.map((d) => d.close()));
  });

  it('gives identical rows for the same seed in two fresh databases', async () => {
    const summary = await seedCustomerData(first.dataSource, { accounts: 50 });
    await seedCustomerData(second.dataSource, { accounts: 50, seed: 42 });

    expect(summary.accounts).toBe(50);
    expect(summary.paymentMethods + summary.customerSessions + summary.messages).toBeGreaterThan(0);
    expect(await digest(second.dataSource)).toEqual(await digest(first.dataSource));
  });

  it('tops up 30 accounts to 50 with exactly the rows of seeding 50 at once', async () => {
    const topUp = await freshDatabase();
    databases.push(topUp);

    const before = await seedCustomerData(topUp.dataSource, { accounts: 30, batchSize: 7 });
    const after = await seedCustomerData(topUp.dataSource, { accounts: 50, batchSize: 7 });
    const again = await seedCustomerData(topUp.dataSource, { accounts: 50 });

    expect([before.accounts, after.accounts, again.accounts]).toEqual([30, 20, 0]);
    expect(await digest(topUp.dataSource)).toEqual(await digest(first.dataSource));
  });

  it('builds the same rows in a bulk load and puts every key and index back', async () => {
    const bulk = await freshDatabase();
    databases.push(bulk);
    const schemaBefore = await schemaObjects(bulk.dataSource);

    await seedCustomerData(bulk.dataSource, { accounts: 50, bulkLoad: true, batchSize: 16 });

    expect(await digest(bulk.dataSource)).toEqual(await digest(first.dataSource));
    expect(await schemaObjects(bulk.dataSource)).toEqual(schemaBefore);
    expect(schemaBefore.some((d) => d.includes('gin_trgm_ops'))).toBe(true);
  });

  it('refuses to top up accounts another seed created', async () => {
    await expect(seedCustomerData(first.dataSource, { accounts: 60, seed: 7 })).rejects.toThrow(
      /not the first 50 accounts of seed 7/,
    );
  });

  it('keeps regions, countries, phones, e-mail addresses and handles consistent', async () => {
    const accounts: Array<{
      email: string;
      handle: string;
      phone: string | null;
      region: string;
      address_country: string;
    }> = await first.dataSource.query('SELECT email, handle, phone, region, address_country FROM account');
    const countries = new Map(COUNTRIES.map((c) => [c.code, c]));

    for (const account of accounts) {
      const country = countries.get(account.address_country);
      expect(country?.region).toBe(account.region);
      expect(account.email).toBe(account.email.toLowerCase());
      expect(account.email).toMatch(/^[a-z._]+\d+@[a-z.]+$/);
      expect(account.handle).toMatch(/^[a-z._]+\d+$/);
      if (account.phone !== null) {
        expect(account.phone).toMatch(/^\+[1-9]\d{7,14}$/);
        expect(account.phone.startsWith(`+${country?.callingCode}`)).toBe(true);
      }
    }
    expect(new Set(accounts.map((a) => a.email)).size).toBe(accounts.length);
    expect(new Set(accounts.map((a) => a.handle)).size).toBe(accounts.length);
  });

  it('keeps each conversation consistent with its messages', async () => {
    const [{ n }] = await first.dataSource.query(`SELECT count(*)::int AS n FROM conversation`);
    expect(n).toBeGreaterThan(0);
    // A LEFT JOIN, so that a conversation whose messages are missing altogether is a mismatch too.
    const mismatches = await first.dataSource.query(
      `SELECT c.id FROM conversation c LEFT JOIN message m ON m.conversation_id = c.id
        GROUP BY c.id
       HAVING count(m.id) <> max(c.message_count) OR max(m.sent_at) IS DISTINCT FROM max(c.last_message_at)`,
    );
    expect(mismatches).toEqual([]);
  });

  it('rejects a negative or fractional number of accounts', async () => {
    await expect(seedCustomerData(first.dataSource, { accounts: -1 })).rejects.toThrow(RangeError);
    await expect(seedCustomerData(first.dataSource, { accounts: 2.5 })).rejects.toThrow(RangeError);
  });
});
