import type { Account, AccountSummary } from '@custodian/shared';
import { present, type Viewer } from '../access/field-policy';
import { isoFromNullableUtcText, isoFromUtcText } from '../common/timestamp';
import type { AccountEntity } from './account.entity';

/**
 * The only place an account becomes a response. Every field passes through the field policy
 * (`present`), which masks or withholds what the viewer may not read in clear.
 */
export type AccountSummaryRow = Pick<
  AccountEntity,
  'id' | 'handle' | 'displayName' | 'email' | 'phone' | 'region' | 'status' | 'plan'
> & {
  /** UTC text as the list query reads it (account-list.query.ts). */
  createdAt: string;
  lastLoginAt: string | null;
};

/** The summary's fields, with its timestamps already in ISO 8601. */
function summaryValues(
  row: Omit<AccountSummaryRow, 'createdAt' | 'lastLoginAt'>,
  createdAt: string,
  lastLoginAt: string | null,
) {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.displayName,
    email: row.email,
    phone: row.phone,
    region: row.region,
    status: row.status,
    plan: row.plan,
    createdAt,
    lastLoginAt,
  };
}

export function toAccountSummary(row: AccountSummaryRow, viewer: Viewer): AccountSummary {
  const values = summaryValues(row, isoFromUtcText(row.createdAt), isoFromNullableUtcText(row.lastLoginAt));
  return present<AccountSummary>('account', values, viewer);
}

export function toAccount(entity: AccountEntity, viewer: Viewer): Account {
  return present<Account>(
    'account',
    {
      ...summaryValues(entity, entity.createdAt.toISOString(), entity.lastLoginAt?.toISOString() ?? null),
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
