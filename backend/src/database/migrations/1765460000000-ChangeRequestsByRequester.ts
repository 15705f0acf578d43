import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A requester's own change requests ("My requests", `GET /api/change-requests?mine=true`) are read
 * newest first by keyset, like every list: this index serves that walk, so a requester's page 40
 * costs what page 1 costs however many requests others file.
 */
export class ChangeRequestsByRequester1765460000000 implements MigrationInterface {
  name = 'ChangeRequestsByRequester1765460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX change_request_requested_by_idx ON change_request (requested_by, created_at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS change_request_requested_by_idx`);
  }
}
