import type { Command } from 'commander';
import { loadConfig } from '../config/app.config';
import { DEFAULT_SEED, seedCustomerData, type SeedSummary } from '../database/seed';
import { wholeNumber } from './arguments';
import { openDatabase } from './database';
import { createProgressReporter } from './progress';

const MAX_ACCOUNTS = 100_000_000;

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description(
      'Fill the customer tables with deterministic demo data (DATABASE_URL, or the embedded database). ' +
        'Only adds: a database that already holds k accounts of the same seed gets accounts k..N-1.',
    )
    .option(
      '--accounts <count>',
      'how many accounts the database should hold (default: DEMO_ACCOUNTS, 2000)',
      wholeNumber(0, MAX_ACCOUNTS),
    )
    .option(
      '--seed <number>',
      `random seed; the same seed always yields the same data`,
      wholeNumber(0, 2 ** 32 - 1),
      DEFAULT_SEED,
    )
    .action(async (options: { accounts?: number; seed: number }) => {
      const config = loadConfig();
      const accounts = options.accounts ?? config.demoAccounts;
      const database = await openDatabase(config);
      const progress = createProgressReporter('accounts');
      // Ctrl-C stops between two batches; the current transaction rolls back and the database
      // keeps a clean prefix of the accounts, which the next run tops up.
      const abort = new AbortController();
      const onSignal = () => {
        if (abort.signal.aborted) process.exit(130);
        abort.abort();
      };
      process.on('SIGINT', onSignal);
      const started = performance.now();
      try {
        const summary = await seedCustomerData(database.dataSource, {
          accounts,
          seed: options.seed,
          signal: abort.signal,
          onProgress: (done, total) => progress.update(done, total),
          onStage: (stage) => progress.stage(stage),
        });
        progress.stop();
        const seconds = (performance.now() - started) / 1000;
        const [{ n }] = await database.dataSource.query('SELECT count(*)::int AS n FROM account');
        process.stdout.write(describe(summary, seconds, n, options.seed, database.description) + '\n');
      } finally {
        progress.stop();
        process.off('SIGINT', onSignal);
        await database.close();
      }
    });
}

function describe(summary: SeedSummary, seconds: number, total: number, seed: number, where: string): string {
  if (summary.accounts === 0) return `Nothing to add: ${where} already holds ${total} accounts.`;
  return (
    `Seeded ${summary.accounts} accounts (seed ${seed}) with ${summary.paymentMethods} payment methods, ` +
    `${summary.customerSessions} sessions, ${summary.conversations} conversations, ${summary.messages} messages ` +
    `and ${summary.notes} notes in ${seconds.toFixed(1)} s; ${where} now holds ${total} accounts.`
  );
}
