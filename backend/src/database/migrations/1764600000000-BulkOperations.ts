import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The accounts of a bulk operation, one row each, with the version seen at request time and where
 * each stands. Processing goes by these rows, so it resumes after a restart where it stopped.
 */
export class BulkOperations1764600000000 implements MigrationInterface {
  name = 'BulkOperations1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bulk_item (
        request_id uuid NOT NULL REFERENCES change_request (id),
        account_id uuid NOT NULL,
        expected_version integer,
        status text NOT NULL CHECK (status IN ('pending', 'applied', 'skipped', 'failed')),
        detail text,
        PRIMARY KEY (request_id, account_id)
      )`);
    await q.query(`CREATE INDEX bulk_item_pending_idx ON bulk_item (request_id, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS bulk_item`);
  }
}
