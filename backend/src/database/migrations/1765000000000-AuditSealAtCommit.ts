import { MigrationInterface, QueryRunner } from 'typeorm';

/** The seal's checks before it takes the chain lock (shared with AuditChainTip's seal). */
export const SEAL_CHECKS = `-- The first trigger of a transaction chains all of its pending events, in the order they
        -- were written, with one read of the head; the later ones find their event gone.
        IF NOT EXISTS (SELECT FROM audit_pending WHERE id = NEW.id) THEN
          RETURN NULL;
        END IF;
        -- An event that names another transaction would be left pending, outside the chain.
        IF NEW.tx <> pg_current_xact_id() THEN
          RAISE EXCEPTION 'an audit event must be written by the transaction it names'
            USING ERRCODE = 'check_violation';
        END IF;
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION 'audit events are chained at commit in READ COMMITTED transactions only, not %',
            current_setting('transaction_isolation') USING ERRCODE = 'feature_not_supported';
        END IF;`;

/** The seal as this migration made it (AuditChainTip's down puts it back). */
export const SEAL_AT_COMMIT_FUNCTION = `
      CREATE FUNCTION audit_pending_seal() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        head_seq bigint;
        head_hash text;
        event_hash text;
        pending record;
      BEGIN
        ${SEAL_CHECKS}
        -- The same lock (audit.service.ts AUDIT_CHAIN_LOCK) as every other writer of the chain.
        PERFORM pg_advisory_xact_lock(7173725861712098656);
        SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit_chain_head() h;
        head_seq := coalesce(head_seq, 0);
        head_hash := coalesce(head_hash, repeat('0', 64));
        FOR pending IN SELECT * FROM audit_pending WHERE tx = pg_current_xact_id() ORDER BY ord LOOP
          head_seq := head_seq + 1;
          event_hash := encode(sha256(convert_to(head_hash || ':' || head_seq::text || ':' || pending.canonical,
            'UTF8')), 'hex');
          INSERT INTO audit_event (id, seq, occurred_at, actor_type, actor_id, actor_email, actor_roles, action,
            target_type, target_id, outcome, reason, ticket, changes, details, request_id, ip, user_agent,
            prev_hash, hash)
          VALUES (pending.id, head_seq, pending.occurred_at, pending.actor_type, pending.actor_id,
            pending.actor_email, pending.actor_roles, pending.action, pending.target_type, pending.target_id,
            pending.outcome, pending.reason, pending.ticket, pending.changes, pending.details,
            pending.request_id, pending.ip, pending.user_agent, head_hash, event_hash);
          DELETE FROM audit_pending WHERE id = pending.id;
          head_hash := event_hash;
        END LOOP;
        RETURN NULL;
      END $$`;

/**
 * Audit events take their place in the chain at commit, not when they are written.
 *
 * The chain is ordered by one lock held until commit (audit.service.ts). Until now a writer took it
 * with its event's INSERT and kept it through two more round trips, the INSERT's answer and the
 * COMMIT, and every other writer waited meanwhile, however slow that client was to send the
 * COMMIT. Measured with the same statements sent straight from a client (pnpm bench, 8 writers,
 * 10M events): 402 audited writes per second before, 659 after.
 *
 * Now a transaction writes its events to audit_pending, in any number and without the lock. A
 * deferred constraint trigger runs when the transaction commits, inside the COMMIT statement on
 * the server: it takes the lock, reads the newest event once, links the transaction's pending
 * events to it and to each other in the order they were written (`ord`), inserts them into
 * audit_event and removes them from audit_pending. The lock is held from there to the end of the
 * commit only, with no round trip to the client in between. audit_pending is never committed with
 * rows in it: a row leaves it in the transaction that wrote it, or the transaction rolls back.
 *
 * The snapshot: in a READ COMMITTED transaction each statement of a PL/pgSQL function sees what was
 * committed when that statement starts, so the head read after the lock is the previous writer's
 * committed event. A REPEATABLE READ or SERIALIZABLE transaction would read its own older snapshot
 * and fork the chain, so the trigger refuses to run in one (the application uses READ COMMITTED).
 *
 * The trigger runs as the schema's owner (SECURITY DEFINER), so the application's role needs only
 * INSERT on audit_pending (`custodian db app-role`): it cannot put a row into audit_event itself,
 * so every event it writes is linked by the database. A pending row whose canonical JSON does not
 * match its columns is chained all the same, and verification names it.
 *
 * The hash is the one of canonical.ts: SHA-256 of `prevHash:seq:canonical JSON`, the canonical JSON
 * made by the writer from the very values in the row.
 */
export class AuditSealAtCommit1765000000000 implements MigrationInterface {
  name = 'AuditSealAtCommit1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_pending (
        id uuid PRIMARY KEY,
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        ord bigint GENERATED ALWAYS AS IDENTITY,
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL,
        actor_id text,
        actor_email text,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL,
        target_type text,
        target_id text,
        outcome text NOT NULL,
        reason text,
        ticket text,
        changes jsonb,
        details jsonb,
        request_id text,
        ip text,
        user_agent text,
        canonical text NOT NULL
      )`);
    // A transaction finds its own events through this index, never by reading the table: every
    // event leaves a dead row behind, and reading past them all at each commit cost ~2.7 ms of
    // database CPU per audited write once 50,000 had piled up (with autovacuum off, as on the
    // benchmark's server; with it on, between two vacuums).
    await q.query(`CREATE INDEX audit_pending_tx_idx ON audit_pending (tx, ord)`);
    await q.query(SEAL_AT_COMMIT_FUNCTION);
    await q.query(`
      CREATE CONSTRAINT TRIGGER audit_pending_seal AFTER INSERT ON audit_pending
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_pending_seal()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_pending`);
    await q.query(`DROP FUNCTION audit_pending_seal()`);
  }
}
