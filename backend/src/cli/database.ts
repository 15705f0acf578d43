import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config';
import { createDataSource, migrate } from '../database/data-source';
import { startEmbeddedDatabase } from '../database/embedded';

export interface CliDatabase {
  dataSource: DataSource;
  /** Where the data lives, for messages; never the URL itself (it may carry a password). */
  description: string;
  close(): Promise<void>;
}

/**
 * The database the server would use: DATABASE_URL, or the embedded one in the data folder. The
 * embedded database must not be open in a running server at the same time (PGlite has one
 * writer); stop `pnpm start` first.
 */
export async function openDatabase(config: AppConfig): Promise<CliDatabase> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  // The embedded database takes one client at a time (see embedded.ts).
  const dataSource = createDataSource(config.databaseUrl ?? embedded!.url, embedded ? 1 : 2);
  try {
    await dataSource.initialize();
    await migrate(dataSource);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    description: embedded
      ? `the embedded database in ${config.dataDir}`
      : 'the PostgreSQL database of DATABASE_URL',
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
