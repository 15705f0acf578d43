import type { QueryRunner } from 'typeorm';
import { SEED_TABLE_ORDER } from './tables';

interface ConstraintDef {
  name: string;
  table: string;
  def: string;
  kind: 'p' | 'u' | 'f';
}

interface IndexDef {
  name: string;
  def: string;
}

/**
 * Takes the keys and indexes of the customer tables off for a bulk load and returns what puts
 * them back. Building an index once over a million rows is many times cheaper than maintaining
 * it row by row (a trigram GIN index and six random-uuid primary keys above all).
 *
 * Must run inside the transaction of the load: if anything fails the rollback restores every
 * dropped object, so the schema is never left without them. The definitions are read from the
 * catalogue, so whatever the migrations declare (and foreign keys of other tables pointing at
 * these) comes back exactly as it was, under the same names.
 */
export async function suspendKeysAndIndexes(runner: QueryRunner): Promise<() => Promise<void>> {
  const tables = [...SEED_TABLE_ORDER];
  const constraints: ConstraintDef[] = await runner.query(
    `SELECT c.conname AS name, c.conrelid::regclass::text AS table, pg_get_constraintdef(c.oid) AS def,
            c.contype AS kind
       FROM pg_constraint c
      WHERE c.contype IN ('p', 'u', 'f')
        AND (c.conrelid = ANY ($1::regclass[]) OR c.confrelid = ANY ($1::regclass[]))`,
    [tables],
  );
  const indexes: IndexDef[] = await runner.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid = ANY ($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype <> 'f')`,
    [tables],
  );
  const foreignKeys = constraints.filter((c) => c.kind === 'f');
  const keys = constraints.filter((c) => c.kind !== 'f');

  for (const c of foreignKeys)
    await runner.query(`ALTER TABLE ${c.table} DROP CONSTRAINT ${quoteIdent(c.name)}`);
  for (const c of keys) await runner.query(`ALTER TABLE ${c.table} DROP CONSTRAINT ${quoteIdent(c.name)}`);
  for (const i of indexes) await runner.query(`DROP INDEX ${i.name}`);

  return async () => {
    // Sorting and GIN building run in memory up to this limit, for this transaction only.
    await runner.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    for (const c of keys)
      await runner.query(`ALTER TABLE ${c.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}`);
    for (const i of indexes) await runner.query(i.def);
    for (const c of foreignKeys) {
      await runner.query(`ALTER TABLE ${c.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}`);
    }
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
