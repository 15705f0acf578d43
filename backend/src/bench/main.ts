#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { wholeNumber } from '../cli/arguments';
import { createProgressReporter } from '../cli/progress';
import { createDataSource, migrate } from '../database/data-source';
import { DEFAULT_SEED, seedCustomerData, SEED_TABLE_ORDER } from '../database/seed';
import { startApiServer, type ApiServer } from './api-server';
import { AUDIT_EVENTS_DEFAULT } from './audit-seed';
import { runAuditSuite, seedAuditLog, type AuditSuiteOutcome } from './audit-suite';
import { createBenchIdentity, type BenchIdentity } from './identity';
import { auditedEmailLookups } from './audited-lookup';
import { measureApi, measureApiAndDirect, ROUNDS, runApi, type LoadSettings } from './load';
import {
  evaluateTargets,
  formatFloor,
  formatTable,
  formatTargets,
  writeJsonReport,
  type FloorResult,
  type ScenarioResult,
} from './report';
import { buildScenarios, SCENARIO_KEYS, type Scenario, type ScenarioKey } from './scenarios';

const SUITES = ['accounts', 'audit'] as const;
type Suite = (typeof SUITES)[number];

interface BenchOptions {
  /** Unset: every suite. */
  suite?: Suite[];
  accounts: number;
  auditEvents: number;
  scenarios?: ScenarioKey[];
  duration: number;
  warmup: number;
  connections: number;
}

const RESULTS_DIR = resolve(__dirname, '../../../bench-results');

/** The cheapest authenticated answer: who the token belongs to, from the guard's cache. */
const FLOOR_PATH = '/api/auth/me';

/**
 * `pnpm bench`: the performance report of the accounts and audit APIs against DATABASE_URL (the
 * audit suite: audit-suite.ts). For each lookup
 * it measures the API (autocannon) and the very SQL statement the API runs, straight on a `pg`
 * pool, with the same concurrency, and checks the targets. A report, not a test: it never
 * fails on a missed target.
 */
