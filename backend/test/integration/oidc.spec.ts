import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness';

/**
 * Single sign-on against a real OpenID Connect provider (the `oidc-provider` package) listening on
 * loopback, with its development login and consent pages filled in as a person would.
 */
const CALLBACK_ORIGIN = 'http://127.0.0.1:39999';
const people: Record<string, { email: string; name: string; groups: string[] }> = {};

let idp: Server;
let issuer: string;
let t: TestApp;

beforeAll(async () => {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  idp = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'custodian',
        client_secret: 'a-test-client-secret-of-decent-length',
        redirect_uris: [`${CALLBACK_ORIGIN}/api/auth/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    pkce: { required: () => true },
    cookies: { keys: ['a-cookie-signing-key-for-tests'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email_verified: true, ...people[sub] }),
    }),
  });
  handler = provider.callback();
  t = await startTestApp({
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'custodian',
      OIDC_CLIENT_SECRET: 'a-test-client-secret-of-decent-length',
      OIDC_GROUP_ROLES: 'cs-team=support,audit-team=auditor',
      OIDC_NAME: 'Test IdP',
      PUBLIC_URL: CALLBACK_ORIGIN,
    },
  });
});

afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => idp?.close(resolve));
});

/** Signs `login` in through the provider's pages; returns the Custodian client and the callback's answer. */
async function ssoSignIn(login: string) {
  const client = request.agent(t.custodian.app.getHttpServer());
  const start = await client.get('/api/auth/oidc/login');
  expect(start.status).toBe(302);
  let next = new URL(start.headers.location!);
  expect(next.origin).toBe(issuer);
  expect(next.searchParams.get('code_challenge_method')).toBe('S256');

  const jar = new Map<string, string>();
  let method = 'GET';
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(next, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      jar.set(k!, v.join('='));
    }
    const location = res.headers.get('location');
    if (location) {
      next = new URL(location, next);
      method = 'GET';
      body = undefined;
      if (next.origin === CALLBACK_ORIGIN) break;
      continue;
    }
    // A page with a form: the login form gets the person's login, the consent form is accepted.
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`the provider answered ${res.status} without a form`);
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? '';
    body = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login, password: 'any' } : {}) });
    next = new URL(action, next);
    method = 'POST';
  }
  expect(next.pathname).toBe('/api/auth/oidc/callback');
  const callback = await client.get(next.pathname + next.search);
  return { client, callback };
}

describe('single sign-on (OpenID Connect, code flow with PKCE)', () => {
  it('is announced to the sign-in page', async () => {
    const res = await t.http().get('/api/auth/config');
    expect(res.body.sso).toEqual({ enabled: true, name: 'Test IdP' });
  });

  it('signs a person in with roles from their groups, and takes a role away when the group goes', async () => {
    people['ada'] = {
      email: 'Ada@Company.test',
      name: 'Ada Lovelace',
      groups: ['cs-team', 'audit-team', 'other'],
    };
    const first = await ssoSignIn('ada');
    expect(first.callback.status).toBe(302);
    expect(first.callback.headers.location).toBe('/');
    const me = await first.client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: 'ada@company.test',
      displayName: 'Ada Lovelace',
      roles: ['auditor', 'support'],
      authMethod: 'sso',
    });
    expect((await first.client.get('/api/accounts')).status).toBe(200);

    people['ada'].groups = ['cs-team'];
    const second = await ssoSignIn('ada');
    const after = await second.client.get('/api/auth/me');
    expect(after.body.roles).toEqual(['support']);
    expect(after.body.permissions).not.toContain('audit.read');
  });

  it('refuses a person whose groups grant no role, and leaves them signed out', async () => {
    people['mallory'] = { email: 'mallory@company.test', name: 'Mallory', groups: ['marketing'] };
    const { client, callback } = await ssoSignIn('mallory');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toMatch(/^\/#\/login\?error=/);
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('refuses a callback that was not started here (no PKCE verifier, state or nonce)', async () => {
    const res = await t.http().get('/api/auth/oidc/callback?code=forged&state=forged');
    expect(res.status).toBe(302);
    // Refused for having no sign-on in progress: the forged code alone would fail at the provider.
    expect(res.headers.location).toBe(
      `/#/login?error=${encodeURIComponent('no single sign-on is in progress; start again')}`,
    );
  });
});
