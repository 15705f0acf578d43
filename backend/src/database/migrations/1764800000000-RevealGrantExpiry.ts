import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every authenticated request asks when the caller's latest live reveal grant expires (so reads
 * by people holding none skip the grant lookup). Grants pile up over the months; this index answers
 * that from the newest end of one person's grants instead of scanning all of them.
 */
export class RevealGrantExpiry1764800000000 implements MigrationInterface {
  name = 'RevealGrantExpiry1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX reveal_grant_staff_expiry_idx ON reveal_grant (staff_id, expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reveal_grant_staff_expiry_idx`);
  }
}
