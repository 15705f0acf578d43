import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { App } from 'supertest/types';
import { createApp, type CustodianApp } from '../../src/app';
import { loadConfig } from '../../src/config/app.config';

/**
 * Boots the real app against a real, empty, migrated database: an in-memory embedded PGlite by
 * default, or, when DATABASE_URL is set, a fresh database created on that server for this test
 * file and dropped afterwards.
 */
export interface TestApp {
  custodian: CustodianApp;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function startTestApp(options: { demoAccounts?: number } = {}): Promise<TestApp> {
  const server = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (server) {
    const name = `custodian_test_${randomBytes(6).toString('hex')}`;
    await withAdminClient(server, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = new URL(server);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () =>
      withAdminClient(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  const config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    databaseUrl,
    dataDir: 'memory://',
    demo: (options.demoAccounts ?? 0) > 0,
    demoAccounts: options.demoAccounts ?? 0,
  };
  const custodian = await createApp(config);
  const dataSource = custodian.app.get(DataSource);
  const httpServer = custodian.app.getHttpServer() as App;
  return {
    custodian,
    dataSource,
    http: () => request(httpServer),
    async close() {
      await custodian.close();
      await dropDatabase?.();
    },
  };
}

async function withAdminClient(url: string, run: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}
