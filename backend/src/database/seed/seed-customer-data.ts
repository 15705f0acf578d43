import type { DataSource, QueryRunner } from 'typeorm';
import { suspendKeysAndIndexes } from './bulk-load';
import { CustomerGenerator } from './generator';
import { emptySummary, SEED_TABLE_ORDER, SeedBatch, SUMMARY_KEYS, type SeedSummary } from './tables';
import { UnnestWriter, type SeedWriter } from './writers';

export const DEFAULT_SEED = 42;

export interface SeedOptions {
  /** How many accounts the database should hold when the seed is done. */
  accounts: number;
  /** The random seed; the same seed always yields the same accounts. */
  seed?: number;
  /** Called as batches go in, with the accounts written so far and the target. */
  onProgress?: (done: number, total: number) => void;
  /** Called when a stage without progress steps begins (rebuilding indexes, analysing). */
  onStage?: (stage: string) => void;
  /** Stops between two batches (with an AbortError); committed batches stay. */
  signal?: AbortSignal;
  /** Accounts per statement (tuning and tests). */
  batchSize?: number;
  /**
   * Load without keys and indexes and build them at the end, all in one transaction. By default
   * on when at least BULK_LOAD_MIN_ACCOUNTS accounts are added and at least as many as exist.
   */
  bulkLoad?: boolean;
}

export const BULK_LOAD_MIN_ACCOUNTS = 50_000;

/** Accounts generated between two yields to the event loop, so the previous batch keeps streaming. */
const GENERATE_SLICE = 250;

/**
 * Fills the customer tables with deterministic, realistic data up to `accounts` accounts.
 *
 * Account i is a function of (seed, i) alone, and the seed only appends: when the database already
 * holds k accounts of this seed it generates accounts k..accounts-1. So a demo database can be
 * topped up to benchmark size, and an interrupted run resumes where it stopped: batches commit in
 * order (or, in a bulk load, all at once), so the accounts present are always a prefix.
 */
export async function seedCustomerData(dataSource: DataSource, options: SeedOptions): Promise<SeedSummary> {
  const { accounts: target, seed = DEFAULT_SEED, onProgress, onStage, signal } = options;
  if (!Number.isSafeInteger(target) || target < 0) {
    throw new RangeError(`accounts must be a whole number of 0 or more (got ${target}).`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number (got ${seed}).`);

  const generator = new CustomerGenerator(seed);
  const summary = emptySummary();
  const runner = dataSource.createQueryRunner();
  try {
    const existing = await countAccounts(runner);
    if (existing > 0) await assertPrefixOfSeed(runner, generator, existing, seed);
    if (existing >= target) {
      onProgress?.(target, target);
      return summary;
    }
    const adding = target - existing;
    const bulk = options.bulkLoad ?? (adding >= BULK_LOAD_MIN_ACCOUNTS && adding >= existing);
    const writer = new UnnestWriter(runner);
    const batchSize = options.batchSize ?? 2_000;

    onProgress?.(existing, target);
    if (bulk) {
      await runner.startTransaction();
      try {
        const restore = await suspendKeysAndIndexes(runner);
        await writeBatches(writer, generator, existing, target, batchSize, signal, (batch) => {
          addToSummary(summary, batch);
          onProgress?.(batch.endAccount, target);
        });
        onStage?.('building keys and indexes');
        await restore();
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } else {
      await writeBatches(writer, generator, existing, target, batchSize, signal, (batch) => {
        addToSummary(summary, batch);
        onProgress?.(batch.endAccount, target);
      });
    }

    // Fresh statistics, so the next query is planned for the table as it now is.
    onStage?.('analysing');
    await runner.query(`ANALYZE ${SEED_TABLE_ORDER.join(', ')}`);
    return summary;
  } finally {
    await runner.release();
  }
}

/**
 * Generates and inserts accounts [from, to) in batches. Generating batch n+1 overlaps with the
 * database inserting batch n. Outside a transaction of the caller, each batch commits on its own.
 */
async function writeBatches(
  writer: SeedWriter,
  generator: CustomerGenerator,
  from: number,
  to: number,
  batchSize: number,
  signal: AbortSignal | undefined,
  onWritten: (batch: SeedBatch) => void,
): Promise<void> {
  const ownTransactions = !writer.runner.isTransactionActive;
  let pending: Promise<void> | undefined;
  try {
    for (let start = from; start < to; start += batchSize) {
      signal?.throwIfAborted();
      const batch = new SeedBatch(start, Math.min(start + batchSize, to));
      for (let i = batch.firstAccount; i < batch.endAccount; i++) {
        generator.generate(i, batch);
        // Yield now and then so the socket keeps draining the batch being written meanwhile.
        if (pending && (i - batch.firstAccount) % GENERATE_SLICE === GENERATE_SLICE - 1) await yieldToIo();
      }
      await pending;
      pending = (ownTransactions ? insertInTransaction(writer, batch) : writer.insert(batch)).then(() =>
        onWritten(batch),
      );
      // Marks a failure as handled while the next batch is generated; `await pending` rethrows it.
      pending.catch(() => undefined);
    }
    await pending;
  } finally {
    await pending?.catch(() => undefined);
  }
}

async function insertInTransaction(writer: SeedWriter, batch: SeedBatch): Promise<void> {
  await writer.runner.startTransaction();
  try {
    await writer.insert(batch);
    await writer.runner.commitTransaction();
  } catch (error) {
    await writer.runner.rollbackTransaction().catch(() => undefined);
    throw error;
  }
}

function addToSummary(summary: SeedSummary, batch: SeedBatch): void {
  for (const table of SEED_TABLE_ORDER) summary[SUMMARY_KEYS[table]] += batch.tables[table].rowCount;
}

async function countAccounts(runner: QueryRunner): Promise<number> {
  const rows: Array<{ n: string }> = await runner.query('SELECT count(*) AS n FROM account');
  return Number(rows[0]?.n ?? 0);
}

/**
 * A top-up only makes sense on top of the same seed's accounts; anything else would collide on
 * e-mail addresses halfway through or silently mix two data sets. The last account decides.
 */
async function assertPrefixOfSeed(
  runner: QueryRunner,
  generator: CustomerGenerator,
  existing: number,
  seed: number,
): Promise<void> {
  const rows: unknown[] = await runner.query('SELECT 1 FROM account WHERE id = $1', [
    generator.accountId(existing - 1),
  ]);
  if (rows.length === 0) {
    throw new Error(
      `The database holds ${existing} accounts, but they are not the first ${existing} accounts of seed ${seed}` +
        ' (another seed, or accounts created otherwise); seed an empty database instead.',
    );
  }
}

function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
