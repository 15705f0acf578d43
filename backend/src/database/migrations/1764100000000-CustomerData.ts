import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer side of DESIGN.md. The indexes are the ones the lookups of API.md need:
 * exact email and phone, handle, keyset pages by createdAt / handle / lastLoginAt (each with the
 * id as tie-breaker), display-name fragments (trigram), and each related list by account.
 */
export class CustomerData1764100000000 implements MigrationInterface {
  name = 'CustomerData1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE account (
        id uuid PRIMARY KEY,
        handle text NOT NULL,
        display_name text NOT NULL,
        email text NOT NULL,
        email_verified boolean NOT NULL DEFAULT false,
        phone text,
        date_of_birth date,
        address_street text,
        address_city text,
        address_postal_code text,
        address_country text,
        region text NOT NULL CHECK (region IN ('EU', 'US', 'APAC')),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
        plan text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'plus', 'pro')),
        credit_balance_cents bigint NOT NULL DEFAULT 0,
        mfa_enabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        last_login_ip text,
        marketing_opt_in boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1
      )`);
    // Emails are stored lower-cased, phones in E.164, so exact lookups are plain equality.
    await q.query(`CREATE UNIQUE INDEX account_email_key ON account (email)`);
    await q.query(`CREATE UNIQUE INDEX account_handle_key ON account (handle)`);
    await q.query(`CREATE INDEX account_phone_idx ON account (phone)`);
    await q.query(`CREATE INDEX account_created_at_idx ON account (created_at, id)`);
    // Never-logged-in accounts sort as the epoch, so the keyset needs no NULL handling.
    await q.query(
      `CREATE INDEX account_last_login_at_idx ON account ((coalesce(last_login_at, 'epoch'::timestamptz)), id)`,
    );
    // Free-text `q` matches fragments of the handle or display name (never of personal fields).
    await q.query(
      `CREATE INDEX account_display_name_trgm_idx ON account USING gin (display_name gin_trgm_ops)`,
    );
    await q.query(`CREATE INDEX account_handle_trgm_idx ON account USING gin (handle gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE payment_method (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES account (id),
        brand text NOT NULL,
        last4 text NOT NULL,
        expiry_month smallint NOT NULL,
        expiry_year smallint NOT NULL,
        billing_name text NOT NULL,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payment_method_account_idx ON payment_method (account_id, created_at, id)`);

    await q.query(`
      CREATE TABLE conversation (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES account (id),
        subject text NOT NULL,
        participant_handle text NOT NULL,
        message_count integer NOT NULL DEFAULT 0,
        last_message_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX conversation_account_idx ON conversation (account_id, created_at, id)`);

    await q.query(`
      CREATE TABLE message (
        id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversation (id),
        direction text NOT NULL CHECK (direction IN ('sent', 'received')),
        body text NOT NULL,
        sent_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX message_conversation_idx ON message (conversation_id, sent_at, id)`);

    await q.query(`
      CREATE TABLE customer_session (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES account (id),
        device text NOT NULL,
        ip text,
        user_agent text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX customer_session_account_idx ON customer_session (account_id, created_at, id)`,
    );

    // Notes are append-only by design; the staff table (a later migration) will own author_id.
    await q.query(`
      CREATE TABLE note (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES account (id),
        author_id uuid,
        author_email text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX note_account_idx ON note (account_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'note',
      'customer_session',
      'message',
      'conversation',
      'payment_method',
      'account',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
