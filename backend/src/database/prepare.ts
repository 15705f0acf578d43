import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app.config';
import { createDataSource, migrate } from './data-source';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { countActiveDemoStaff, seedDemoStaff } from '../staff/demo-staff';
import { seedCustomerData } from './seed';

export interface PreparedDatabase {
  url: string;
  embedded?: EmbeddedDatabase;
  /** How many demo accounts were seeded by this start (0 when the data was already there). */
  seededAccounts: number;
}

/**
 * Resolves the database (a server by DATABASE_URL, or the embedded one), applies the migrations
 * and, in demo mode, seeds an empty database. Runs before the app starts serving.
 */
export async function prepareDatabase(config: AppConfig): Promise<PreparedDatabase> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const url = config.databaseUrl ?? embedded!.url;
  const dataSource = createDataSource(url, 1);
  let seededAccounts = 0;
  try {
    await dataSource.initialize();
    await migrate(dataSource);
    if (config.demo) await seedDemoStaff(dataSource);
    if (
      config.env === 'production' &&
      !config.allowDemoStaff &&
      (await countActiveDemoStaff(dataSource)) > 0
    ) {
      throw new Error(
        'demo staff (with the published password) exist in this database; deactivate them, or set ALLOW_DEMO_STAFF=true',
      );
    }
    if (config.demo && config.demoAccounts > 0) {
      const [{ exists }] = await dataSource.query(`SELECT exists (SELECT 1 FROM account) AS exists`);
      if (!exists) {
        new Logger('Database').log(`seeding ${config.demoAccounts} demo accounts`);
        const summary = await seedCustomerData(dataSource, { accounts: config.demoAccounts });
        seededAccounts = summary.accounts;
      }
    }
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    await embedded?.stop();
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
  return { url, embedded, seededAccounts };
}
