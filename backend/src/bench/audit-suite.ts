import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { AuditReaderService } from '../audit/audit-reader.service';
import { createDataSource } from '../database/data-source';
import { createProgressReporter } from '../cli/progress';
import type { ApiServer } from './api-server';
import { createBenchAuditor, createBenchSupportAgent, type BenchPerson } from './audit-identity';
import { buildAuditReadScenarios, type AuditReadKey, type AuditReadScenario } from './audit-scenarios';
import { seedAuditEvents, type AuditSeedSummary } from './audit-seed';
import {
  noteStatement,
  pickWriteAccounts,
  runAuditedWrites,
  runDirectAuditedWrites,
  runUnauditedWrites,
} from './audit-writes';
import { measureApi, measureApiAndDirect, ROUNDS, type LoadSettings, type RunStats } from './load';
import type { ScenarioResult, Target } from './report';

export type AuditScenarioKey = AuditReadKey | 'auditWrite' | 'auditVerify';

/** The figure: audited writes with 8 concurrent clients. */
export const AUDIT_WRITERS = 8;
const READ_P95_LIMIT_MS = 100;
const WRITES_PER_SECOND_MIN = 500;
const VERIFY_EVENTS_PER_SECOND_MIN = 100_000;

export interface AuditSeedReport extends AuditSeedSummary {
  vacuumSeconds: number;
}

