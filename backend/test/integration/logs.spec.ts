import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, insertAccounts } from '../factories/account.factory';
import { createStaff, STAFF_PASSWORD } from '../factories/staff.factory';
import { startTestApp, type TestApp } from './harness';

/** Log lines as the app writes them, parsed. */
function captureLogs() {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    text: () => lines.join(''),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/**
 * What a person does that puts secrets and personal data in a request: a password sign-in, a
 * token made and used, an exact email lookup. Answers the values that must never reach a log.
 */
async function exercise(t: TestApp, requestId: string) {
  const person = await createStaff(t.dataSource, { roles: ['support'] });
  const [account] = await insertAccounts(t.dataSource, [buildAccount()]);
  const agent = request.agent(t.custodian.app.getHttpServer());
  const login = await agent.post('/api/auth/login').send({ email: person.email, password: STAFF_PASSWORD });
  expect(login.status).toBe(200);
  const cookie = /custodian\.sid=([^;]+)/.exec(String(login.headers['set-cookie']))![1]!;
  const made = await agent
    .post('/api/auth/tokens')
    .set('X-CSRF-Token', login.body.csrfToken)
    .send({ name: 'logs', expiresInDays: 1 });
  expect(made.status).toBe(201);
  const lookup = await t
    .http()
    .get('/api/accounts')
    .query({ email: account!.email })
    .set('Authorization', `Bearer ${made.body.token}`)
    .set('X-Request-Id', requestId);
  expect(lookup.status).toBe(200);
  expect(lookup.body.data).toHaveLength(1);
  return {
    secrets: [STAFF_PASSWORD, made.body.token, decodeURIComponent(cookie), login.body.csrfToken],
    personal: [account!.email, account!.email.split('@')[0]!, person.email],
  };
}

/** The request id recorded with the exact-email search's audit event. */
async function searchEventRequestId(t: TestApp): Promise<string> {
  const [row] = await t.dataSource.query(
    `SELECT request_id FROM audit_event WHERE action = 'account.search' ORDER BY seq DESC LIMIT 1`,
  );
  return row.request_id;
}

/** An app for the describe block, writing its logs at `level` where the test reads them. */
function appLoggingAt(level: string) {
  const logs = captureLogs();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: level }, logDestination: logs.destination });
  });
  afterAll(() => t.close());
  return { logs, app: () => t };
}

describe('logs at LOG_LEVEL=info', () => {
  const { logs, app } = appLoggingAt('info');

  it('write a line per request, with its id, path and parameter names, and no secret or personal data', async () => {
    const t = app();
    const { secrets, personal } = await exercise(t, 'trace-me-123');
    const lookup = logs
      .records()
      .find((r) => (r.req as { path?: string } | undefined)?.path === '/api/accounts');
    expect(lookup).toMatchObject({
      reqId: 'trace-me-123',
      req: { id: 'trace-me-123', method: 'GET', path: '/api/accounts', params: ['email'] },
      res: { statusCode: 200 },
    });
    const paths = logs.records().map((r) => (r.req as { path?: string } | undefined)?.path);
    expect(paths).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/tokens', '/api/accounts']));
    for (const value of [...secrets, ...personal]) expect(logs.text()).not.toContain(value);
    // The line and the audit event name the same request.
    expect(await searchEventRequestId(t)).toBe('trace-me-123');
  });
});

describe('logs at LOG_LEVEL=warn', () => {
  const { logs, app } = appLoggingAt('warn');

  it('write no request lines, and every request still has its id for the audit log', async () => {
    const t = app();
    const { secrets, personal } = await exercise(t, 'trace-me-456');
    expect(logs.records().filter((r) => r.req !== undefined)).toEqual([]);
    for (const value of [...secrets, ...personal]) expect(logs.text()).not.toContain(value);
    expect(await searchEventRequestId(t)).toBe('trace-me-456');
    // An id the caller did not give, or gave in a shape that is refused, is a new one.
    await t.http().get('/api/health').set('X-Request-Id', 'no spaces allowed');
    const token = await t.signIn('support');
    const [account] = await insertAccounts(t.dataSource, [buildAccount()]);
    await token.agent.get('/api/accounts').query({ email: account!.email }).set('X-Request-Id', 'bad id!');
    expect(await searchEventRequestId(t)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
