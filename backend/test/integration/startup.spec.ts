import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/app.config';
import { createDataSource, migrate } from '../../src/database/data-source';
import { startEmbeddedDatabase } from '../../src/database/embedded';
import { prepareDatabase } from '../../src/database/prepare';
import { seedDemoStaff } from '../../src/staff/demo-staff';
import { startTestApp } from './harness';

describe('start-up safety', () => {
  it('refuses a production start while demo staff (with the published password) exist', async () => {
    const demo = await startTestApp({ demoAccounts: 5 });
    const demoStaff = await demo.dataSource.query(`SELECT email FROM staff WHERE is_demo ORDER BY email`);
    expect(demoStaff.map((r: { email: string }) => r.email)).toContain('admin2@demo.test');
    await demo.close();

    // The same check, on its own: production with demo staff in the database.
    const db = await startEmbeddedDatabase('memory://');
    const ds = createDataSource(db.url, 1);
    await ds.initialize();
    await migrate(ds);
    await seedDemoStaff(ds);
    await ds.destroy();
    const production = {
      ...loadConfig({ NODE_ENV: 'production', CUSTODIAN_SECRET: 'x'.repeat(40), CUSTODIAN_DEMO: 'false' }),
      databaseUrl: db.url,
    };
    await expect(prepareDatabase(production)).rejects.toThrow(/demo staff .* exist in this database/);
    const allowed = await prepareDatabase({ ...production, allowDemoStaff: true });
    expect(allowed.url).toBe(db.url);
    await db.stop();
  });

  it('stops on a bad setting with a sentence naming it, without echoing secrets', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
      /Environment variable PORT is invalid \(got "eighty"\)/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' });
    } catch (error) {
      expect(String(error)).toContain('DATABASE_URL');
      expect(String(error)).not.toContain('hunter2');
    }
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /CUSTODIAN_SECRET is required in production/,
    );
    expect(() => loadConfig({ OIDC_ISSUER: 'https://idp.example.com' })).toThrow(
      /OIDC_CLIENT_ID must be set together/,
    );
  });
});
