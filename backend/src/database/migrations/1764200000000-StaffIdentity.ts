import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff identity: people (never a shared login), their MFA recovery codes, server-side sessions
 * (shared by every backend instance) and personal access tokens. Secrets are stored only as hashes
 * (passwords: argon2id; recovery codes and tokens: SHA-256 of high-entropy random values) or
 * encrypted (TOTP secrets).
 */
export class StaffIdentity1764200000000 implements MigrationInterface {
  name = 'StaffIdentity1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        password_hash text,
        roles text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        mfa_enabled boolean NOT NULL DEFAULT false,
        mfa_secret_encrypted text,
        mfa_last_step bigint,
        oidc_subject text,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deactivated_at timestamptz,
        last_login_at timestamptz,
        CONSTRAINT staff_email_lower CHECK (email = lower(email))
      )`);
    await q.query(`CREATE UNIQUE INDEX staff_email_key ON staff (email)`);
    await q.query(
      `CREATE UNIQUE INDEX staff_oidc_subject_key ON staff (oidc_subject) WHERE oidc_subject IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE staff_recovery_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff (id),
        code_hash text NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX staff_recovery_code_staff_idx ON staff_recovery_code (staff_id)`);

    // The layout connect-pg-simple expects; staff_id is copied out of the JSON so that a
    // deactivation can end all of one person's sessions with one indexed DELETE.
    await q.query(`
      CREATE TABLE staff_session (
        sid varchar PRIMARY KEY,
        sess json NOT NULL,
        expire timestamp(6) NOT NULL,
        staff_id uuid GENERATED ALWAYS AS ((sess ->> 'staffId')::uuid) STORED
      )`);
    await q.query(`CREATE INDEX staff_session_expire_idx ON staff_session (expire)`);
    await q.query(`CREATE INDEX staff_session_staff_idx ON staff_session (staff_id)`);

    await q.query(`
      CREATE TABLE personal_access_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff (id),
        name text NOT NULL,
        token_hash text NOT NULL,
        permissions text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX personal_access_token_hash_key ON personal_access_token (token_hash)`);
    await q.query(
      `CREATE INDEX personal_access_token_staff_idx ON personal_access_token (staff_id, created_at)`,
    );

    await q.query(
      `ALTER TABLE note ADD CONSTRAINT note_author_fk FOREIGN KEY (author_id) REFERENCES staff (id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE note DROP CONSTRAINT IF EXISTS note_author_fk`);
    for (const table of ['personal_access_token', 'staff_session', 'staff_recovery_code', 'staff']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
