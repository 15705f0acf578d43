import { Agent, request } from 'node:http';
import { operationAuditAction } from '@custodian/shared';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { namedQuery, queryNamed, useNamedStatements } from '../database/named-query';
import { planWithoutAccount } from '../operations/operation-plan';
import { operationStatement, type EventItem } from '../operations/operation-statement';
import { summarize, type LoadSettings, type RunStats } from './load';

/** Accounts each writer takes turns on: never two writers on one account, so no version races. */
const ACCOUNTS_PER_WRITER = 32;

export const WRITE_NOTE = 'Benchmark note: customer asked for a call back about their invoice.';
export const WRITE_REASON = 'Benchmark of audited writes (pnpm bench)';

export interface WriteAccounts {
  /** For each writer, its accounts and the version each one is at. */
  lanes: Array<Map<string, number>>;
}

/**
 * Accounts for the write runs, dealt out to `writers` lanes, with their current versions. Taken
 * from the far end of the id order, away from the accounts the audit seed made busiest.
 */
export async function pickWriteAccounts(pool: Pool, writers: number): Promise<WriteAccounts> {
  const { rows } = await pool.query<{ id: string; version: number }>(
    'SELECT id::text AS id, version FROM account ORDER BY id DESC LIMIT $1',
    [writers * ACCOUNTS_PER_WRITER],
  );
  const lanes = Array.from({ length: writers }, () => new Map<string, number>());
  rows.forEach((row, i) => lanes[i % writers]!.set(row.id, row.version));
  return { lanes };
}

/**
 * `POST /api/accounts/:id/operations/add-note` from `concurrency` writers, each on its own
 * accounts and each waiting for its answer: the version every request expects is the one the
 * previous answer returned. A note needs no approval and its event is appended in the change's
 * transaction, so every 200 is one audited write.
 */
export async function runAuditedWrites(
  baseUrl: string,
  token: string,
  accounts: WriteAccounts,
  settings: LoadSettings,
  versionOf: (id: string) => Promise<number>,
): Promise<WriteStats> {
  const url = new URL(baseUrl);
  let firstError: string | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: settings.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + settings.seconds * 1000;
  const writer = async (lane: Map<string, number>) => {
    while (performance.now() < deadline) {
      for (const [id, version] of lane) {
        if (performance.now() >= deadline) return;
        const body = JSON.stringify({ body: WRITE_NOTE, reason: WRITE_REASON, expectedVersion: version });
        const t0 = performance.now();
        const answer = await post(agent, url, `/api/accounts/${id}/operations/add-note`, token, body).catch(
          (error: Error) => ({ status: 0, text: error.message }),
        );
        if (answer.status === 200) {
          latencies.push(performance.now() - t0);
          lane.set(id, (JSON.parse(answer.text) as { account: { version: number } }).account.version);
        } else {
          errors++;
          firstError ??= `${answer.status || 'no answer'}: ${answer.text.slice(0, 300)}`;
          lane.set(id, await versionOf(id));
        }
      }
    }
  };
  try {
    await Promise.all(accounts.lanes.slice(0, settings.concurrency).map(writer));
  } finally {
    agent.destroy();
  }
  return { ...summarize(latencies, errors, (performance.now() - started) / 1000), firstError };
}

function post(
  agent: Agent,
  url: URL,
  path: string,
  token: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          accept: 'application/json',
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The same write without the audit log: the very statement OperationsService runs for add-note
 * (operation-statement.ts: the versioned UPDATE answering the account, and the note, as one
 * statement, with no read before it), minus its event, straight on a `pg` pool. The ratio of the
 * two is the audit's cost.
 */
export async function runUnauditedWrites(
  pool: Pool,
  accounts: WriteAccounts,
  author: { staffId: string; email: string },
  settings: LoadSettings,
  versionOf: (id: string) => Promise<number>,
): Promise<WriteStats> {
  return runDirect(accounts, settings, versionOf, async (id, version) => {
    const { sql, params } = noteStatement(id, version, author);
    // Named, as the API runs it (database/named-query.ts).
    return versionWritten(await queryNamed(pool, sql, params), id, version);
  });
}

/**
 * The same statement with its event, from AuditService itself (chained as it commits), without
 * HTTP and the API around it: where the chain's own cost ends and the API's begins. On a data
 * source of its own, with a connection per writer.
 */
export async function runDirectAuditedWrites(
  dataSource: DataSource,
  accounts: WriteAccounts,
  author: { staffId: string; email: string },
  settings: LoadSettings,
  versionOf: (id: string) => Promise<number>,
): Promise<WriteStats> {
  const audit = new AuditService(dataSource);
  // Named statements, as the API runs them on a server.
  useNamedStatements(dataSource);
  return runDirect(accounts, settings, versionOf, async (id, version) => {
    const { sql, params } = noteStatement(id, version, author, (details, param, when) =>
      audit.statement(
        {
          actor: { type: 'token', id: null, email: author.email, roles: ['support'] },
          action: operationAuditAction('add-note'),
          target: { type: 'account', id },
          outcome: 'success',
          reason: WRITE_REASON,
          // As the API records it: the version the write moves the account to.
          details: { ...details, version: version + 1 },
        },
        param,
        when,
      ),
    );
    return versionWritten(await namedQuery(dataSource, sql, params), id, version);
  });
}

export type WriteStats = RunStats & { firstError?: string };

/** OperationsService's statement for a note on account `id` at `version`. */
export function noteStatement(
  id: string,
  version: number,
  author: { staffId: string; email: string },
  event?: EventItem,
) {
  return operationStatement({
    accountId: id,
    expectedVersion: version,
    plan: planWithoutAccount('add-note', { body: WRITE_NOTE }),
    actorId: author.staffId,
    actorEmail: author.email,
    now: new Date(),
    event,
  });
}

/** The account's new version; the statement answers no row when the version was stale. */
function versionWritten(rows: Array<Record<string, unknown>>, id: string, version: number): number {
  if (rows.length !== 1) throw new Error(`stale version ${version} of account ${id}`);
  return Number(rows[0]!.version);
}

/** `concurrency` writers, each on its own accounts, each waiting for its write to commit. */
async function runDirect(
  accounts: WriteAccounts,
  settings: LoadSettings,
  versionOf: (id: string) => Promise<number>,
  write: (id: string, version: number) => Promise<number>,
): Promise<WriteStats> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + settings.seconds * 1000;
  const writer = async (lane: Map<string, number>) => {
    while (performance.now() < deadline) {
      for (const [id, version] of lane) {
        if (performance.now() >= deadline) return;
        const t0 = performance.now();
        try {
          lane.set(id, await write(id, version));
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
          lane.set(id, await versionOf(id));
        }
      }
    }
  };
  await Promise.all(accounts.lanes.slice(0, settings.concurrency).map(writer));
  return { ...summarize(latencies, errors, (performance.now() - started) / 1000), firstError };
}
