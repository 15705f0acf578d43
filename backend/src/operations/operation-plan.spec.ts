import { ACCOUNT_STATUSES, OPERATION_NAMES, PLANS } from '@custodian/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountEntity } from '../accounts/account.entity';
import { PLANNED_WITHOUT_ACCOUNT, planOperation, planWithoutAccount } from './operation-plan';

/** Accounts in any state the plans look at. */
const anyAccount = fc.record({
  status: fc.constantFrom(...ACCOUNT_STATUSES),
  plan: fc.constantFrom(...PLANS),
  email: fc.emailAddress(),
  phone: fc.constantFrom(null, '+4915112345678'),
  mfaEnabled: fc.boolean(),
  creditBalanceCents: fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String),
  version: fc.integer({ min: 1, max: 1000 }),
}) as fc.Arbitrary<unknown> as fc.Arbitrary<AccountEntity>;

describe('operations planned without the account', () => {
  it.each([...PLANNED_WITHOUT_ACCOUNT])('%s plans the same for every account', (operation) => {
    fc.assert(
      fc.property(anyAccount, fc.string({ minLength: 1, maxLength: 50 }), (account, body) => {
        const params = { body };
        expect(planOperation(operation, account, params)).toEqual(planWithoutAccount(operation, params));
      }),
    );
  });

  it('are only those: every other operation is refused without the account', () => {
    const others = OPERATION_NAMES.filter((name) => !PLANNED_WITHOUT_ACCOUNT.has(name));
    expect(others.length).toBeGreaterThan(0);
    for (const operation of others)
      expect(() => planWithoutAccount(operation, {})).toThrow(/planned from the account/);
  });
});
