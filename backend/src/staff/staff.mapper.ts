import type { StaffMember } from '@custodian/shared';
import type { ChangeRequestEntity } from '../change-requests/change-request.entity';
import type { StaffEntity } from './staff.entity';
import { grantBlocker, grantOf } from './staff.service';

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

/**
 * A staff record with the role grants that wait for a second admin: which roles each adds, and
 * whether it can still apply, so that a form does not show a requested role as simply not held.
 */
export type StaffRecord = StaffMember & {
  pendingGrants: {
    changeRequestId: string;
    roles: string[];
    requestedBy: string;
    applicable: boolean;
  }[];
};

export function toStaffRecord(person: StaffEntity, pending: Map<string, ChangeRequestEntity[]>): StaffRecord {
  return {
    ...toStaffMember(person),
    pendingGrants: (pending.get(person.id) ?? []).map((r) => {
      const { before, after } = grantOf(r);
      return {
        changeRequestId: r.id,
        roles: after.filter((role) => !before.includes(role)),
        requestedBy: r.requestedByEmail,
        applicable: !grantBlocker(person, r),
      };
    }),
  };
}
