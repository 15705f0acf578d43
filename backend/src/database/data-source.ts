import type { ClientBase } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * TypeORM options for one database. Migrations only: `synchronize` is off everywhere.
 * @param listen channels each pooled connection LISTENs on before its first use
 */
export function dataSourceOptions(url: string, poolSize = 10, listen: string[] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: poolSize,
      // The audit chain is linked at commit by a trigger that must see the last committed event
      // (migration AuditSealAtCommit): READ COMMITTED, whatever the server's default says.
      options: '-c default_transaction_isolation=read\\ committed',
      ...(listen.length > 0 && {
        onConnect: (client: ClientBase) => client.query(listen.map((c) => `LISTEN ${c}`).join('; ')),
      }),
    },
  };
}

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}

/** Applies pending migrations, each in its own transaction. */
export async function migrate(dataSource: DataSource): Promise<void> {
  await dataSource.runMigrations({ transaction: 'each' });
}
