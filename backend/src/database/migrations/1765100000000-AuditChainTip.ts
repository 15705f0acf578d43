import { MigrationInterface, QueryRunner } from 'typeorm';
import { SEAL_AT_COMMIT_FUNCTION, SEAL_CHECKS } from './1765000000000-AuditSealAtCommit';

/**
 * The chain's newest (seq, hash) kept in a one-row table, audit_chain_tip, which the seal reads
 * instead of searching audit_event for its newest event.
 *
 * That search ("ORDER BY seq DESC LIMIT 1") cannot be narrowed to one partition, as the table is
 * partitioned by month, not by seq: it opened and read the seq index of every partition, ~1.07 ms
 * of database time at each commit with 18 partitions (pg_stat_user_functions, 10M events, under
 * the benchmark's load), 42% of the seal's time. Reading the tip takes 0.02 ms.
 *
 * The tip is moved by a statement trigger on audit_event, from the rows each statement inserted,
 * so every writer keeps it (the seal, COPY, a restore) and none has to remember to; it only ever
 * moves forward, so re-inserting older events (retention's partition moves) leaves it be. A writer
 * reads it under the chain lock (audit.service.ts AUDIT_CHAIN_LOCK), where the tip is the newest
 * event committed. It is never removed, and the application's role may not change it.
 * Should newest events be cut off behind its back, the next event still links to the removed
 * one, and verification names the gap.
 *
 * The seal now also writes a transaction's events with one INSERT: each INSERT into the
 * partitioned table sets up its routing and its partition's eight indexes anew.
 */
export class AuditChainTip1765100000000 implements MigrationInterface {
  name = 'AuditChainTip1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chain_tip (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        seq bigint NOT NULL,
        hash text NOT NULL
      )`);
    // Where the chain stands: its newest event; or, with none left, the retention anchor the next
    // one must follow; or nothing yet.
    await q.query(`
      INSERT INTO audit_chain_tip (seq, hash)
      SELECT seq, hash FROM (
        (SELECT e.seq, e.hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1)
        UNION ALL (SELECT a.seq, a.hash FROM audit_anchor a ORDER BY a.seq DESC LIMIT 1)
        UNION ALL SELECT 0, repeat('0', 64)
      ) known ORDER BY seq DESC LIMIT 1`);
    await q.query(`
      CREATE FUNCTION audit_chain_tip_advance() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        UPDATE audit_chain_tip t SET seq = n.seq, hash = n.hash
          FROM (SELECT e.seq, e.hash FROM inserted e ORDER BY e.seq DESC LIMIT 1) n
         WHERE n.seq > t.seq;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_tip AFTER INSERT ON audit_event REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_tip_advance()`);
    // Never removed (the application's role may not change it at all: custodian db app-role).
    await q.query(`
      CREATE FUNCTION audit_chain_tip_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_chain_tip is never removed: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_chain_tip_no_delete BEFORE DELETE ON audit_chain_tip
      FOR EACH ROW EXECUTE FUNCTION audit_chain_tip_kept()`);
    await q.query(`
      CREATE TRIGGER audit_chain_tip_no_truncate BEFORE TRUNCATE ON audit_chain_tip
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_tip_kept()`);

    await q.query(`
      CREATE OR REPLACE FUNCTION audit_pending_seal() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        tip_seq bigint;
        tip_hash text;
        head_hash text;
        ids uuid[] := '{}';
        hashes text[] := '{}';
        pending record;
      BEGIN
        ${SEAL_CHECKS}
        PERFORM pg_advisory_xact_lock(7173725861712098656);
        SELECT t.seq, t.hash INTO tip_seq, tip_hash FROM audit_chain_tip t;
        head_hash := tip_hash;
        -- The chain's one sequential part: each hash covers the one before it.
        FOR pending IN SELECT p.id, p.canonical FROM audit_pending p
                        WHERE p.tx = pg_current_xact_id() ORDER BY p.ord LOOP
          head_hash := encode(sha256(convert_to(
            head_hash || ':' || (tip_seq + cardinality(ids) + 1)::text || ':' || pending.canonical, 'UTF8')), 'hex');
          ids := ids || pending.id;
          hashes := hashes || head_hash;
        END LOOP;
        INSERT INTO audit_event (id, seq, occurred_at, actor_type, actor_id, actor_email, actor_roles, action,
          target_type, target_id, outcome, reason, ticket, changes, details, request_id, ip, user_agent,
          prev_hash, hash)
        SELECT p.id, tip_seq + c.n, p.occurred_at, p.actor_type, p.actor_id, p.actor_email, p.actor_roles,
          p.action, p.target_type, p.target_id, p.outcome, p.reason, p.ticket, p.changes, p.details,
          p.request_id, p.ip, p.user_agent, CASE WHEN c.n = 1 THEN tip_hash ELSE hashes[c.n - 1] END, c.hash
        FROM unnest(ids, hashes) WITH ORDINALITY AS c(id, hash, n)
        JOIN audit_pending p ON p.id = c.id
        ORDER BY c.n;
        DELETE FROM audit_pending WHERE tx = pg_current_xact_id();
        RETURN NULL;
      END $$`);
    await q.query(`DROP FUNCTION audit_chain_head()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_chain_head() RETURNS TABLE (seq bigint, hash text) LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN QUERY SELECT e.seq, e.hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1;
      END $$`);
    await q.query(`DROP TRIGGER audit_event_tip ON audit_event`);
    await q.query(`DROP TABLE audit_chain_tip`);
    await q.query(`DROP FUNCTION audit_chain_tip_advance()`);
    await q.query(`DROP FUNCTION audit_chain_tip_kept()`);
    // The seal as AuditSealAtCommit made it.
    await q.query(SEAL_AT_COMMIT_FUNCTION.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
  }
}
