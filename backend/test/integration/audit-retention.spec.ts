import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditAction } from '@custodian/shared';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditService } from '../../src/audit/audit.service';
import { verifyBundle } from '../../src/audit/bundle';
import { CheckpointService } from '../../src/audit/checkpoint.service';
import { applyRetention, planRetention, retentionCutoff } from '../../src/audit/retention';
import { AuditPartitionsService } from '../../src/audit/retention.service';
import { ConfigError, loadConfig } from '../../src/config/app.config';
import { withTampering } from './tamper';
import { startTestApp, type SignedIn, type TestApp } from './harness';

/**
 * Monthly partitions and retention, on the real app and database. The chain is built oldest first
 * with the real writer, its clock set back for the old months, so that the months before the
 * retention period come first in the chain, as they do in a real log:
 *   #1-#5   fourteen months ago (its partition made beforehand)
 *   #6-#10  thirteen months ago (no partition: the default one takes them)
 *   #11-#13 last month
 *   #14     fourteen months ago again: dated in an old month but chained after kept events
 * then the sign-ins of this file, now. Keeping 12 months, #1-#10 go and #14 stays.
 */
const MONTHS = 12;
let t: TestApp;
let auditor: SignedIn;
let archiveDir: string;
const now = new Date();
const monthsAgo = (n: number, day = 5) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, day, 12, 0, 0));
const partitionOf = (d: Date) =>
  `audit_event_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

async function appendAt(ds: DataSource, occurredAt: Date, reason: string): Promise<string> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(occurredAt);
  try {
    const event = await ds.transaction((m) =>
      new AuditService(ds).record(
        {
          actor: { type: 'system', id: null, email: null, roles: [] },
          action: AuditAction.StaffCreate,
          outcome: 'success',
          reason,
        },
        m,
      ),
    );
    const [row] = (await ds.query(`SELECT seq::text AS seq FROM audit_event WHERE id = $1`, [event.id])) as {
      seq: string;
    }[];
    return row!.seq;
  } finally {
    vi.useRealTimers();
  }
}

const rows = async (sql: string, params: unknown[] = []) =>
  (await t.dataSource.query(sql, params)) as Record<string, unknown>[];
const count = async (where = 'true', params: unknown[] = []) =>
  Number((await rows(`SELECT count(*)::int AS n FROM audit_event WHERE ${where}`, params))[0]!.n);
const exists = async (table: string) =>
  (await rows(`SELECT to_regclass($1) IS NOT NULL AS e`, [table]))[0]!.e as boolean;

/**
 * Runs `tamper` with the triggers off (as a superuser could), verifies through the API, restores:
 * withTampering, with the anchor table opened too and its forged rows taken out afterwards.
 */
async function tampered(tamper: string, params: unknown[] = []) {
  const query = (sql: string) => t.dataSource.query(sql);
  await query(`ALTER TABLE audit_anchor DISABLE TRIGGER USER`);
  try {
    return await withTampering(
      query,
      () => t.dataSource.query(tamper, params),
      async () => (await auditor.agent.get('/api/audit-events/verify')).body as Record<string, unknown>,
    );
  } finally {
    await query(`DELETE FROM audit_anchor WHERE seq <> 10`);
    await query(`ALTER TABLE audit_anchor ENABLE TRIGGER USER`);
  }
}

const signer = () => t.custodian.app.get(CheckpointService).signer;

beforeAll(async () => {
  t = await startTestApp();
  archiveDir = mkdtempSync(join(tmpdir(), 'custodian-archive-'));
});

afterAll(async () => {
  await t?.close();
  rmSync(archiveDir, { recursive: true, force: true });
});

describe('monthly partitions', () => {
  it('puts each event in its month’s partition, and one whose month has none in the default partition', async () => {
    expect(await count()).toBe(0);
    await t.dataSource.query(`SELECT audit_event_create_month($1::date)`, [monthsAgo(14, 1)]);
    await t.dataSource.query(`SELECT audit_event_create_month($1::date)`, [monthsAgo(1, 1)]);
    for (let i = 1; i <= 5; i++) await appendAt(t.dataSource, monthsAgo(14, i), `old ${i}`);
    for (let i = 6; i <= 10; i++) await appendAt(t.dataSource, monthsAgo(13, i), `old ${i}`);
    for (let i = 11; i <= 13; i++) await appendAt(t.dataSource, monthsAgo(1, i), `recent ${i}`);
    expect(await appendAt(t.dataSource, monthsAgo(14, 20), 'late')).toBe('14');
    auditor = await t.signIn('auditor');

    const where = await rows(
      `SELECT tableoid::regclass::text AS partition, array_agg(seq::int ORDER BY seq) AS seqs
         FROM audit_event GROUP BY 1 ORDER BY 1`,
    );
    expect(where).toEqual(
      [
        { partition: partitionOf(monthsAgo(14)), seqs: [1, 2, 3, 4, 5, 14] },
        { partition: partitionOf(monthsAgo(1)), seqs: [11, 12, 13] },
        { partition: partitionOf(now), seqs: expect.any(Array) },
        { partition: 'audit_event_default', seqs: [6, 7, 8, 9, 10] },
      ].sort((a, b) => (a.partition < b.partition ? -1 : 1)),
    );
    // The migration and the start made this month and the next three ahead.
    for (let ahead = 0; ahead <= 3; ahead++) expect(await exists(partitionOf(monthsAgo(-ahead)))).toBe(true);
  });

  it('moves the default partition’s events of a month into that month’s partition when it is made', async () => {
    const far = new Date(Date.UTC(2099, 4, 1));
    // Rows of a month with no partition are in the default one; making the month moves them.
    const before = await count();
    await t.dataSource.query(`SELECT audit_event_create_month($1::date)`, [monthsAgo(13, 1)]);
    expect(await count()).toBe(before);
    expect(
      await rows(`SELECT DISTINCT tableoid::regclass::text AS p FROM audit_event WHERE seq BETWEEN 6 AND 10`),
    ).toEqual([{ p: partitionOf(monthsAgo(13)) }]);
    expect(await count(`tableoid = 'audit_event_default'::regclass`)).toBe(0);
    // Making a month twice is a no-op.
    expect((await rows(`SELECT audit_event_create_month($1::date) AS made`, [far]))[0]!.made).toBe(true);
    expect((await rows(`SELECT audit_event_create_month($1::date) AS made`, [far]))[0]!.made).toBe(false);
    await t.dataSource.query(`DROP TABLE audit_event_y2099m05`);
    expect((await auditor.agent.get('/api/audit-events/verify')).body).toMatchObject({ valid: true });
  });

  it('makes a missing month ahead again, as the backend does at start and daily', async () => {
    const ahead = partitionOf(monthsAgo(-3));
    await t.dataSource.query(`DROP TABLE ${ahead}`);
    expect(await t.custodian.app.get(AuditPartitionsService).ensure()).toBe(1);
    expect(await exists(ahead)).toBe(true);
    expect(await t.custodian.app.get(AuditPartitionsService).ensure()).toBe(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on a partition itself, not only on the parent', async () => {
    const partition = partitionOf(monthsAgo(14));
    for (const sql of [
      `UPDATE ${partition} SET reason = 'rewritten'`,
      `DELETE FROM ${partition}`,
      `TRUNCATE ${partition}`,
      `TRUNCATE audit_event_default`,
      `TRUNCATE audit_anchor`,
    ]) {
      await expect(t.dataSource.query(sql), sql).rejects.toThrow(/append-only/);
    }
  });
});

describe('retention', () => {
  it('stops with a sentence naming AUDIT_RETENTION_MONTHS when it is not a whole number of months', () => {
    for (const value of ['0', 'twelve', '1.5']) {
      expect(() => loadConfig({ AUDIT_RETENTION_MONTHS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ AUDIT_RETENTION_MONTHS: value })).toThrow(
        /Environment variable AUDIT_RETENTION_MONTHS is invalid/,
      );
    }
    expect(loadConfig({ AUDIT_RETENTION_MONTHS: '24' }).audit.retentionMonths).toBe(24);
    expect(loadConfig({}).audit.retentionMonths).toBeUndefined();
  });

  it('plans whole months before the period, the chain up to the first kept event', async () => {
    const plan = await planRetention(t.dataSource, MONTHS);
    expect(plan.cutoff).toEqual(retentionCutoff(MONTHS));
    expect(plan.old.map((o) => [o.partition, o.events])).toEqual([
      [partitionOf(monthsAgo(14)), 6],
      [partitionOf(monthsAgo(13)), 5],
    ]);
    expect(plan.remove).toEqual({ events: 10, firstSeq: '1', lastSeq: '10' });
    expect(plan.kept).toBe(1);
    expect(plan.previous).toEqual({ seq: '0', hash: '0'.repeat(64) });
  });

  it('removes nothing when the archive does not verify (an old event was edited in the database)', async () => {
    const total = await count();
    await t.dataSource.query(`ALTER TABLE audit_event DISABLE TRIGGER USER`);
    await t.dataSource.query(`UPDATE audit_event SET reason = 'nothing to see' WHERE seq = 3`);
    await t.dataSource.query(`ALTER TABLE audit_event ENABLE TRIGGER USER`);
    try {
      await expect(
        applyRetention(t.dataSource, { months: MONTHS, archiveDir, signer: signer() }),
      ).rejects.toThrow(/does not verify \(at #3: its content does not match its hash\); nothing removed/);
      expect(await count()).toBe(total);
      expect(await exists(partitionOf(monthsAgo(14)))).toBe(true);
      expect(await rows(`SELECT * FROM audit_anchor`)).toEqual([]);
      expect(await count(`action = 'audit.retention'`)).toBe(0);
    } finally {
      await t.dataSource.query(`ALTER TABLE audit_event DISABLE TRIGGER USER`);
      await t.dataSource.query(`UPDATE audit_event SET reason = 'old 3' WHERE seq = 3`);
      await t.dataSource.query(`ALTER TABLE audit_event ENABLE TRIGGER USER`);
    }
  });

  it('removes nothing when the archive cannot be written, or is not what was read back', async () => {
    const total = await count();
    const notADirectory = join(archiveDir, 'a-file');
    writeFileSync(notADirectory, '');
    await expect(
      applyRetention(t.dataSource, { months: MONTHS, archiveDir: notADirectory, signer: signer() }),
    ).rejects.toThrow();
    // A bundle that loses its last event between writing and reading back.
    await expect(
      applyRetention(t.dataSource, {
        months: MONTHS,
        archiveDir,
        signer: signer(),
        afterExport: async (file) => {
          const lines = readFileSync(file, 'utf8').trim().split('\n');
          const kept = lines.filter((l) => !(l.includes('"type":"event"') && l.includes('"seq":"10"')));
          writeFileSync(file, kept.join('\n') + '\n');
        },
      }),
    ).rejects.toThrow(/nothing removed/);
    expect(await count()).toBe(total);
    expect(await rows(`SELECT * FROM audit_anchor`)).toEqual([]);
    expect(await count(`action = 'audit.retention'`)).toBe(0);
    expect((await auditor.agent.get('/api/audit-events/verify')).body).toMatchObject({
      valid: true,
      checked: total,
    });
  });

  it('archives the old months to a bundle that verifies offline, anchors the chain, then drops them', async () => {
    const total = await count();
    const result = await applyRetention(t.dataSource, { months: MONTHS, archiveDir, signer: signer() });
    expect(result.archive).toMatchObject({ events: 10, anchorSeq: '10' });
    expect(result.droppedPartitions).toEqual([partitionOf(monthsAgo(14)), partitionOf(monthsAgo(13))]);
    for (const partition of result.droppedPartitions) expect(await exists(partition)).toBe(false);

    // Exactly #1-#10 went; #14, dated in an old month but chained after kept events, stayed.
    expect(await count(`seq <= 10`)).toBe(0);
    expect(await count()).toBe(total - 10 + 1); // and the retention event came
    expect(await rows(`SELECT tableoid::regclass::text AS p FROM audit_event WHERE seq = 14`)).toEqual([
      { p: 'audit_event_default' },
    ]);

    const file = result.archive!.file;
    expect(await verifyBundle(file)).toMatchObject({ valid: true, events: 10, firstSeq: '1', lastSeq: '10' });
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(
      await rows(`SELECT seq::text AS seq, first_seq::int AS first, events::int AS events, bundle_file AS file,
                              bundle_sha256 AS sha256 FROM audit_anchor`),
    ).toEqual([{ seq: '10', first: 1, events: 10, file, sha256 }]);
    const [event] = await rows(
      `SELECT actor_type, outcome, details FROM audit_event WHERE action = 'audit.retention'`,
    );
    expect(event).toMatchObject({
      actor_type: 'system',
      outcome: 'success',
      details: { events: 10, firstSeq: '1', lastSeq: '10', kept: 1, bundle: { file, sha256 } },
    });

    // The chain left verifies from the anchor: the first kept event links to the last removed one.
    const verify = await auditor.agent.get('/api/audit-events/verify');
    expect(verify.body).toMatchObject({ valid: true, checked: await count() });
  });

  it('still names every kind of tampering after retention', async () => {
    const deleted = await tampered(`DELETE FROM audit_event WHERE seq = 11`);
    expect(deleted).toMatchObject({ valid: false, firstInvalidSeq: 12 });
    expect(deleted.problem).toContain('#11 is missing');

    expect(await tampered(`UPDATE audit_event SET reason = 'edited' WHERE seq = 12`)).toMatchObject({
      valid: false,
      firstInvalidSeq: 12,
    });

    // Removing the first kept events behind a new anchor signed with a checkpoint's signature (the
    // only kind the application writes): not an anchor's signature, so verification starts at #1.
    const [e12] = await rows(`SELECT hash FROM audit_event WHERE seq = 12`);
    const signedAt = new Date().toISOString();
    const forged = await tampered(
      `WITH gone AS (DELETE FROM audit_event WHERE seq IN (11, 12))
       INSERT INTO audit_anchor (seq, hash, signed_at, key_id, signature, first_seq, events, before, bundle_file, bundle_sha256)
       VALUES (12, $1, $2, $3, $4, 11, 2, now(), 'nowhere', 'none')`,
      [e12!.hash, signedAt, signer().keyId, signer().sign('12', String(e12!.hash), signedAt)],
    );
    expect(forged).toMatchObject({ valid: false, firstInvalidSeq: 13 });
    expect(forged.problem).toContain('#1 is missing');

    expect((await auditor.agent.get('/api/audit-events/verify')).body).toMatchObject({ valid: true });
  });

  it('has nothing more to remove on a second run, and keeps the late event', async () => {
    const total = await count();
    const again = await applyRetention(t.dataSource, { months: MONTHS, archiveDir, signer: signer() });
    expect(again.archive).toBeUndefined();
    expect(again.plan.kept).toBe(1);
    expect(await count()).toBe(total);
    expect((await auditor.agent.get('/api/audit-events/verify')).body).toMatchObject({ valid: true });
  });
});
