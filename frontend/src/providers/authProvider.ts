/**
 * react-admin auth provider for Custodian's cookie sessions (API.md, Authentication).
 *
 * What must stay true here:
 * - `canAccess` only decides what the console shows. The API enforces the same shared policy on
 *   every request and never trusts the console, so a wrong answer here hides or shows a button;
 *   it must still deny by default: an unknown resource or action is `false`.
 * - The CSRF token is kept in memory (http.ts) and forgotten on sign-out and on any 401.
 * - Sign-out forgets the cached person; react-admin's `useLogout` then clears the query cache,
 *   so going back in the browser history re-checks the session instead of showing old data.
 */
import type { AuthProvider, UserIdentity } from 'react-admin';
import {
  changeRequestKindsReadBy,
  decidesChangeRequests,
  FIELD_POLICY,
  filesChangeRequests,
  OPERATION_NAMES,
  Permission,
  REVEAL_PERMISSIONS,
  visibilityFor,
  type LoginResponse,
  type Me,
  type Resource as PolicyResource,
} from '@custodian/shared';
import { apiFetch, lastApiAnswerAt, retryAfterSeconds, setCsrfToken, statusOf } from './http';
import { forgetTabState } from './tabState';

/** `GET /api/auth/me` answers with the session's CSRF token too, so a reload keeps it. */
export type MeResponse = Me & { csrfToken?: string };

export interface LoginParams {
  email: string;
  password: string;
  /** A 6-digit code or a recovery code, once the API has asked for one. */
  otp?: string;
}

/** The password was right and the API now wants the second factor. */
export class OtpRequiredError extends Error {
  readonly otpRequired = true;
}

/** Too many failed attempts: sign-in is blocked for `retryAfterSeconds`. */
export class LoginThrottledError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }
}

/** Where a person who must enrol MFA first is sent (the `mfa` resource's list page). */
export const MFA_ENROLMENT_PATH = '/mfa';

const MFA_REQUIRED_MESSAGE = 'set up two-factor authentication first';
const OTP_REQUIRED_MESSAGE = 'one-time code';

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null || !('message' in error)) return '';
  const message = (error as { message: unknown }).message;
  return typeof message === 'string' ? message : '';
}

/**
 * Why a signed-in session ended on a 401 (it idled out, or reached its lifetime), said on the
 * sign-in page: with how long the console had been quiet, the idle timeout being the usual cause.
 */
export function sessionEndedMessage(quietMs: number | null): string {
  const minutes = quietMs === null ? 0 : Math.floor(quietMs / 60_000);
  if (minutes < 1) return 'Your session has ended; sign in again.';
  return `Your session ended after ${minutes} minute${minutes === 1 ? '' : 's'} without activity; sign in again.`;
}

// --- canAccess: the console's reading of the shared policy --------------------------------------

/** Resources of the console whose records are customer data, and their field-policy table. */
const FIELD_RESOURCES: Readonly<Record<string, PolicyResource>> = {
  accounts: 'account',
  'payment-methods': 'paymentMethod',
  conversations: 'conversation',
  messages: 'message',
  sessions: 'customerSession',
  notes: 'note',
};

/** Actions that read a record or a list of records. */
const READ_ACTIONS: readonly string[] = ['list', 'show', 'read'];
const isRead = (action: string) => READ_ACTIONS.includes(action);

const reads = (permission: Permission): Record<string, Permission> =>
  Object.fromEntries(READ_ACTIONS.map((action) => [action, permission]));

const operationActions: Record<string, Permission> = Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, `account.operation.${name}` as Permission]),
);

/**
 * Resource and action to the permission they need. Anything not listed is denied; there is no
 * generic edit or delete of customer data, so those actions are absent on purpose.
 */
const RESOURCE_PERMISSIONS: Readonly<Record<string, Readonly<Record<string, Permission>>>> = {
  ...Object.fromEntries(Object.keys(FIELD_RESOURCES).map((r) => [r, reads(Permission.AccountRead)])),
  accounts: {
    ...reads(Permission.AccountRead),
    ...operationActions,
    bulk: Permission.BulkOperationCreate,
  },
  history: reads(Permission.AccountRead),
  // The bulk page is the resource's list route, shown only to those who may create one.
  'bulk-operations': { list: Permission.BulkOperationCreate, create: Permission.BulkOperationCreate },
  'change-requests': {
    ...reads(Permission.ChangeRequestRead),
    approve: Permission.ChangeRequestApprove,
    reject: Permission.ChangeRequestApprove,
  },
  'audit-events': {
    ...reads(Permission.AuditRead),
    export: Permission.AuditExport,
    verify: Permission.AuditVerify,
  },
  staff: {
    ...reads(Permission.StaffRead),
    create: Permission.StaffManage,
    edit: Permission.StaffManage,
    deactivate: Permission.StaffManage,
  },
  // Reading the policy is open to everyone signed in (see sessionAccess); the access review
  // (who can do what) is not.
  policy: { review: Permission.PolicyRead },
};

