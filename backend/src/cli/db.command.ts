import { InvalidArgumentError, type Command } from 'commander';
import { ensureAuditPartitions } from '../audit/retention';
import { loadConfig } from '../config/app.config';
import { openDatabase } from './database';

function roleName(value: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value))
    throw new InvalidArgumentError('Expected a lower-case SQL role name.');
  return value;
}

/**
 * The least-privilege grants of the application's database role, as SQL. The role may read and
 * write what the app needs; of the audit log it may read events and write pending ones, which the
 * database chains into audit_event at commit as the owner (migration AuditSealAtCommit). No
 * INSERT, UPDATE, DELETE or TRUNCATE on audit_event, whatever the triggers say. Run as the owner
 * of the schema (who also runs migrations).
 */
export function appRoleGrants(role: string): string[] {
  return [
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF; END $$`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_event FROM ${role}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoint FROM ${role}`,
    `REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON audit_pending FROM ${role}`,
    // The chain's newest (seq, hash): moved by the database as events are added, by no one else.
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_tip FROM ${role}`,
    // Only retention, run as the owner, records where the chain now starts.
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_anchor FROM ${role}`,
    // Rows live in the monthly partitions: the app reaches them through audit_event only, so it gets
    // nothing on the partitions themselves (those made later are the owner's, with no grants).
    `DO $$ DECLARE p regclass; BEGIN
       FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_event'::regclass LOOP
         EXECUTE format('REVOKE ALL ON %s FROM ${role}', p);
       END LOOP;
     END $$`,
    // Next month's partition is made at start and daily, as the owner, through this one function.
    `GRANT EXECUTE ON FUNCTION audit_event_ensure_partitions(integer) TO ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
  ];
}

export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('Database setup');
  db.command('migrate')
    .description('Apply pending migrations (run as the owner of the schema)')
    .action(async () => {
      const database = await openDatabase(loadConfig());
      try {
        await ensureAuditPartitions(database.dataSource);
      } finally {
        await database.close();
      }
      process.stdout.write(`Migrations are up to date in ${database.description}.\n`);
    });
  db.command('app-role')
    .description('Create or update the least-privilege role the application connects as (PostgreSQL)')
    .requiredOption('--role <name>', 'the role name, e.g. custodian_app', roleName)
    .action(async (options: { role: string }) => {
      const config = loadConfig();
      if (!config.databaseUrl)
        throw new Error('app-role is for a PostgreSQL server: set DATABASE_URL to the owner’s URL');
      const database = await openDatabase(config);
      try {
        for (const sql of appRoleGrants(options.role)) await database.dataSource.query(sql);
        process.stdout.write(
          `Role ${options.role} may read and write the application tables, and only read and append to the audit tables.\n` +
            `Set its password (ALTER ROLE ${options.role} PASSWORD '…') and use it in DATABASE_URL.\n`,
        );
      } finally {
        await database.close();
      }
    });
}
