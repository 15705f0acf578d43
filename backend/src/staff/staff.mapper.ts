import type { StaffMember } from '@custodian/shared';
import type { StaffEntity } from './staff.entity';

/** Never includes the password hash, the MFA secret or the SSO subject. */
export function toStaffMember(s: StaffEntity): StaffMember {
  return {
    id: s.id,
    email: s.email,
    displayName: s.displayName,
    roles: s.roles,
    active: s.active,
    mfaEnabled: s.mfaEnabled,
    ssoOnly: s.passwordHash === null,
    createdAt: s.createdAt.toISOString(),
    deactivatedAt: s.deactivatedAt?.toISOString() ?? null,
    lastLoginAt: s.lastLoginAt?.toISOString() ?? null,
  };
}
