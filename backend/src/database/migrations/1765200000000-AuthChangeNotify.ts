import { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel AuthCache listens on; its payload is never read, only that something changed. */
export const AUTH_CHANGED_CHANNEL = 'custodian_auth';

/** Every table whose rows decide what a credential may do: its person, the token, reveal grants. */
const WATCHED: Array<{ table: string; events: string }> = [
  { table: 'staff', events: 'UPDATE OR DELETE OR TRUNCATE' },
  { table: 'personal_access_token', events: 'UPDATE OR DELETE OR TRUNCATE' },
  // A new grant changes the person's revealGrantsUntil, so inserts count here too. A new person or
  // token needs no notice: the cache keeps only credentials it has found.
  { table: 'reveal_grant', events: 'INSERT OR UPDATE OR DELETE OR TRUNCATE' },
];

/**
 * Tells every backend instance, at commit, that who may do what has changed, whoever changed it:
 * the API, the CLI or someone with psql. AuthCache empties itself on the notice, which is what lets
 * it keep a credential's person between requests without a deactivation outliving its commit.
 * Statement triggers: one notice per statement, and PostgreSQL folds a transaction's identical
 * notices into one.
 */
export class AuthChangeNotify1765200000000 implements MigrationInterface {
  name = 'AuthChangeNotify1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${AUTH_CHANGED_CHANNEL}', '');
        RETURN NULL;
      END $$`);
    for (const { table, events } of WATCHED) {
      await q.query(
        `CREATE TRIGGER ${table}_auth_changed AFTER ${events} ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION auth_changed()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of WATCHED) await q.query(`DROP TRIGGER ${table}_auth_changed ON ${table}`);
    await q.query(`DROP FUNCTION auth_changed()`);
  }
}