async function bench(options: BenchOptions): Promise<void> {
  const suites: readonly Suite[] = options.suite ?? SUITES;
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new UsageError(
      'The benchmark runs against PostgreSQL: set DATABASE_URL, e.g. ' +
        'DATABASE_URL=postgres://postgres@127.0.0.1:5432/custodian_bench pnpm bench',
    );
  }
  const startedAt = new Date();
  const log = (line: string) => process.stderr.write(line + '\n');
  const dataSource = createDataSource(databaseUrl, 2);
  const pool = new Pool({ connectionString: databaseUrl, max: options.connections });
  let server: ApiServer | undefined;
  let identity: BenchIdentity | undefined;
  const stopOnSignal = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  async function cleanUp() {
    await server?.stop().catch(() => undefined);
    server = undefined;
    await identity?.revoke().catch(() => undefined);
    identity = undefined;
    await pool.end().catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
  }

  try {
    await dataSource.initialize();
    await migrate(dataSource);
    const seeding = await seed(dataSource, options.accounts, log);
    const auditSeeding = suites.includes('audit')
      ? await seedAuditLog(pool, options.auditEvents, log)
      : undefined;
    const [{ n: accounts }] = await dataSource.query('SELECT count(*)::int AS n FROM account');
    const [{ n: auditEvents }] = await dataSource.query(
      'SELECT coalesce(max(seq), 0)::bigint::text AS n FROM audit_event',
    );
    const [{ server_version: version }] = await dataSource.query('SHOW server_version');

    identity = await createBenchIdentity(dataSource);
    log('starting the API (node backend/dist/main.js, NODE_ENV=production)…');
    server = await startApiServer(databaseUrl);
    const { baseUrl } = server;
    const token = identity.token;
    const get = async (path: string) => {
      const res = await fetch(baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return (await res.json()) as { data: Array<{ id: string }>; nextCursor: string | null };
    };

    log('picking inputs and following nextCursor to the deep page…');
    const scenarios = suites.includes('accounts')
      ? (await buildScenarios(dataSource, get)).filter(
          (s) => !options.scenarios || options.scenarios.includes(s.key),
        )
      : [];
    const settings: LoadSettings = { concurrency: options.connections, seconds: options.duration };
    const warmup: LoadSettings = { concurrency: options.connections, seconds: options.warmup };

    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const audited = scenario.recordedSearch
        ? await auditedEmailLookups(databaseUrl, identity, scenario.inputs)
        : undefined;
      log(
        `- ${scenario.title}: API and direct${audited ? ', and direct with its audit event,' : ''} ` +
          `${options.duration} s each, in ${ROUNDS} turns`,
      );
      const sameRows = await compareRows(scenario, pool, get);
      const measured = await measureApiAndDirect({
        baseUrl,
        token,
        paths: scenario.paths,
        pool,
        statements: scenario.statements,
        after: audited?.after,
        cpuSeconds: () => server!.cpuSeconds(),
        settings,
        warmup,
      }).finally(() => audited?.close());
      results.push({
        key: scenario.key,
        title: scenario.title,
        inputs: scenario.paths.length,
        ...measured,
        sameRows,
        plan: await explain(pool, scenario),
        sql: scenario.statements[0]!.sql,
      });
    }

    let floor: FloorResult | undefined;
    if (scenarios.length > 0) {
      log(`- API floor (${FLOOR_PATH}): ${options.duration} s`);
      floor = {
        path: FLOOR_PATH,
        ...(await measureApi({
          load: (load) => runApi(baseUrl, [FLOOR_PATH], token, load),
          cpuSeconds: () => server!.cpuSeconds(),
          settings,
          warmup,
        })),
      };
    }

    const targets = evaluateTargets(results);
    let audit: AuditSuiteOutcome | undefined;
    if (suites.includes('audit')) {
      audit = await runAuditSuite({ dataSource, pool, databaseUrl, server, settings, warmup, log });
      results.push(...audit.results);
      targets.push(...audit.targets);
    }

    process.stdout.write(
      `\nCustodian benchmark: ${accounts} accounts, ${auditEvents} audit events, PostgreSQL ${version}, ` +
        `${cpus().length} CPUs, ${options.connections} connections, ${options.duration} s per run\n\n`,
    );
    process.stdout.write(formatTable(results) + '\n');
    if (floor) process.stdout.write(formatFloor(floor, results) + '\n');
    process.stdout.write(formatTargets(targets));
    for (const line of audit?.lines ?? []) process.stdout.write(line + '\n');
    for (const r of results.filter((r) => !r.sameRows)) {
      process.stdout.write(
        `WARNING: ${r.title}: the API and the direct statement returned different accounts.\n`,
      );
    }
    const errors = results.filter((r) => r.api.errors > 0);
    if (errors.length) {
      process.stdout.write(`WARNING: failed API requests in: ${errors.map((r) => r.key).join(', ')}\n`);
      const tail = server.output().slice(-10);
      if (tail.length) process.stdout.write(`Last output of the API:\n  ${tail.join('\n  ')}\n`);
    }
    const failing = new Set(targets.filter((t) => !t.pass).map((t) => t.scenario));
    for (const r of results.filter((r) => failing.has(r.key) && r.plan)) {
      process.stdout.write(`\nEXPLAIN ANALYZE, ${r.title}:\n${r.plan}\n`);
    }

    const file = writeJsonReport(
      RESULTS_DIR,
      {
        startedAt: startedAt.toISOString(),
        environment: {
          node: process.version,
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model,
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          postgres: version,
          accounts,
          auditEvents: Number(auditEvents),
          seed: seeding,
          auditSeed: auditSeeding,
        },
        settings: { ...options },
        results,
        floor,
        targets,
        audit: audit && { writes: audit.writes, verification: audit.verification },
        passed: targets.every((t) => t.pass),
      },
      startedAt,
    );
    process.stdout.write(`\nJSON report: ${file}\n`);
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await cleanUp();
  }
}