export interface AccessQuery {
  resource: string;
  action: string;
}

/** Pages whose access depends on the kind of session rather than on one permission. */
function sessionAccess(me: Me, { resource, action }: AccessQuery): boolean | undefined {
  switch (resource) {
    case 'mfa':
      // Enrolment is for password sign-in; once on, there is nothing to do on that page.
      return action === 'list' && me.authMethod === 'password' && (!me.mfaEnabled || me.mfaEnrolmentRequired);
    case 'password':
      return action === 'list' && me.authMethod === 'password';
    case 'tokens':
      // A token cannot mint tokens; a browser session can list, create and revoke its own.
      return me.authMethod !== 'token' && ['list', 'create', 'delete'].includes(action);
    case 'change-requests': {
      // Reviewers see the kinds of request their permissions give them (shared
      // CHANGE_REQUEST_RULES: account changes for supervisors, role grants for admins and
      // auditors); the server checks each request's kind, and never lets a person decide their own.
      if (isRead(action)) return changeRequestKindsReadBy(me.permissions).length > 0;
      if (action === 'approve' || action === 'reject') return decidesChangeRequests(me.permissions);
      return undefined;
    }
    case 'my-change-requests':
      // The requests a person filed, open to whoever may file one (the API lists anyone's own).
      return isRead(action) && filesChangeRequests(me.permissions);
    case 'policy':
      // GET /api/policy is open to everyone signed in; the access review is in RESOURCE_PERMISSIONS.
      return isRead(action) ? true : undefined;
    case 'operations': {
      // The operation catalogue is readable by anyone signed in; running one needs its permission.
      if (isRead(action)) return true;
      const permission = operationActions[action];
      return !!permission && me.permissions.includes(permission);
    }
    default:
      return undefined;
  }
}

/**
 * Field-level resources such as `accounts.email`: readable when any of the person's roles sees
 * the field clear or masked; `reveal` when they hold the field's reveal permission.
 */
function fieldAccess(me: Me, resource: string, field: string, action: string): boolean {
  const table = FIELD_RESOURCES[resource];
  if (!table || !me.permissions.includes(Permission.AccountRead)) return false;
  const name = field.split('.')[0]!;
  if (resource === 'accounts' && name === 'conversations' && action === 'reveal') {
    return me.permissions.includes(REVEAL_PERMISSIONS.conversations);
  }
  const rule = FIELD_POLICY[table][name];
  if (!rule) return false;
  if (action === 'reveal') return !!rule.reveal && me.permissions.includes(rule.reveal);
  if (!isRead(action)) return false;
  return visibilityFor(rule, me.roles) !== 'hidden';
}

/** Whether the console should offer `action` on `resource` to this person. Denies by default. */
export function canAccessFor(me: Me | null, query: AccessQuery): boolean {
  if (!me) return false;
  if (me.mfaEnrolmentRequired) {
    // Every API call but enrolment answers 403 until MFA is set up: offer nothing else.
    return query.resource === 'mfa' && query.action === 'list';
  }
  const self = sessionAccess(me, query);
  if (self !== undefined) return self;
  const dot = query.resource.indexOf('.');
  if (dot > 0) {
    return fieldAccess(me, query.resource.slice(0, dot), query.resource.slice(dot + 1), query.action);
  }
  const permission = RESOURCE_PERMISSIONS[query.resource]?.[query.action];
  return !!permission && me.permissions.includes(permission);
}

// --- the provider ------------------------------------------------------------------------------

export interface CustodianAuthProvider extends AuthProvider {
  /** Why the last signed-in session ended without a sign-out, for the sign-in page; or null. */
  endedSessionMessage: () => string | null;
  /** The signed-in person as last read from the API, or null. */
  getMe: () => Promise<Me | null>;
  /** Reads `/api/auth/me` again (after MFA enrolment, say). */
  refreshMe: () => Promise<Me | null>;
  /** The session is being ended for inactivity: the sign-in page will say so. */
  noteIdleTimeout: () => void;
}

