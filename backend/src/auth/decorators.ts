import { createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import type { Permission } from '@custodian/shared';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/**
 * Every route declares who may call it, exactly once: `@Public()`, `@Authenticated()` (any
 * signed-in person, for their own things) or `@Authorize(permission)`. The global guard refuses a
 * route with no declaration.
 */
export const ACCESS_KEY = 'custodian:access';
export const ENROLMENT_KEY = 'custodian:allowDuringMfaEnrolment';
export const IDENTITY_CHECK_KEY = 'custodian:identityCheck';
export const SESSION_ONLY_KEY = 'custodian:sessionOnly';

export type AccessRule =
  { kind: 'public' } | { kind: 'authenticated' } | { kind: 'permission'; permission: Permission };

export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);
export const Authenticated = () => SetMetadata(ACCESS_KEY, { kind: 'authenticated' } satisfies AccessRule);
export const Authorize = (permission: Permission) =>
  SetMetadata(ACCESS_KEY, { kind: 'permission', permission } satisfies AccessRule);

/** The few routes a person may use while MFA is mandatory for them and not yet set up. */
export const AllowDuringMfaEnrolment = () => SetMetadata(ENROLMENT_KEY, true);

/**
 * A route that changes the person's own credentials or sessions (password, MFA and its recovery
 * codes, tokens, sign-out): it needs a signed-in session, and the guard refuses a personal access
 * token with 403 whatever its permissions. A token is a script's narrow key; if it leaked, it must
 * not be enough to take the account over (change the password, mint or drop tokens, enrol MFA).
 * `action` completes the refusal: "a token cannot <action>; sign in to do that".
 */
export const SessionOnly = (action: string) => SetMetadata(SESSION_ONLY_KEY, action);

/**
 * The route that answers "who is signed in?", which the console asks each time it opens, the
 * sign-in page included. Asked with no credential at all (no token, no session cookie), its 401
 * is the answer "nobody", not a refused attempt, and writes no audit event; with a token or a
 * session cookie that is refused, it does, like every other protected route.
 */
export const IdentityCheck = () => SetMetadata(IDENTITY_CHECK_KEY, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw new UnauthorizedException('sign in first');
  return principal;
});