/** Tops the database up to `accounts` (the seed only appends), then refreshes its statistics. */
async function seed(dataSource: DataSource, accounts: number, log: (line: string) => void) {
  const progress = createProgressReporter('accounts');
  const started = performance.now();
  const summary = await seedCustomerData(dataSource, {
    accounts,
    seed: DEFAULT_SEED,
    onProgress: (done, total) => progress.update(done, total),
    onStage: (stage) => progress.stage(stage),
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  if (summary.accounts > 0) {
    log(`seeded ${summary.accounts} accounts in ${seconds.toFixed(1)} s; vacuuming…`);
    // Sets hint bits and the visibility map now, so neither side of the comparison pays for it.
    await dataSource.query(`VACUUM (ANALYZE) ${SEED_TABLE_ORDER.join(', ')}`);
  } else {
    // An earlier run's audited writes left dead rows and, for each update that could not stay on
    // its page, entries in the trigram indexes' pending lists, which every name search then reads
    // (seen: the handle lookup's direct p95 from 41 to 85 ms). Autovacuum would clear them, but may
    // be off or late; each run starts from the state it would leave.
    log('vacuuming the tables earlier runs wrote to…');
    await dataSource.query(`VACUUM (ANALYZE) account, note, audit_pending`);
  }
  return { addedAccounts: summary.accounts, seconds, summary };
}

/** The first input through the API and straight through SQL must name the same accounts. */
async function compareRows(
  scenario: Scenario,
  pool: Pool,
  get: (path: string) => Promise<{ data: Array<{ id: string }> }>,
): Promise<boolean> {
  const statement = scenario.statements[0]!;
  const [api, direct] = await Promise.all([
    get(scenario.paths[0]!),
    pool.query(statement.sql, statement.params),
  ]);
  const directIds = direct.rows.map((r: { id: string }) => r.id).slice(0, api.data.length || undefined);
  return JSON.stringify(api.data.map((a) => a.id)) === JSON.stringify(directIds.slice(0, api.data.length));
}

async function explain(pool: Pool, scenario: Scenario): Promise<string> {
  const statement = scenario.statements[0]!;
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
  return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
}

class UsageError extends Error {}

function scenarioList(value: string): ScenarioKey[] {
  const keys = value.split(',').map((k) => k.trim());
  const unknown = keys.filter((k) => !(SCENARIO_KEYS as readonly string[]).includes(k));
  if (unknown.length)
    throw new InvalidArgumentError(
      `Unknown scenario ${unknown.join(', ')}; use ${SCENARIO_KEYS.join(', ')}.`,
    );
  return keys as ScenarioKey[];
}

function suiteList(value: string): Suite[] {
  const names = value.split(',').map((k) => k.trim());
  const unknown = names.filter((k) => !(SUITES as readonly string[]).includes(k));
  if (unknown.length)
    throw new InvalidArgumentError(`Unknown suite ${unknown.join(', ')}; use ${SUITES.join(', ')}.`);
  return names as Suite[];
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description(
      'Benchmark the accounts and audit APIs against the same SQL run directly (needs DATABASE_URL).',
    )
    .option(
      '--suite <names>',
      `run only these, comma-separated: ${SUITES.join(', ')} (default: all)`,
      suiteList,
    )
    .option(
      '--accounts <count>',
      'seed (top up) the database to this many accounts',
      wholeNumber(1, 100_000_000),
      1_000_000,
    )
    .option(
      '--audit-events <count>',
      'seed (top up) the audit log to this many events (audit suite)',
      wholeNumber(1, 1_000_000_000),
      AUDIT_EVENTS_DEFAULT,
    )
    .option('--duration <seconds>', 'length of each measured run', wholeNumber(1, 600), 10)
    .option('--warmup <seconds>', 'unmeasured run before each measured one', wholeNumber(0, 60), 2)
    .option(
      '--scenarios <keys>',
      `only these accounts scenarios, comma-separated: ${SCENARIO_KEYS.join(', ')}`,
      scenarioList,
    )
    .option('--connections <count>', 'concurrent API connections and direct workers', wholeNumber(1, 200), 10)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride((error: CommanderError) => {
      throw error;
    })
    .action(async (options: BenchOptions) => bench(options));
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
