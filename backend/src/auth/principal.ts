import type { Permission } from '@custodian/shared';
import type { Session, SessionData } from 'express-session';

/** Who is making a request: always one identified person, directly or through their token. */
export interface Principal {
  staffId: string;
  email: string;
  displayName: string;
  roles: string[];
  /** Effective permissions: the roles' permissions, narrowed to the token's scope for a token. */
  permissions: Permission[];
  method: 'password' | 'sso' | 'token';
  tokenId?: string;
  mfaEnabled: boolean;
  /** Set while MFA is mandatory and this person has not enrolled yet. */
  mfaEnrolmentRequired: boolean;
  /**
   * The latest expiry among the person's live reveal grants when the request was authenticated:
   * null when they held none, so a read skips the grant lookup; undefined when not known (then
   * the lookup runs).
   */
  revealGrantsUntil?: Date | null;
}

declare module 'express-session' {
  interface SessionData {
    staffId: string;
    method: 'password' | 'sso';
    /** Epoch ms of sign-in: the absolute lifetime counts from here, however active the session. */
    signedInAt: number;
    csrfToken: string;
    /** A TOTP secret shown for enrolment, kept until it is confirmed with a code. */
    pendingMfaSecret?: string;
    /** The PKCE verifier, state and nonce of a single sign-on in progress. */
    oidc?: { codeVerifier: string; state: string; nonce: string };
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The express-session of the raw request (session.ts); absent on a token request. */
    readonly session: Session & Partial<SessionData>;
    /** Set by the guard once the caller is authenticated. */
    principal?: Principal;
    /**
     * Set by the guard on every non-public route (except an identity check asked with no
     * credential: decorators.ts IdentityCheck): a 401 or 403 there is an audit event.
     */
    protectedRoute: boolean;
    /** Set when a refusal was already recorded with more detail than the generic event. */
    auditRecorded: boolean;
  }
}
