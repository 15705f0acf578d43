/** Authentication and staff shapes of API.md. */

export interface Me {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  permissions: string[];
  mfaEnabled: boolean;
  /** True while a signed-in person must still enrol MFA before doing anything else. */
  mfaEnrolmentRequired: boolean;
  authMethod: 'password' | 'sso' | 'token';
}

export interface LoginResponse {
  user: Me;
  csrfToken: string;
}

export interface AuthConfigResponse {
  /** Shown as a "Sign in with SSO" button when an identity provider is configured. */
  sso: { enabled: boolean; name?: string };
  demo: boolean;
  /** A signed-in session ends after this many minutes without a request; the console warns first. */
  session: { idleMinutes: number };
}

export interface TokenSummary {
  id: string;
  name: string;
  permissions: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedToken {
  id: string;
  /** Shown once; only its hash is stored. */
  token: string;
  expiresAt: string;
  permissions: string[];
}

export interface StaffMember {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  active: boolean;
  mfaEnabled: boolean;
  ssoOnly: boolean;
  createdAt: string;
  deactivatedAt: string | null;
  lastLoginAt: string | null;
}

export const PASSWORD_MIN_LENGTH = 12;
export const TOKEN_MAX_DAYS = 90;
