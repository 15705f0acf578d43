import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditAction } from '@custodian/shared';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditService } from '../../src/audit/audit.service';
import { openDatabase } from '../../src/cli/database';
import { loadConfig } from '../../src/config/app.config';
import { createServerDatabase, runCommand, type ServerDatabase } from './cli-runner';

/**
 * `custodian audit retention` and the application role, against a database of their own: a fresh
 * embedded one in a temp folder, or a fresh database on the server when DATABASE_URL is set.
 */
let dataDir: string;
let serverDb: ServerDatabase | undefined;
const now = new Date();
const monthsAgo = (n: number, day: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, day, 12, 0, 0));

const envOf = (extra: Record<string, string> = {}) => ({
  CUSTODIAN_DATA_DIR: dataDir,
  DATABASE_URL: serverDb?.url ?? '',
  ...extra,
});

function cli(extra: Record<string, string>, ...args: string[]) {
  return runCommand(envOf(extra), args);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'custodian-retention-'));
  serverDb = await createServerDatabase('custodian_ret');
  // Fifteen and fourteen months ago, then now: written by the real writer with its clock set back.
  for (const [k, v] of Object.entries(envOf())) vi.stubEnv(k, v);
  const database = await openDatabase(loadConfig());
  vi.unstubAllEnvs();
  try {
    for (const [n, day] of [
      [15, 3],
      [15, 9],
      [14, 2],
      [0, 1],
    ] as const) {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(n === 0 ? now : monthsAgo(n, day));
      try {
        await database.dataSource.transaction((m) =>
          new AuditService(database.dataSource).record(
            {
              actor: { type: 'system', id: null, email: null, roles: [] },
              action: AuditAction.StaffCreate,
              outcome: 'success',
              reason: `written ${n} months ago`,
            },
            m,
          ),
        );
      } finally {
        vi.useRealTimers();
      }
    }
  } finally {
    await database.close();
  }
});

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await serverDb?.drop();
});

describe('custodian audit retention', () => {
  it('does nothing while AUDIT_RETENTION_MONTHS is unset, and names it when it is invalid', async () => {
    const unset = await cli({}, 'audit', 'retention');
    expect(unset.code, unset.stderr).toBe(0);
    expect(unset.stdout).toBe(
      'AUDIT_RETENTION_MONTHS is not set: the audit log is kept forever. Nothing to do.\n',
    );
    const bad = await cli({ AUDIT_RETENTION_MONTHS: '0' }, 'audit', 'retention');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Environment variable AUDIT_RETENTION_MONTHS is invalid (got "0")');
  });

  it('lists on a dry run what would go, and removes nothing', async () => {
    const archiveDir = join(dataDir, 'archive');
    const dry = await cli(
      { AUDIT_RETENTION_MONTHS: '12' },
      'audit',
      'retention',
      '--dry-run',
      '--archive-dir',
      archiveDir,
    );
    expect(dry.code, dry.stderr).toBe(0);
    const month = (n: number) => monthsAgo(n, 1).toISOString().slice(0, 7);
    expect(dry.stdout).toContain(`  ${month(15)}  (in the default partition)  2 events`);
    expect(dry.stdout).toContain(`  ${month(14)}  (in the default partition)  1 events`);
    expect(dry.stdout).toContain('3 events, #1 to #3, to archive and remove');
    expect(dry.stdout).toContain(`Would write the bundle to ${join(archiveDir, 'audit-1-3.jsonl')}`);
    expect(dry.stdout).toContain('Dry run: nothing written, nothing removed.');
    expect(existsSync(archiveDir)).toBe(false);
    const verify = await cli({}, 'audit', 'verify');
    expect(verify.stdout, verify.stderr).toMatch(/^Valid: 4 events verified up to #4/);
  });

  it('archives, verifies and removes the old months; the bundle and the chain left both verify', async () => {
    const archiveDir = join(dataDir, 'archive');
    const run = await cli(
      { AUDIT_RETENTION_MONTHS: '12' },
      'audit',
      'retention',
      '--archive-dir',
      archiveDir,
    );
    expect(run.code, run.stderr).toBe(0);
    const file = join(archiveDir, 'audit-1-3.jsonl');
    expect(run.stdout).toContain(`Archived 3 events to ${file}`);
    expect(run.stdout).toContain('the chain now starts after #3');

    const bundle = await cli({}, 'audit', 'verify-bundle', file);
    expect(bundle.code, bundle.stdout).toBe(0);
    expect(bundle.stdout).toMatch(/^Valid: 3 events \(#1 to #3\) and 1 signed checkpoints/);
    // #4 (now) and #5, the retention event, verified from the anchor.
    const verify = await cli({}, 'audit', 'verify');
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^Valid: 2 events verified up to #5/);
  });
});

describe.runIf(process.env.DATABASE_URL)('the application role after partitioning (PostgreSQL)', () => {
  it('can append and make next month’s partition, but not rewrite, truncate or drop history', async () => {
    const role = `custodian_app_${randomBytes(3).toString('hex')}`;
    const res = await cli({}, 'db', 'app-role', '--role', role);
    expect(res.code, res.stderr).toBe(0);
    const owner = new Client({ connectionString: serverDb!.url });
    await owner.connect();
    const url = new URL(serverDb!.url);
    url.username = role;
    const app = new Client({ connectionString: url.toString() });
    await app.connect();
    try {
      const [{ partition }] = (
        await owner.query(
          `SELECT c.relname AS partition FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'audit_event'::regclass AND c.relname <> 'audit_event_default' LIMIT 1`,
        )
      ).rows;
      // It reads through the parent, and has the months ahead made (as the owner, by the function).
      const [{ n }] = (await app.query(`SELECT count(*)::int AS n FROM audit_event`)).rows;
      expect(n).toBeGreaterThan(0);
      await app.query(`SELECT audit_event_ensure_partitions(3)`);
      await app.query(`SELECT count(*) FROM audit_anchor`);
      for (const sql of [
        `UPDATE audit_event SET reason = 'x'`,
        `DELETE FROM audit_event`,
        `TRUNCATE audit_event`,
        `SELECT count(*) FROM ${partition}`,
        `UPDATE ${partition} SET reason = 'x'`,
        `DELETE FROM ${partition}`,
        `TRUNCATE ${partition}`,
        `TRUNCATE audit_event_default`,
        `DELETE FROM audit_checkpoint`,
        `INSERT INTO audit_anchor (seq, hash, signed_at, key_id, signature, first_seq, events, before, bundle_file, bundle_sha256)
         VALUES (99, 'h', now(), 'k', 's', 1, 1, now(), 'f', 'x')`,
        `DELETE FROM audit_anchor`,
        `SELECT audit_event_create_month('2001-01-01')`,
      ]) {
        await expect(app.query(sql), sql).rejects.toThrow(/permission denied/);
      }
      for (const sql of [
        `ALTER TABLE audit_event DETACH PARTITION ${partition}`,
        `DROP TABLE ${partition}`,
      ]) {
        await expect(app.query(sql), sql).rejects.toThrow(/must be owner/);
      }
    } finally {
      await app.end();
      await owner.query(`DROP OWNED BY ${role}`);
      await owner.query(`DROP ROLE ${role}`);
      await owner.end();
    }
  });
});
