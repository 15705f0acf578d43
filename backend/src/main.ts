import { ConfigError, loadConfig } from './config/app.config';
import { createApp } from './app';
import { DEMO_PASSWORD, DEMO_STAFF } from './staff/demo-staff';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Custodian cannot start:\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const custodian = await createApp(config);
  await custodian.app.listen(config.port, config.host);
  const shown = config.host === '127.0.0.1' || config.host === '0.0.0.0' ? 'localhost' : config.host;
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded database in ${config.dataDir}`;
  process.stdout.write(
    [
      '',
      `Custodian is up: http://${shown}:${config.port}`,
      `  database: ${where}`,
      custodian.database.seededAccounts ? `  seeded ${custodian.database.seededAccounts} demo accounts` : '',
      config.demo
        ? `  demo sign-ins (password "${DEMO_PASSWORD}"): ${DEMO_STAFF.map((p) => p.email).join(', ')}`
        : '',
      `  API document (signed in): http://${shown}:${config.port}/api/openapi.json`,
      '',
    ]
      .filter((line, i, all) => line !== '' || i === 0 || i === all.length - 1)
      .join('\n') + '\n',
  );
  const stop = async () => {
    await custodian.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Custodian failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
