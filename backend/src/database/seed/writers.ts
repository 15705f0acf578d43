import type { QueryRunner } from 'typeorm';
import { SEED_TABLE_ORDER, SEED_TABLES, type SeedBatch, type SeedTable, type SeedValue } from './tables';

/** Puts batches into the database through one connection, in the order they are given. */
export interface SeedWriter {
  readonly runner: QueryRunner;
  /** Inserts every row of the batch in the transaction the runner is in. */
  insert(batch: SeedBatch): Promise<void>;
}

/**
 * `INSERT ... SELECT * FROM unnest($1::uuid[], $2::text[], ...)`: one statement per table per
 * batch whatever the batch size, and plain SQL, so it runs on PGlite as on PostgreSQL.
 */
export class UnnestWriter implements SeedWriter {
  private readonly statements = Object.fromEntries(
    SEED_TABLE_ORDER.map((table) => [table, unnestInsert(table)]),
  ) as Record<SeedTable, string>;
  private readonly quoted = Object.fromEntries(
    SEED_TABLE_ORDER.map((table) => [table, SEED_TABLES[table].map(([, type]) => type === 'text')]),
  ) as Record<SeedTable, boolean[]>;

  constructor(readonly runner: QueryRunner) {}

  async insert(batch: SeedBatch): Promise<void> {
    for (const table of SEED_TABLE_ORDER) {
      const rows = batch.tables[table];
      if (rows.rowCount === 0) continue;
      const quoted = this.quoted[table];
      const params = rows.columns.map((values, c) => arrayLiteral(values, quoted[c]!));
      await this.runner.query(this.statements[table], params);
    }
  }
}

/**
 * The PostgreSQL array literal of a column, built here rather than by the driver: its generic
 * escaping of every element costs more than generating the data. Text is always quoted; uuids,
 * numbers and booleans never need quotes.
 */
function arrayLiteral(values: readonly SeedValue[], quoted: boolean): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const value = values[i];
    if (value === null || value === undefined) out += 'NULL';
    else if (!quoted) out += String(value);
    else {
      const text = String(value);
      out += NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`;
    }
  }
  return out + '}';
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

function unnestInsert(table: SeedTable): string {
  const columns: ReadonlyArray<readonly [string, string]> = SEED_TABLES[table];
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${WIRE_TYPES[type] ?? type}[]`).join(', ');
  const values = columns
    .map(([, type], i) => (FROM_WIRE[type] ?? ((c: string) => c))(`c${i + 1}`))
    .join(', ');
  const aliases = columns.map((_, i) => `c${i + 1}`).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT ${values} FROM unnest(${arrays}) AS u(${aliases})`;
}

/** Times travel as numbers (see SEED_TABLES) and become times in the database. */
const WIRE_TYPES: Record<string, string> = { timestamptz: 'bigint', date: 'integer' };
const FROM_WIRE: Record<string, (column: string) => string> = {
  timestamptz: (c) => `timestamptz 'epoch' + ${c} * interval '1 millisecond'`,
  date: (c) => `date 'epoch' + ${c}`,
};
