import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four-eyes change requests: the exact payload and diff of an operation that needs a second
 * person, bound by a hash, so that what runs on approval is exactly what was approved.
 */
export class ChangeRequests1764400000000 implements MigrationInterface {
  name = 'ChangeRequests1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE change_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        operation text NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        params jsonb NOT NULL,
        changes jsonb NOT NULL,
        expected_version integer NOT NULL,
        payload_hash text NOT NULL,
        requested_by uuid NOT NULL REFERENCES staff (id),
        requested_by_email text NOT NULL,
        reason text NOT NULL,
        ticket text,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'applied', 'failed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        decided_by uuid REFERENCES staff (id),
        decided_by_email text,
        decided_at timestamptz,
        comment text,
        failure text
      )`);
    await q.query(`CREATE INDEX change_request_status_idx ON change_request (status, created_at, id)`);
    await q.query(
      `CREATE INDEX change_request_target_idx ON change_request (target_type, target_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS change_request`);
  }
}
