import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  changeRequestKindsReadBy,
  FIELD_POLICY,
  filesChangeRequests,
  Permission,
  ROLES,
  permissionsOf,
  visibilityFor,
  type LoginResponse,
  type Me,
  type Role,
} from '@custodian/shared';
import {
  LoginThrottledError,
  MFA_ENROLMENT_PATH,
  OtpRequiredError,
  canAccessFor,
  createAuthProvider,
  sessionEndedMessage,
} from './authProvider';
import { CSRF_HEADER, apiFetch, buildHeaders, getCsrfToken, lastApiAnswerAt, setCsrfToken } from './http';

interface Call {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A fetch stub: `respond` answers each call; every call is recorded. */
function stubApi(respond: (call: Call) => Answer) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input), 'http://console.test');
      const call: Call = {
        method: init?.method ?? 'GET',
        path: url.pathname,
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      calls.push(call);
      const { status = 200, body, headers = {} } = respond(call);
      return new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json', ...headers },
      });
    }),
  );
  return calls;
}

const apiError = (statusCode: number, message: string) => ({ statusCode, error: 'Error', message });

function person(roles: Role[], overrides: Partial<Me> = {}): Me {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    email: `${roles.join('-') || 'nobody'}@demo.test`,
    displayName: 'Demo Person',
    roles,
    permissions: permissionsOf(roles),
    mfaEnabled: false,
    mfaEnrolmentRequired: false,
    authMethod: 'password',
    ...overrides,
  };
}

const loginAnswer = (me: Me, csrfToken = 'csrf-1'): LoginResponse => ({ user: me, csrfToken });

beforeEach(() => setCsrfToken(null));
afterEach(() => vi.unstubAllGlobals());

