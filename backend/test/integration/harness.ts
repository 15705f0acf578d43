import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import type { App } from 'supertest/types';
import { createApp, type CustodianApp } from '../../src/app';
import type { Role } from '@custodian/shared';
import { loadConfig } from '../../src/config/app.config';
import type { StaffEntity } from '../../src/staff/staff.entity';
import { createStaff, STAFF_PASSWORD } from '../factories/staff.factory';

/**
 * Boots the real app against a real, empty, migrated database: an in-memory embedded PGlite by
 * default, or, when DATABASE_URL is set, a fresh database created on that server for this test
 * file and dropped afterwards.
 */
export interface TestApp {
  custodian: CustodianApp;
  /** Anonymous requests. */
  http: () => ReturnType<typeof request>;
  /** A cookie-keeping client signed in (through the real login route) as a new person with these roles. */
  signIn: (...roles: Role[]) => Promise<SignedIn>;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface SignedIn {
  agent: ReturnType<typeof request.agent>;
  person: StaffEntity;
  csrfToken: string;
  /** The session cookie as a browser sends it (`custodian.sid=…`), to replay it elsewhere. */
  cookie: string;
}

export async function startTestApp(
  options: {
    demoAccounts?: number;
    env?: Record<string, string>;
    /** Where log lines go instead of standard output. */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestApp> {
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
    // MFA is switched off unless a test asks for it: most tests are about something else.
    ...loadConfig({
      NODE_ENV: 'test',
      MFA_REQUIRED: 'false',
      CUSTODIAN_DATA_DIR: 'memory://',
      ...options.env,
    }),
    databaseUrl,
    dataDir: 'memory://',
    demo: (options.demoAccounts ?? 0) > 0,
    demoAccounts: options.demoAccounts ?? 0,
  };
  const custodian = await createApp(config, { logDestination: options.logDestination });
  const dataSource = custodian.app.get(DataSource);
  const httpServer = custodian.app.getHttpServer() as App;
  return {
    custodian,
    dataSource,
    http: () => request(httpServer),
    async signIn(...roles: Role[]) {
      const person = await createStaff(dataSource, { roles });
      const agent = request.agent(httpServer);
      const res = await agent.post('/api/auth/login').send({ email: person.email, password: STAFF_PASSWORD });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      agent.set('X-CSRF-Token', res.body.csrfToken);
      const cookie = /custodian\.sid=[^;]+/.exec(String(res.headers['set-cookie']))![0];
      return { agent, person, csrfToken: res.body.csrfToken, cookie };
    },
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