export function createAuthProvider(): CustodianAuthProvider {
  let me: Me | null = null;
  let pending: Promise<Me | null> | null = null;
  let endedMessage: string | null = null;

  /** A 401 came: if someone was signed in, their session ended without their signing out. */
  function sessionEnded(): void {
    if (!me) return;
    const last = lastApiAnswerAt();
    endedMessage = sessionEndedMessage(last === null ? null : Date.now() - last);
  }

  function remember(person: Me | null, csrfToken?: string): Me | null {
    me = person;
    // A token-authenticated answer carries no CSRF token; keep nothing stale in that case.
    setCsrfToken(person ? csrfToken : null);
    return person;
  }

  function forget(): void {
    me = null;
    pending = null;
    setCsrfToken(null);
    forgetTabState();
  }

  /** `GET /api/auth/me`; null when signed out. Concurrent callers share one request. */
  function loadMe(): Promise<Me | null> {
    if (!pending) {
      pending = apiFetch<MeResponse>('/auth/me')
        .then(({ csrfToken, ...person }) => remember(person, csrfToken))
        .catch((error: unknown) => {
          if (statusOf(error) === 401) {
            sessionEnded();
            return remember(null);
          }
          throw error;
        })
        .finally(() => {
          pending = null;
        });
    }
    return pending;
  }

  async function current(): Promise<Me | null> {
    return me ?? loadMe();
  }

  return {
    getMe: current,
    refreshMe: loadMe,
    endedSessionMessage: () => endedMessage,
    noteIdleTimeout: sessionEnded,

    async login({ email, password, otp }: LoginParams) {
      const body: LoginParams = { email, password };
      if (otp) body.otp = otp.trim();
      let response: LoginResponse;
      try {
        response = await apiFetch<LoginResponse>('/auth/login', { method: 'POST', body });
      } catch (error) {
        const status = statusOf(error);
        const message = messageOf(error);
        if (status === 401 && !otp && message.includes(OTP_REQUIRED_MESSAGE)) {
          throw new OtpRequiredError(message);
        }
        if (status === 429) throw new LoginThrottledError(message, retryAfterSeconds(error));
        throw error;
      }
      remember(response.user, response.csrfToken);
      endedMessage = null;
      return response.user.mfaEnrolmentRequired ? { redirectTo: MFA_ENROLMENT_PATH } : undefined;
    },

    async logout() {
      try {
        // When nobody is signed in (a 401 brought us here) there is no session to end. The request
        // goes out before the CSRF token is forgotten: it needs it.
        if (me) await apiFetch<void>('/auth/logout', { method: 'POST' });
      } catch (error) {
        // Already signed out server-side (401): the outcome is the same.
        if (statusOf(error) !== 401) console.warn('Signing out failed', error);
      } finally {
        forget();
      }
    },

    async checkAuth() {
      // Asked on every page: re-read the session so that an ended one is noticed at once.
      const person = await loadMe();
      if (!person) throw { message: false };
    },

    async checkError(error: unknown) {
      const status = statusOf(error);
      if (status === 401) {
        sessionEnded();
        forget();
        throw new Error('Your session has ended. Please sign in again.');
      }
      if (status === 403 && messageOf(error).includes(MFA_REQUIRED_MESSAGE)) {
        if (me) me = { ...me, mfaEnrolmentRequired: true };
        throw { redirectTo: MFA_ENROLMENT_PATH, logoutUser: false, message: false };
      }
      // Any other 403 is a refusal of one action: the page shows it, the person stays signed in.
    },

    async getIdentity(): Promise<UserIdentity> {
      const person = await current();
      if (!person) throw new Error('Not signed in');
      return {
        id: person.id,
        fullName: person.displayName,
        email: person.email,
        roles: person.roles,
        permissions: person.permissions,
        mfaEnabled: person.mfaEnabled,
        mfaEnrolmentRequired: person.mfaEnrolmentRequired,
        authMethod: person.authMethod,
      };
    },

    async getPermissions() {
      return (await current())?.permissions ?? [];
    },

    async canAccess({ resource, action }) {
      return canAccessFor(await current(), { resource, action });
    },
  };
}

export const authProvider = createAuthProvider();
