import type { Account, AccountSummary } from '@custodian/shared';
import type { AccountEntity } from './account.entity';

/**
 * The only place an account becomes a response. Every field is named here on purpose: a column
 * added to the entity is not sent until someone decides it should be (the field policy of the
 * access issue plugs in here, so masking has exactly one place to go).
 */
export type AccountSummaryRow = Pick<
  AccountEntity,
  | 'id'
  | 'handle'
  | 'displayName'
  | 'email'
  | 'phone'
  | 'region'
  | 'status'
  | 'plan'
  | 'createdAt'
  | 'lastLoginAt'
>;

export function toAccountSummary(row: AccountSummaryRow): AccountSummary {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.displayName,
    email: row.email,
    phone: row.phone ?? undefined,
    region: row.region,
    status: row.status,
    plan: row.plan,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    masked: [],
    hidden: [],
  };
}

export function toAccount(entity: AccountEntity): Account {
  return {
    ...toAccountSummary(entity),
    emailVerified: entity.emailVerified,
    dateOfBirth: entity.dateOfBirth,
    address: {
      street: entity.addressStreet ?? undefined,
      city: entity.addressCity ?? undefined,
      postalCode: entity.addressPostalCode ?? undefined,
      country: entity.addressCountry ?? undefined,
    },
    creditBalanceCents: Number(entity.creditBalanceCents),
    mfaEnabled: entity.mfaEnabled,
    lastLoginIp: entity.lastLoginIp,
    marketingOptIn: entity.marketingOptIn,
    version: entity.version,
  };
}
