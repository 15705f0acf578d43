import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log and reveal grants.
 * - audit_event is append-only: triggers reject UPDATE, DELETE and TRUNCATE, whoever asks.
 * - the hash chain is ordered by an advisory lock (see audit.service.ts), not by a row that every
 *   writer would update: such a hot row slows down as its dead versions pile up.
 */
export class AuditAndReveal1764300000000 implements MigrationInterface {
  name = 'AuditAndReveal1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        id uuid PRIMARY KEY,
        seq bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('staff', 'token', 'system')),
        actor_id text,
        actor_email text,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL,
        target_type text,
        target_id text,
        outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'error', 'pending')),
        reason text,
        ticket text,
        changes jsonb,
        details jsonb,
        request_id text,
        ip text,
        user_agent text,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX audit_event_seq_key ON audit_event (seq)`);
    await q.query(`CREATE INDEX audit_event_occurred_idx ON audit_event (occurred_at, seq)`);
    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, occurred_at, seq)`);
    await q.query(
      `CREATE INDEX audit_event_target_idx ON audit_event (target_type, target_id, occurred_at, seq)`,
    );
    await q.query(`CREATE INDEX audit_event_action_idx ON audit_event (action, occurred_at, seq)`);

    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);

    await q.query(`
      CREATE TABLE reveal_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff (id),
        account_id uuid NOT NULL REFERENCES account (id),
        field text NOT NULL,
        reason text NOT NULL,
        ticket text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX reveal_grant_lookup_idx ON reveal_grant (staff_id, account_id, expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS reveal_grant`);
    await q.query(`DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event`);
    await q.query(`DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_event`);
    await q.query(`DROP TABLE IF EXISTS audit_event`);
    await q.query(`DROP FUNCTION IF EXISTS audit_event_append_only()`);
  }
}