describe('login', () => {
  it('asks for the one-time code, then signs in with it', async () => {
    const me = person(['support'], { mfaEnabled: true });
    const calls = stubApi((call) => {
      const body = call.body as { otp?: string };
      return body.otp === '123456'
        ? { body: loginAnswer(me) }
        : { status: 401, body: apiError(401, 'a one-time code is required (otp)') };
    });
    const auth = createAuthProvider();

    await expect(
      auth.login({ email: 'support@demo.test', password: 'demo-password' }),
    ).rejects.toBeInstanceOf(OtpRequiredError);
    expect(getCsrfToken()).toBeNull();

    await expect(
      auth.login({ email: 'support@demo.test', password: 'demo-password', otp: ' 123456 ' }),
    ).resolves.toBeUndefined();
    expect(calls.map((c) => c.body)).toEqual([
      { email: 'support@demo.test', password: 'demo-password' },
      { email: 'support@demo.test', password: 'demo-password', otp: '123456' },
    ]);
    expect(getCsrfToken()).toBe('csrf-1');
    await expect(auth.getIdentity!()).resolves.toMatchObject({ id: me.id, fullName: 'Demo Person' });
  });

  it('passes a wrong code or password through as the API said it', async () => {
    stubApi(() => ({ status: 401, body: apiError(401, 'the one-time code is wrong or was already used') }));
    const auth = createAuthProvider();
    const attempt = auth.login({ email: 'a@demo.test', password: 'x', otp: '000000' });
    await expect(attempt).rejects.not.toBeInstanceOf(OtpRequiredError);
    await expect(attempt).rejects.toThrow('the one-time code is wrong or was already used');
  });

  it('reports how long to wait after too many failures', async () => {
    stubApi(() => ({
      status: 429,
      body: apiError(429, 'too many failed sign-in attempts; try again later'),
      headers: { 'Retry-After': '60' },
    }));
    const failure = await createAuthProvider()
      .login({ email: 'a@demo.test', password: 'x' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LoginThrottledError);
    expect((failure as LoginThrottledError).retryAfterSeconds).toBe(60);
  });

  it('sends a person who must enrol MFA to the enrolment page', async () => {
    stubApi(() => ({ body: loginAnswer(person(['engineer'], { mfaEnrolmentRequired: true })) }));
    await expect(createAuthProvider().login({ email: 'e@demo.test', password: 'p' })).resolves.toEqual({
      redirectTo: MFA_ENROLMENT_PATH,
    });
  });
});

describe('CSRF token', () => {
  it('is added to unsafe requests only, once known', async () => {
    expect(buildHeaders('POST', true).has(CSRF_HEADER)).toBe(false);
    const calls = stubApi((call) =>
      call.path === '/api/auth/login' ? { body: loginAnswer(person(['admin']), 'tok') } : { status: 204 },
    );
    const auth = createAuthProvider();
    await auth.login({ email: 'admin@demo.test', password: 'demo-password' });

    expect(buildHeaders('POST', true).get(CSRF_HEADER)).toBe('tok');
    expect(buildHeaders('delete').get(CSRF_HEADER)).toBe('tok');
    expect(buildHeaders('GET').has(CSRF_HEADER)).toBe(false);

    await auth.logout({});
    const logout = calls.find((c) => c.path === '/api/auth/logout');
    expect(logout?.method).toBe('POST');
    expect(logout?.headers.get(CSRF_HEADER)).toBe('tok');
    expect(getCsrfToken()).toBeNull();
    expect(buildHeaders('POST').has(CSRF_HEADER)).toBe(false);
  });

  it('forgets what the tab kept for the person who signed out, and nothing else', async () => {
    const kept = new Map([
      ['custodian.bulk.lastRequest', '{"changeRequestId":"x"}'],
      ['custodian.other', '1'],
      ['elsewhere', 'kept'],
    ]);
    vi.stubGlobal('sessionStorage', {
      get length() {
        return kept.size;
      },
      key: (i: number) => [...kept.keys()][i] ?? null,
      removeItem: (key: string) => void kept.delete(key),
    });
    stubApi((call) =>
      call.path === '/api/auth/login' ? { body: loginAnswer(person(['engineer']), 'tok') } : { status: 204 },
    );
    const auth = createAuthProvider();
    await auth.login({ email: 'engineer@demo.test', password: 'demo-password' });
    await auth.logout({});
    expect([...kept.keys()]).toEqual(['elsewhere']);
  });

  it('comes back from /api/auth/me after a reload', async () => {
    stubApi(() => ({ body: { ...person(['auditor']), csrfToken: 'from-me' } }));
    await createAuthProvider().checkAuth({});
    expect(getCsrfToken()).toBe('from-me');
  });
});

describe('checkAuth and checkError', () => {
  it('rejects quietly when nobody is signed in', async () => {
    stubApi(() => ({ status: 401, body: apiError(401, 'sign in first') }));
    await expect(createAuthProvider().checkAuth({})).rejects.toEqual({ message: false });
  });

  it('signs out on 401 and forgets the token', async () => {
    setCsrfToken('stale');
    await expect(
      createAuthProvider().checkError({ status: 401, message: 'sign in first' }),
    ).rejects.toThrow();
    expect(getCsrfToken()).toBeNull();
  });

  it('sends a 403 "set up two-factor" to enrolment without signing out', async () => {
    await expect(
      createAuthProvider().checkError({ status: 403, message: 'set up two-factor authentication first' }),
    ).rejects.toMatchObject({ redirectTo: MFA_ENROLMENT_PATH, logoutUser: false });
  });

  it('leaves any other 403 to the page', async () => {
    await expect(
      createAuthProvider().checkError({ status: 403, message: 'missing permission account.read' }),
    ).resolves.toBeUndefined();
  });
});

describe('canAccess', () => {
  const can = (roles: Role[], resource: string, action: string, overrides: Partial<Me> = {}) =>
    canAccessFor(person(roles, overrides), { resource, action });

  it('follows the role table for each resource', () => {
    for (const role of ROLES) {
      const granted = permissionsOf([role]);
      const has = (p: Permission) => granted.includes(p);
      expect(can([role], 'accounts', 'list'), `${role} accounts`).toBe(has(Permission.AccountRead));
      expect(can([role], 'staff', 'list'), `${role} staff list`).toBe(has(Permission.StaffRead));
      expect(can([role], 'staff', 'create'), `${role} staff create`).toBe(has(Permission.StaffManage));
      expect(can([role], 'staff', 'edit'), `${role} staff edit`).toBe(has(Permission.StaffManage));
      expect(can([role], 'audit-events', 'list'), `${role} audit`).toBe(has(Permission.AuditRead));
      // Supervisors decide account changes; admins decide role grants (and auditors read them).
      expect(can([role], 'change-requests', 'list'), `${role} requests`).toBe(
        has(Permission.ChangeRequestRead) || has(Permission.StaffRead),
      );
      expect(can([role], 'change-requests', 'list'), `${role} requests, by the shared rules`).toBe(
        changeRequestKindsReadBy(granted).length > 0,
      );
      // Whoever may file a change request follows theirs under "My requests".
      for (const action of ['list', 'show']) {
        expect(can([role], 'my-change-requests', action), `${role} my requests ${action}`).toBe(
          filesChangeRequests(granted),
        );
      }
      expect(can([role], 'my-change-requests', 'approve'), `${role} my requests approve`).toBe(false);

      expect(can([role], 'policy', 'list'), `${role} policy`).toBe(true);
      expect(can([role], 'policy', 'review'), `${role} policy review`).toBe(has(Permission.PolicyRead));
      expect(can([role], 'bulk-operations', 'create'), `${role} bulk`).toBe(
        has(Permission.BulkOperationCreate),
      );
      expect(can([role], 'audit-events', 'verify'), `${role} verify`).toBe(has(Permission.AuditVerify));
      expect(can([role], 'change-requests', 'approve'), `${role} approve`).toBe(
        has(Permission.ChangeRequestApprove) || has(Permission.StaffManage),
      );
      expect(can([role], 'accounts', 'change-email'), `${role} change-email`).toBe(
        has(Permission.OperationChangeEmail),
      );
    }
  });

  it('offers “My requests” to those who file change requests, as the design has them', () => {
    // Support (credits above their cap) and engineers file account changes; admins file role grants.
    expect(ROLES.filter((role) => can([role], 'my-change-requests', 'list'))).toEqual([
      'support',
      'engineer',
      'admin',
    ]);
    expect(can(['support'], 'my-change-requests', 'show')).toBe(true);
    expect(can(['support'], 'change-requests', 'show')).toBe(false);
  });

  it('reads field-level resources from the field policy', () => {
    for (const role of ROLES) {
      for (const [field, rule] of Object.entries(FIELD_POLICY.account)) {
        const visible = visibilityFor(rule, [role]) !== 'hidden';
        expect(can([role], `accounts.${field}`, 'read'), `${role} accounts.${field}`).toBe(visible);
      }
    }
    expect(can(['support'], 'accounts.email', 'show')).toBe(true);
    expect(can(['support'], 'accounts.dateOfBirth', 'read')).toBe(true);
    expect(can(['engineer'], 'accounts.dateOfBirth', 'read')).toBe(false);
    expect(can(['engineer'], 'accounts.lastLoginIp', 'read')).toBe(true);
    expect(can(['support'], 'accounts.lastLoginIp', 'read')).toBe(false);
    expect(can(['admin'], 'accounts.email', 'read')).toBe(false);
    expect(can(['support'], 'accounts.address.city', 'read')).toBe(true);
    expect(can(['support'], 'sessions.ip', 'read')).toBe(false);
    expect(can(['engineer'], 'sessions.ip', 'read')).toBe(true);
  });

  it('allows reveal only with the field’s reveal permission', () => {
    expect(can(['support'], 'accounts.email', 'reveal')).toBe(true);
    expect(can(['support'], 'accounts.dateOfBirth', 'reveal')).toBe(false);
    expect(can(['engineer'], 'accounts.address', 'reveal')).toBe(false);
    expect(can(['auditor'], 'accounts.email', 'reveal')).toBe(false);
    expect(can(['support'], 'accounts.conversations', 'reveal')).toBe(true);
    expect(can(['engineer'], 'accounts.conversations', 'reveal')).toBe(false);
  });

  it('adds up the roles of a person with several', () => {
    expect(can(['auditor', 'admin'], 'staff', 'edit')).toBe(true);
    expect(can(['auditor', 'admin'], 'audit-events', 'export')).toBe(true);
    expect(can(['auditor', 'admin'], 'accounts.email', 'read')).toBe(true);
  });

  it('denies what it does not know, and generic writes to customer data', () => {
    expect(can(['engineer'], 'accounts', 'edit')).toBe(false);
    expect(can(['engineer'], 'accounts', 'delete')).toBe(false);
    expect(can(['admin'], 'staff', 'delete')).toBe(false);
    expect(can(['admin'], 'secrets', 'list')).toBe(false);
    expect(can(['support'], 'accounts.nonsense', 'read')).toBe(false);
    expect(canAccessFor(null, { resource: 'accounts', action: 'list' })).toBe(false);
  });

  it('offers only enrolment while MFA enrolment is required', () => {
    const overrides = { mfaEnrolmentRequired: true };
    expect(can(['support'], 'mfa', 'list', overrides)).toBe(true);
    expect(can(['support'], 'accounts', 'list', overrides)).toBe(false);
    expect(can(['admin'], 'staff', 'list', overrides)).toBe(false);
    expect(can(['support'], 'tokens', 'list', overrides)).toBe(false);
  });

  it('shows the own-account pages to the right people', () => {
    expect(can(['support'], 'tokens', 'list')).toBe(true);
    expect(can(['support'], 'tokens', 'list', { authMethod: 'token' })).toBe(false);
    expect(can(['support'], 'mfa', 'list')).toBe(true);
    expect(can(['support'], 'mfa', 'list', { mfaEnabled: true })).toBe(false);
    expect(can(['support'], 'mfa', 'list', { authMethod: 'sso' })).toBe(false);
    expect(can(['support'], 'password', 'list')).toBe(true);
    expect(can(['support'], 'password', 'list', { authMethod: 'sso' })).toBe(false);
  });

  it('answers through the provider from /api/auth/me', async () => {
    const calls = stubApi(() => ({ body: { ...person(['auditor']), csrfToken: 'x' } }));
    const auth = createAuthProvider();
    const [audit, staffCreate] = await Promise.all([
      auth.canAccess!({ resource: 'audit-events', action: 'list' }),
      auth.canAccess!({ resource: 'staff', action: 'create' }),
    ]);
    expect([audit, staffCreate]).toEqual([true, false]);
    expect(calls).toHaveLength(1);
  });
});

describe('a session that ends by itself', () => {
  it('says how long the console was quiet', () => {
    expect(sessionEndedMessage(15 * 60_000 + 5_000)).toBe(
      'Your session ended after 15 minutes without activity; sign in again.',
    );
    expect(sessionEndedMessage(60_000)).toBe(
      'Your session ended after 1 minute without activity; sign in again.',
    );
    expect(sessionEndedMessage(null)).toBe('Your session has ended; sign in again.');
  });

  it('is remembered for the sign-in page when a signed-in session gets a 401, and forgotten at sign-in', async () => {
    let signedIn = true;
    stubApi(({ path }) =>
      path === '/api/auth/login'
        ? { body: loginAnswer(person(['support'])) }
        : signedIn
          ? { body: person(['support']) }
          : { status: 401, body: apiError(401, 'sign in first') },
    );
    const provider = createAuthProvider();
    await provider.checkAuth({});
    expect(provider.endedSessionMessage()).toBeNull();
    signedIn = false;
    await expect(provider.checkError({ status: 401, message: 'sign in first' })).rejects.toThrow();
    expect(provider.endedSessionMessage()).toMatch(/^Your session (ended|has ended)/);
    await provider.login({ email: 'support@demo.test', password: 'demo-password' });
    expect(provider.endedSessionMessage()).toBeNull();
  });

  it('is not said to someone who was never signed in', async () => {
    stubApi(() => ({ status: 401, body: apiError(401, 'sign in first') }));
    const provider = createAuthProvider();
    await expect(provider.checkAuth({})).rejects.toEqual({ message: false });
    expect(provider.endedSessionMessage()).toBeNull();
  });
});

describe('the session’s last activity', () => {
  /** The tabs' shared storage, as a browser has it. */
  function stubStorage(): Map<string, string> {
    const items = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, String(value)),
    });
    return items;
  }

  afterEach(() => vi.useRealTimers());

  it('is any answer but a 401, each of which renewed the session on the server', async () => {
    stubStorage();
    vi.useFakeTimers({ toFake: ['Date'] });
    let status = 200;
    stubApi(() => ({ status, body: status === 200 ? {} : apiError(status, 'no') }));
    vi.setSystemTime(1_000_000);
    await apiFetch('/accounts');
    expect(lastApiAnswerAt()).toBe(1_000_000);
    status = 403;
    vi.setSystemTime(2_000_000);
    await expect(apiFetch('/audit-events')).rejects.toThrow('no');
    expect(lastApiAnswerAt()).toBe(2_000_000);
    status = 401;
    vi.setSystemTime(3_000_000);
    await expect(apiFetch('/accounts')).rejects.toThrow('no');
    expect(lastApiAnswerAt()).toBe(2_000_000);
  });

  it('is the latest of all tabs: another tab’s answer keeps this one from idling out', async () => {
    const items = stubStorage();
    vi.useFakeTimers({ toFake: ['Date'] });
    stubApi(() => ({ body: {} }));
    vi.setSystemTime(5_000_000);
    await apiFetch('/accounts');
    items.set('custodian.lastAnswerAt', '9000000');
    expect(lastApiAnswerAt()).toBe(9_000_000);
  });
});
