import type { Me, TokenSummary } from '@custodian/shared';
import type { Principal } from './principal';
import type { PersonalAccessTokenEntity } from './token.entity';

export function toMe(p: Principal): Me {
  return {
    id: p.staffId,
    email: p.email,
    displayName: p.displayName,
    roles: p.roles,
    permissions: p.permissions,
    mfaEnabled: p.mfaEnabled,
    mfaEnrolmentRequired: p.mfaEnrolmentRequired,
    authMethod: p.method,
  };
}

/** Never includes the hash: the token's value is shown once, at creation, and never again. */
export function toTokenSummary(t: PersonalAccessTokenEntity): TokenSummary {
  return {
    id: t.id,
    name: t.name,
    permissions: t.permissions,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
