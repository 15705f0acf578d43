import { ConflictException } from '@nestjs/common';
import { applyMask, FIELD_POLICY, OPERATIONS, type OperationName } from '@custodian/shared';
import type { AccountEntity } from '../accounts/account.entity';

export type Changes = Record<string, { before: unknown; after: unknown }>;

/** What an operation will do to one account: the field changes and the side effects beyond them. */
export interface OperationPlan {
  operation: OperationName;
  /** Account columns to set (entity property names). */
  set: Partial<
    Pick<AccountEntity, 'email' | 'phone' | 'plan' | 'status' | 'mfaEnabled' | 'creditBalanceCents'>
  >;
  changes: Changes;
  revokeSessions: boolean;
  note?: string;
}

/**
 * A typed value of personal data (an email, a phone) found on an account: the operation does not
 * fit, and saying so answers an exact-match search for that value. The message never quotes it
 * (the requester may see the stored value only masked); the caller records the lookup.
 */
export class PersonalValueMatch extends ConflictException {}

/** Whether an account field is personal data: one that some role sees masked (it has a masker). */
function isPersonal(field: string): boolean {
  return FIELD_POLICY.account[field]?.mask !== undefined;
}

/**
 * The personal data among an operation's parameters (a new email or phone), masked as the field
 * policy masks the field: what an audit event of the lookup names. Undefined when there is none.
 */
export function personalParams(params: Record<string, unknown>): Record<string, string> | undefined {
  const by: Record<string, string> = {};
  for (const [field, value] of Object.entries(params)) {
    const mask = FIELD_POLICY.account[field]?.mask;
    if (mask && typeof value === 'string') by[field] = String(applyMask(mask, value));
  }
  return Object.keys(by).length ? by : undefined;
}

/**
 * Operations whose plan is the same whatever the account holds: open to every status, they set no
 * field. A real run of one reads nothing before it writes, since its statement's version check
 * alone decides (operation-plan.spec holds planWithoutAccount to planOperation on random accounts).
 */
export const PLANNED_WITHOUT_ACCOUNT: ReadonlySet<OperationName> = new Set<OperationName>(['add-note']);

/** The plan of an operation of PLANNED_WITHOUT_ACCOUNT, which planOperation would make for any account. */
export function planWithoutAccount(operation: OperationName, params: Record<string, unknown>): OperationPlan {
  if (operation !== 'add-note') throw new Error(`${operation} is planned from the account`);
  return { operation, set: {}, changes: {}, revokeSessions: false, note: String(params.body) };
}

/**
 * Plans an operation against an account as it is now, or says (409) why it does not fit the
 * account's state. Pure: nothing is written here, so a dry run and the real run share it.
 */
export function planOperation(
  operation: OperationName,
  account: AccountEntity,
  params: Record<string, unknown>,
): OperationPlan {
  const def = OPERATIONS[operation];
  if (!def.allowedStatuses.includes(account.status)) {
    throw new ConflictException(
      `${def.label.toLowerCase()} needs an account that is ${def.allowedStatuses.join(' or ')}; this one is ${account.status}`,
    );
  }
  const plan: OperationPlan = { operation, set: {}, changes: {}, revokeSessions: false };
  const change = <K extends keyof OperationPlan['set']>(field: K, after: AccountEntity[K]) => {
    if (account[field] === after) {
      throw isPersonal(field)
        ? new PersonalValueMatch(`${field} is already the value given`)
        : new ConflictException(`${field} is already ${String(after)}`);
    }
    plan.set[field] = after;
    plan.changes[field] = { before: account[field], after };
  };
  switch (operation) {
    case 'change-email':
      change('email', String(params.email));
      break;
    case 'change-phone':
      change('phone', String(params.phone));
      break;
    case 'change-plan':
      change('plan', params.plan as AccountEntity['plan']);
      break;
    case 'suspend':
      change('status', 'suspended');
      plan.revokeSessions = true;
      break;
    case 'reactivate':
      change('status', 'active');
      break;
    case 'reset-mfa':
      if (!account.mfaEnabled) throw new ConflictException('this account has no MFA to reset');
      change('mfaEnabled', false);
      plan.revokeSessions = true;
      break;
    case 'revoke-sessions':
      plan.revokeSessions = true;
      break;
    case 'issue-credit': {
      const before = BigInt(account.creditBalanceCents);
      const after = before + BigInt(Number(params.amountCents));
      plan.set.creditBalanceCents = after.toString();
      plan.changes.creditBalanceCents = { before: Number(before), after: Number(after) };
      break;
    }
    case 'add-note':
      // A note is a new record, not a field change; the audit event names it in its details.
      plan.note = String(params.body);
      break;
    case 'close':
      change('status', 'closed');
      plan.revokeSessions = true;
      break;
  }
  return plan;
}
