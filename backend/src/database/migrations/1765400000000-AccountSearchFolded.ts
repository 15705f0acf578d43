import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `q` finds names however they are typed: "igor" finds "Ígor Almeida", "muller" "Müller",
 * "lukasz" "Łukasz", "strasse" "Straße". Support types what they hear on the phone, often on a
 * keyboard without the customer's letters; a search that needed the accents found nobody.
 *
 * The handle and display name are kept folded (lower case, accents and ligatures spelt out by
 * PostgreSQL's unaccent rules) in a generated column, search_text, which the trigram GIN index
 * covers instead of the two fields: the fold runs once per written row, not per searched one. The
 * recency index of migration AccountSearchByRecency is rebuilt on the same fold, as an expression
 * (below). U+001F sits between the two fields, so a fragment without it cannot match across them.
 *
 * unaccent() is STABLE (its rules file could change), so an index or generated column cannot call
 * it; custodian_fold names the dictionary and is declared IMMUTABLE, the documented way to index
 * unaccented text. Should the rules file ever change, rebuild the column
 * (UPDATE account SET handle = handle) and its indexes.
 */
export class AccountSearchFolded1765400000000 implements MigrationInterface {
  name = 'AccountSearchFolded1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    // Qualified by the extension's schema, wherever it was installed: the fold must not depend on
    // the search_path of whoever writes a row.
    await q.query(`
      DO $$
      DECLARE ext_schema text := (SELECT n.nspname FROM pg_extension e
                                    JOIN pg_namespace n ON n.oid = e.extnamespace
                                   WHERE e.extname = 'unaccent');
      BEGIN
        EXECUTE format(
          'CREATE FUNCTION custodian_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
             AS %L',
          format('SELECT lower(%I.unaccent(%L::regdictionary, value))',
                 ext_schema, quote_ident(ext_schema) || '.unaccent'));
      END $$`);
    await q.query(`
      ALTER TABLE account ADD COLUMN search_text text NOT NULL
        GENERATED ALWAYS AS (custodian_fold(handle || E'\\x1f' || display_name)) STORED`);
    await q.query(`DROP INDEX account_search_recency_idx`);
    await q.query(`DROP INDEX account_display_name_trgm_idx`);
    await q.query(`DROP INDEX account_handle_trgm_idx`);
    await q.query(
      `CREATE INDEX account_search_text_trgm_idx ON account USING gin (search_text gin_trgm_ops)`,
    );
    // On the fold itself, not on the column: a GiST index on the column would also serve a plain
    // `search_text LIKE` (the trigram GIN's job), and the planner, misled by its cost, took it for
    // that and read ~21,000 index pages per handle lookup (100 ms; the GIN index: a few). Its recheck
    // folds again, but only the few rows whose trigrams matched.
    await q.query(
      `CREATE INDEX account_search_recency_idx ON account
         USING gist (created_at, custodian_fold(handle || E'\\x1f' || display_name) gist_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX account_search_recency_idx`);
    await q.query(`DROP INDEX account_search_text_trgm_idx`);
    await q.query(`ALTER TABLE account DROP COLUMN search_text`);
    await q.query(`DROP FUNCTION custodian_fold(text)`);
    await q.query(
      `CREATE INDEX account_display_name_trgm_idx ON account USING gin (display_name gin_trgm_ops)`,
    );
    await q.query(`CREATE INDEX account_handle_trgm_idx ON account USING gin (handle gin_trgm_ops)`);
    await q.query(
      `CREATE INDEX account_search_recency_idx ON account
         USING gist (created_at, (handle || E'\\x1f' || display_name) gist_trgm_ops)`,
    );
  }
}
