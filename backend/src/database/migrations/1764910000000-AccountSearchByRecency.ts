import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `q` name-fragment search, newest first. A common fragment ('garci') matches thousands of
 * accounts; the trigram GIN indexes can only hand all of them over, so each search read every
 * match from the table and sorted it. This GiST index holds the creation time beside the trigrams of
 * the handle and display name, so the search walks it newest first (a nearest-neighbour scan on
 * created_at) and stops after one page of matches, without reading the table for the others.
 * btree_gist gives GiST the timestamptz operators and the distance that orders that walk.
 *
 * The expression must stay exactly the one account-list.query.ts searches. U+001F sits between
 * the two fields, so a fragment without that character cannot match across them.
 */
export class AccountSearchByRecency1764910000000 implements MigrationInterface {
  name = 'AccountSearchByRecency1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(
      `CREATE INDEX account_search_recency_idx ON account
         USING gist (created_at, (handle || E'\\x1f' || display_name) gist_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX account_search_recency_idx`);
  }
}
