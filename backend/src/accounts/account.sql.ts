import { NotFoundException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { namedQuery } from '../database/named-query';
import type { AccountEntity } from './account.entity';

/**
 * An account's columns under its entity's property names, in the types TypeORM gives them (a date
 * as 'YYYY-MM-DD', a bigint as text): a row of this select is an AccountEntity. The paths every
 * read of one account and every operation take use it with plain SQL, because TypeORM's query
 * builder cost about a quarter of the API's CPU on an audited write (pnpm bench, profiled).
 * account-sql.spec.ts checks it against TypeORM's own reading of the entity, so a column added
 * there and not here fails a test.
 */
export const ACCOUNT_COLUMNS = `id, handle, display_name AS "displayName", email, email_verified AS "emailVerified",
  phone, to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", address_street AS "addressStreet",
  address_city AS "addressCity", address_postal_code AS "addressPostalCode", address_country AS "addressCountry",
  region, status, plan, credit_balance_cents::text AS "creditBalanceCents", mfa_enabled AS "mfaEnabled",
  created_at AS "createdAt", updated_at AS "updatedAt", last_login_at AS "lastLoginAt",
  last_login_ip AS "lastLoginIp", marketing_opt_in AS "marketingOptIn", version`;

/** The columns an operation may set, by property name (OperationPlan['set']). */
export const SETTABLE_COLUMNS = {
  email: 'email',
  phone: 'phone',
  plan: 'plan',
  status: 'status',
  mfaEnabled: 'mfa_enabled',
  creditBalanceCents: 'credit_balance_cents',
} as const satisfies Partial<Record<keyof AccountEntity, string>>;

export type SettableAccountFields = Partial<Pick<AccountEntity, keyof typeof SETTABLE_COLUMNS>>;

/** Anything that runs SQL: the DataSource, or the EntityManager of a transaction. */
type Queryable = DataSource | EntityManager;

export async function findAccount(db: Queryable, id: string): Promise<AccountEntity | undefined> {
  const rows = await namedQuery<AccountEntity>(db, `SELECT ${ACCOUNT_COLUMNS} FROM account WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/** The 404 of every path under /api/accounts/:id, so they all answer an unknown account alike. */
export function accountNotFound(id: string): NotFoundException {
  return new NotFoundException(`account ${id} does not exist`);
}

/**
 * Throws accountNotFound unless the account exists. A function rather than a provider so that
 * the account's history, served by AuditModule, checks it the same way without importing
 * AccountsModule (which already imports the audit services).
 */
export async function assertAccountExists(db: Queryable, id: string): Promise<void> {
  const rows = await namedQuery(db, `SELECT 1 FROM account WHERE id = $1`, [id]);
  if (rows.length === 0) throw accountNotFound(id);
}

/**
 * Sets `set`, bumps the version and updatedAt, if the account is still at `expectedVersion`: the
 * check and the change are one statement. With nothing to set, only the check (see
 * accountUpdateAtVersion). The account as it now is, or undefined when the version (or the
 * account) was not there.
 */
export async function updateAccountAtVersion(
  db: Queryable,
  id: string,
  expectedVersion: number,
  set: SettableAccountFields,
  updatedAt: Date,
): Promise<AccountEntity | undefined> {
  const { sql, params } = accountUpdateAtVersion(id, expectedVersion, set, updatedAt);
  const rows = await namedQuery<AccountEntity>(db, sql, params);
  return rows[0];
}

/** Whether `set` changes any column, and so moves the account to a new version. */
export function setsAnyField(set: SettableAccountFields): boolean {
  return settableFields(set).length > 0;
}

function settableFields(set: SettableAccountFields): (keyof SettableAccountFields)[] {
  return (Object.keys(set) as (keyof SettableAccountFields)[]).filter((field) => set[field] !== undefined);
}

/**
 * updateAccountAtVersion's statement, to run as it is or as part of a larger one: its parameters
 * are $1 the id, $2 the expected version then, only when `set` changes a field, $3 updatedAt and
 * the values of `set`.
 *
 * With no field to set the account does not move: a pending change request is bound to the
 * version its requester saw, so a bump for a note or a revocation would fail it though nothing it
 * was computed from changed. The version is still checked, and the row is locked FOR SHARE: a
 * change to the account waits for the caller's transaction, which therefore commits against the
 * version it checked, while concurrent checks of the same version do not wait on each other.
 */
export function accountUpdateAtVersion(
  id: string,
  expectedVersion: number,
  set: SettableAccountFields,
  updatedAt: Date,
): { sql: string; params: unknown[] } {
  const fields = settableFields(set);
  if (fields.length === 0) {
    return {
      sql: `SELECT ${ACCOUNT_COLUMNS} FROM account WHERE id = $1 AND version = $2 FOR SHARE`,
      params: [id, expectedVersion],
    };
  }
  const params: unknown[] = [id, expectedVersion, updatedAt];
  const assignments = fields.map((field) => {
    params.push(set[field]);
    return `${SETTABLE_COLUMNS[field]} = $${params.length}`;
  });
  const sql = `UPDATE account SET ${[...assignments, 'version = version + 1', 'updated_at = $3'].join(', ')}
      WHERE id = $1 AND version = $2
      RETURNING ${ACCOUNT_COLUMNS}`;
  return { sql, params };
}
