import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seal (migration AuditChainTip) reads and deletes a committing transaction's own few rows of
 * audit_pending, always best found through its indexes. Its statements take no parameters, so each
 * connection plans them once and keeps the plan until the table's statistics change. On a new
 * database the first plans are made for an empty table, as sequential scans, and kept while every
 * commit leaves a dead row behind, until the backend's first vacuum of the table a minute later
 * (pending-vacuum.service.ts): on a fresh benchmark database the exact email lookup, whose search
 * event is such a commit, ran at 706 req/s with p95 38 ms in that first minute, and at 2,142 req/s
 * with p95 7.9 ms in the next run on the same database. Inside the seal alone, sequential scans
 * are ruled out. And JIT compilation with them: ruling a scan out prices it so high that the
 * one-row read of audit_chain_tip, which has no other way in, crossed jit_above_cost and was
 * compiled at every commit (40 to 60 ms each, seen with auto_explain: 58 req/s).
 *
 * A later CREATE OR REPLACE of audit_pending_seal() drops this setting: repeat it there.
 */
export class AuditSealByIndex1765500000000 implements MigrationInterface {
  name = 'AuditSealByIndex1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER FUNCTION audit_pending_seal() SET enable_seqscan = off`);
    await q.query(`ALTER FUNCTION audit_pending_seal() SET jit = off`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER FUNCTION audit_pending_seal() RESET enable_seqscan`);
    await q.query(`ALTER FUNCTION audit_pending_seal() RESET jit`);
  }
}