/** Tops the audit log up to `events` (the seed only appends), then refreshes its statistics. */
export async function seedAuditLog(
  pool: Pool,
  events: number,
  log: (line: string) => void,
): Promise<AuditSeedReport> {
  const progress = createProgressReporter('audit events');
  const summary = await seedAuditEvents(pool, {
    events,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.stop();
  let vacuumSeconds = 0;
  if (summary.added > 0) {
    log(
      `seeded ${summary.added} audit events in ${summary.seconds.toFixed(1)} s ` +
        `(${Math.round(summary.added / summary.seconds)}/s); vacuuming…`,
    );
    const started = performance.now();
    // Hint bits and the visibility map now, so neither side of a comparison pays for them.
    await pool.query('VACUUM (ANALYZE) audit_event');
    vacuumSeconds = (performance.now() - started) / 1000;
  }
  return { ...summary, vacuumSeconds };
}

export interface AuditSuiteContext {
  dataSource: DataSource;
  pool: Pool;
  databaseUrl: string;
  server: ApiServer;
  settings: LoadSettings;
  warmup: LoadSettings;
  log: (line: string) => void;
}

export interface AuditVerificationReport {
  valid: boolean;
  checked: number;
  headSeq: number;
  firstInvalidSeq?: number;
  problem?: string;
  seconds: number;
  eventsPerSecond: number;
}

export interface AuditSuiteOutcome {
  results: Array<ScenarioResult & { key: AuditScenarioKey }>;
  targets: Target[];
  verification: AuditVerificationReport;
  writes: {
    accounts: number;
    writers: number;
    apiPerDirectThroughput: number;
    /** The same write with AuditService's append, straight on the database (no HTTP, no API). */
    directAudited: RunStats;
  };
  /** Lines for the text report below the table. */
  lines: string[];
}

/**
 * The audit log's part of `pnpm bench`: the read filters (API against the SQL the API runs), the
 * audited write at 8 writers against the same write without the audit, then a full verification
 * of the chain, timed, which also proves that the writes left it intact.
 */
export async function runAuditSuite(ctx: AuditSuiteContext): Promise<AuditSuiteOutcome> {
  const { dataSource, pool, server, settings, warmup, log } = ctx;
  const people: BenchPerson[] = [];
  try {
    const auditor = await createBenchAuditor(dataSource);
    people.push(auditor);
    const agent = await createBenchSupportAgent(dataSource);
    people.push(agent);

    log('picking audit inputs from the seeded events…');
    const scenarios = await buildAuditReadScenarios(dataSource, ctx.databaseUrl);
    const results: AuditSuiteOutcome['results'] = [];
    for (const scenario of scenarios) {
      log(`- ${scenario.title}: API and direct ${settings.seconds} s each, in ${ROUNDS} turns`);
      const sameRows = await compareRows(server.baseUrl, auditor.token, scenario, pool);
      const measured = await measureApiAndDirect({
        baseUrl: server.baseUrl,
        token: auditor.token,
        paths: scenario.paths,
        pool,
        statements: scenario.statements,
        cpuSeconds: () => server.cpuSeconds(),
        settings,
        warmup,
      });
      results.push({
        key: scenario.key,
        title: scenario.title,
        inputs: scenario.paths.length,
        ...measured,
        sameRows,
        plan: await slowestPlan(pool, scenario.statements),
        sql: scenario.statements[0]!.sql,
      });
    }

    const writers: LoadSettings = { ...settings, concurrency: AUDIT_WRITERS };
    const accounts = await pickWriteAccounts(pool, AUDIT_WRITERS);
    const accountCount = accounts.lanes.reduce((n, lane) => n + lane.size, 0);
    log(
      `- audited writes (add-note, ${AUDIT_WRITERS} writers): API ${settings.seconds} s, then direct ${settings.seconds} s`,
    );
    const versionOf = async (id: string) =>
      (await pool.query<{ version: number }>('SELECT version FROM account WHERE id = $1', [id])).rows[0]!
        .version;
    const {
      api: { firstError: apiError, ...api },
      apiCpuMsPerRequest,
    } = await measureApi({
      load: (load) => runAuditedWrites(server.baseUrl, agent.token, accounts, load, versionOf),
      cpuSeconds: () => server.cpuSeconds(),
      settings: writers,
      warmup: { ...writers, seconds: warmup.seconds },
    });
    if (warmup.seconds > 0) {
      await runUnauditedWrites(pool, accounts, agent, { ...writers, seconds: warmup.seconds }, versionOf);
    }
    const { firstError: directError, ...direct } = await runUnauditedWrites(
      pool,
      accounts,
      agent,
      writers,
      versionOf,
    );
    const { firstError: directAuditedError, ...directAudited } = await withDataSource(
      ctx.databaseUrl,
      AUDIT_WRITERS,
      async (writing) => {
        if (warmup.seconds > 0) {
          const short = { ...writers, seconds: warmup.seconds };
          await runDirectAuditedWrites(writing, accounts, agent, short, versionOf);
        }
        return runDirectAuditedWrites(writing, accounts, agent, writers, versionOf);
      },
    );
    results.push({
      key: 'auditWrite',
      title: `audited write: add-note, ${AUDIT_WRITERS} writers (direct: no audit)`,
      inputs: accountCount,
      api,
      direct,
      ratio: api.p95 / direct.p95,
      apiCpuMsPerRequest,
      // A write returns no rows to compare; its proof is the verification of the chain below.
      sameRows: true,
      plan: '',
      // The direct side's statement (the API's own, minus its event); the values are parameters.
      sql: noteStatement('(account id)', 0, agent).sql,
    });

    log('verifying the whole audit chain (AuditReaderService.verify)…');
    const verification = await timeVerification(dataSource);

    const targets = auditTargets(results, verification);
    const throughput = api.requestsPerSecond / direct.requestsPerSecond;
    const lines = [
      `Audited writes: ${api.requestsPerSecond.toFixed(0)}/s through the API with the audit event, ` +
        `${direct.requestsPerSecond.toFixed(0)}/s for the same write straight on PostgreSQL without it ` +
        `(${(throughput * 100).toFixed(0)}% of the unaudited throughput; ${api.errors} failed requests); ` +
        `${directAudited.requestsPerSecond.toFixed(0)}/s with AuditService's append but without the API ` +
        `(p95 ${directAudited.p95.toFixed(1)} ms).`,
      verification.valid
        ? `Audit verification: ${verification.checked} events valid up to #${verification.headSeq} in ` +
          `${verification.seconds.toFixed(1)} s, ${Math.round(verification.eventsPerSecond)} events/s ` +
          '(chain only: the signed checkpoints of earlier runs carry their own throwaway keys).'
        : `Audit verification: BROKEN at #${verification.firstInvalidSeq}: ${verification.problem} ` +
          `(${verification.checked} events before it verified in ${verification.seconds.toFixed(1)} s).`,
    ];
    if (apiError) lines.push(`WARNING: the first failed audited write answered ${apiError}`);
    if (directError) lines.push(`WARNING: the first failed unaudited direct write: ${directError}`);
    if (directAuditedError) {
      lines.push(`WARNING: the first failed direct write with the audit append: ${directAuditedError}`);
    }
    for (const r of results.filter((r) => !r.sameRows)) {
      lines.push(`WARNING: ${r.title}: the API and the direct statement returned different events.`);
    }
    return {
      results,
      targets,
      verification,
      writes: {
        accounts: accountCount,
        writers: AUDIT_WRITERS,
        apiPerDirectThroughput: throughput,
        directAudited,
      },
      lines,
    };
  } finally {
    for (const person of people) await person.revoke().catch(() => undefined);
  }
}

async function withDataSource<T>(url: string, size: number, use: (ds: DataSource) => Promise<T>): Promise<T> {
  const dataSource = createDataSource(url, size);
  await dataSource.initialize();
  try {
    return await use(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The verification the API and `custodian audit verify` run, over the whole chain. Without the
 * signed checkpoints: the benchmark's server signs with a key made for each run, so those of
 * earlier runs cannot verify, and checking them costs a signature each, not a pass over the events.
 */
async function timeVerification(dataSource: DataSource): Promise<AuditVerificationReport> {
  const started = performance.now();
  const result = await new AuditReaderService(dataSource).verify();
  const seconds = (performance.now() - started) / 1000;
  return {
    valid: result.valid,
    checked: result.checked,
    headSeq: result.headSeq,
    ...(result.valid ? {} : { firstInvalidSeq: result.firstInvalidSeq, problem: result.problem }),
    seconds,
    eventsPerSecond: result.checked / seconds,
  };
}

function auditTargets(
  results: AuditSuiteOutcome['results'],
  verification: AuditVerificationReport,
): Target[] {
  const targets: Target[] = [];
  for (const r of results) {
    if (r.key === 'auditWrite') {
      const value = r.api.requestsPerSecond;
      targets.push({
        name: `audited writes, ${AUDIT_WRITERS} writers: API >= ${WRITES_PER_SECOND_MIN}/s`,
        scenario: r.key,
        value,
        limit: WRITES_PER_SECOND_MIN,
        unit: 'req/s',
        kind: 'min',
        strict: false,
        pass: value >= WRITES_PER_SECOND_MIN,
      });
    } else {
      const value = r.api.p95;
      targets.push({
        name: `${r.key}: API p95 < ${READ_P95_LIMIT_MS} ms`,
        scenario: r.key,
        value,
        limit: READ_P95_LIMIT_MS,
        unit: 'ms',
        kind: 'max',
        strict: true,
        pass: value < READ_P95_LIMIT_MS,
      });
    }
  }
  targets.push({
    name: 'audit chain valid after the writes: broken events',
    scenario: 'auditVerify',
    value: verification.valid ? 0 : 1,
    limit: 0,
    unit: '',
    kind: 'max',
    strict: false,
    pass: verification.valid,
  });
  targets.push({
    name: `full verification >= ${VERIFY_EVENTS_PER_SECOND_MIN} events/s`,
    scenario: 'auditVerify',
    value: verification.eventsPerSecond,
    limit: VERIFY_EVENTS_PER_SECOND_MIN,
    unit: 'events/s',
    kind: 'min',
    strict: false,
    pass: verification.valid && verification.eventsPerSecond >= VERIFY_EVENTS_PER_SECOND_MIN,
  });
  return targets;
}

/** The first input through the API and straight through SQL must name the same events. */
async function compareRows(
  baseUrl: string,
  token: string,
  scenario: AuditReadScenario,
  pool: Pool,
): Promise<boolean> {
  const statement = scenario.statements[0]!;
  const res = await fetch(baseUrl + scenario.paths[0]!, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    throw new Error(`GET ${scenario.paths[0]} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
  const api = ((await res.json()) as { data: Array<{ id: string }> }).data.map((e) => e.id);
  // TypeORM names the columns of an entity query <alias>_<column>.
  const direct = (await pool.query<{ e_id: string }>(statement.sql, statement.params)).rows
    .map((r) => r.e_id)
    .slice(0, api.length);
  return JSON.stringify(api) === JSON.stringify(direct);
}

/** Inputs whose plans are compared for the report. */
const EXPLAINED_INPUTS = 20;

/**
 * EXPLAIN ANALYZE of the slowest of the first inputs: the planner may choose differently for
 * different values of one statement, and the p95 comes from the slow choice, not the first one.
 */
async function slowestPlan(
  pool: Pool,
  statements: Array<{ sql: string; params: unknown[] }>,
): Promise<string> {
  let slowest = { ms: -1, plan: '' };
  for (const statement of statements.slice(0, EXPLAINED_INPUTS)) {
    const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
    const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 0);
    if (ms > slowest.ms) slowest = { ms, plan };
  }
  return slowest.plan;
}
