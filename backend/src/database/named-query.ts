import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Named (prepared) statements for the statements every request runs: the token or session
 * lookup, the account reads, an operation's writes, the audit append. Sent without a name, a
 * statement is parsed and planned anew each time; planning the token lookup alone took 0.28 ms of
 * database time per request, seven times its execution (pg_stat_statements, 10M events, under the
 * benchmark's load). Named, each connection parses it once and PostgreSQL keeps its plan.
 *
 * On a PostgreSQL server only: the embedded database serves every socket connection from one
 * session, where two clients preparing the same name would collide. Only statements whose plan
 * does not depend on their values belong here (a lookup by key, an exact match, a keyset page),
 * since after five runs PostgreSQL may keep one generic plan for all values.
 */
const servers = new WeakSet<DataSource>();
const names = new Map<string, string>();

/** From now on, namedQuery names its statements on this data source (a PostgreSQL server's). */
export function useNamedStatements(dataSource: DataSource): void {
  servers.add(dataSource);
}

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = 'c_' + createHash('sha256').update(text).digest('hex').slice(0, 24);
    names.set(text, name);
  }
  return name;
}

/** Runs one statement under its name on a `pg` pool or client; its rows (the benchmark's direct runs too). */
export async function queryNamed<T extends QueryResultRow>(
  client: Pool | PoolClient,
  text: string,
  values: unknown[],
): Promise<T[]> {
  return (await client.query<T>({ name: statementName(text), text, values })).rows;
}

/**
 * Runs one statement and answers its rows (for an UPDATE or INSERT, those it RETURNs), in the
 * transaction of `db` when it is a transaction's EntityManager. A database error is a TypeORM
 * QueryFailedError, as from EntityManager#query, so the API answers it the same way.
 */
export async function namedQuery<T extends QueryResultRow>(
  db: DataSource | EntityManager,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const dataSource = db instanceof DataSource ? db : db.connection;
  if (!servers.has(dataSource)) {
    const result: unknown = await db.query(text, values);
    // EntityManager#query answers an UPDATE or DELETE as [rows, affected].
    return (/^\s*(UPDATE|DELETE)\b/i.test(text) ? (result as [T[], number])[0] : result) as T[];
  }
  const runner = db instanceof DataSource ? undefined : db.queryRunner;
  const client: Pool | PoolClient = runner
    ? ((await runner.connect()) as PoolClient)
    : ((dataSource.driver as PostgresDriver).master as Pool);
  try {
    return await queryNamed<T>(client, text, values);
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
}
