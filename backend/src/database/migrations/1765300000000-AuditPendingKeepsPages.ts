import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_pending holds a transaction's events only until it commits, so a vacuum finds every row
 * dead and, by default, cuts the table down to no pages. The seal's statements (migration
 * AuditChainTip) are planned for that empty table, as sequential scans, and keep those plans while
 * the table fills with dead rows again until the next vacuum: 3.3 scans of the whole table for
 * each audited write, and 1.7 ms of database CPU per write, which fell to 0.9-1.0 ms once the
 * table kept its pages (pnpm bench's writes, 24 MB of dead rows). Kept, the pages tell the planner
 * to look rows up by index.
 */
export class AuditPendingKeepsPages1765300000000 implements MigrationInterface {
  name = 'AuditPendingKeepsPages1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_pending SET (vacuum_truncate = off)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_pending RESET (vacuum_truncate)`);
  }
}
