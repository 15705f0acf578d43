import type { Account, AccountSummary } from '@custodian/shared';
import { present, type Viewer } from '../access/field-policy';
import type { AccountEntity } from './account.entity';

/**
 * The only place an account becomes a response. Every field passes through the field policy
 * (`present`), which masks or withholds what the viewer may not read in clear.
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

function summaryValues(row: AccountSummaryRow) {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.displayName,
    email: row.email,
    phone: row.phone,
    region: row.region,
    status: row.status,
    plan: row.plan,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
  };
}

export function toAccountSummary(row: AccountSummaryRow, viewer: Viewer): AccountSummary {
  return present<AccountSummary>('account', summaryValues(row), viewer);
}

export function toAccount(entity: AccountEntity, viewer: Viewer): Account {
  return present<Account>(
    'account',
    {
      ...summaryValues(entity),
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
    },
    viewer,
  );
}
