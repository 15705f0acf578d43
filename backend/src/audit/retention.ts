import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AuditAction } from '@custodian/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { AUDIT_CHAIN_LOCK, AuditService } from './audit.service';
import { exportBundle, verifyBundle } from './bundle';
import { GENESIS_HASH } from './canonical';
import { verifyAnchor, type CheckpointSigner } from './checkpoint-signer';

/**
 * Growth and retention of the audit log: monthly partitions made ahead of time, and the removal of
 * whole old months. Must stay true here:
 * - nothing is removed before the events are in a bundle file that has been read back and
 *   verified, whose hash is recorded with the new anchor, and before an `audit.retention` event
 *   says so; the anchor, the event and the removal commit together or not at all;
 * - exactly the events with seq up to the anchor go, so the chain left starts right after it. An
 *   event dated in an old month but chained after a kept one (writers date an event just before
 *   they take the chain lock, so at a month's edge dates and seq can cross) is kept: it is copied
 *   back, into the default partition, before its month's partition is dropped;
 * - the anchor is signed with the checkpoint key under a prefix of its own, so a forged or copied
 *   one is not trusted and verification then starts at the first event, reporting the gap.
 */

/** Months made ahead of the current one (at migration, at start and daily), so no event waits. */
export const PARTITION_MONTHS_AHEAD = 3;

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Makes this month's partition and the next ones when missing; returns how many were made. */
export async function ensureAuditPartitions(
  db: Queryable,
  monthsAhead = PARTITION_MONTHS_AHEAD,
): Promise<number> {
  const [row] = (await db.query(`SELECT audit_event_ensure_partitions($1) AS made`, [monthsAhead])) as {
    made: number;
  }[];
  return Number(row?.made ?? 0);
}

/** The first moment kept: the start (UTC) of the month `months` before the current one. */
export function retentionCutoff(months: number, now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

export interface RetentionAnchor {
  /** The last removed event: the chain left starts at seq + 1, linked to this hash. */
  seq: string;
  hash: string;
  signedAt: string;
  keyId: string;
  signature: string;
  firstSeq: string;
  events: string;
  before: string;
  bundleFile: string;
  bundleSha256: string;
}

export async function latestAnchor(db: Queryable): Promise<RetentionAnchor | null> {
  const [row] = (await db.query(
    `SELECT seq::text AS seq, hash, signed_at AS "signedAt", key_id AS "keyId", signature, first_seq::text AS "firstSeq",
            events::text AS events, before, bundle_file AS "bundleFile", bundle_sha256 AS "bundleSha256"
       FROM audit_anchor ORDER BY seq DESC LIMIT 1`,
  )) as (Omit<RetentionAnchor, 'signedAt' | 'before'> & { signedAt: Date; before: Date })[];
  if (!row) return null;
  return {
    ...row,
    signedAt: new Date(row.signedAt).toISOString(),
    before: new Date(row.before).toISOString(),
  };
}

/**
 * Where verification of the database's chain starts: right after the latest retention anchor when
 * its signature verifies, else at the first event. An anchor that does not verify is ignored, so
 * events removed behind it show up as missing.
 */
export async function chainStart(
  db: Queryable,
  publicKeyPem?: string,
): Promise<{ seq: number; prevHash: string }> {
  const anchor = await latestAnchor(db);
  if (!anchor || (publicKeyPem !== undefined && !verifyAnchor(anchor, publicKeyPem))) {
    return { seq: 1, prevHash: GENESIS_HASH };
  }
  return { seq: Number(anchor.seq) + 1, prevHash: anchor.hash };
}

export interface RetentionMonth {
  /** `YYYY-MM`, UTC. */
  month: string;
  /** The month's partition, or null while its events are in the default partition. */
  partition: string | null;
  events: number;
}

export interface RetentionPlan {
  months: number;
  /** Events dated before this moment are archived and removed. */
  cutoff: Date;
  /** Each old month that holds events or has a partition. */
  old: RetentionMonth[];
  /** The anchor so far (seq 0 and the genesis hash when nothing was ever removed). */
  previous: { seq: string; hash: string };
  /** The events that go: every seq from previous.seq + 1 to lastSeq. Null when none. */
  remove: { events: number; firstSeq: string; lastSeq: string } | null;
  /** Events dated before the cutoff but chained after a kept event: they stay. */
  kept: number;
}

const MONTH_PARTITION = /^audit_event_y(\d{4})m(\d{2})$/;

export async function planRetention(db: Queryable, months: number, now = new Date()): Promise<RetentionPlan> {
  const cutoff = retentionCutoff(months, now);
  const anchor = await latestAnchor(db);
  const previous = anchor ? { seq: anchor.seq, hash: anchor.hash } : { seq: '0', hash: GENESIS_HASH };

  const partitions = (await db.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_event'::regclass`,
  )) as { name: string }[];
  const byMonth = new Map<string, RetentionMonth>();
  for (const { name } of partitions) {
    const m = MONTH_PARTITION.exec(name);
    if (!m) continue;
    if (Date.UTC(Number(m[1]), Number(m[2]), 1) <= cutoff.getTime()) {
      byMonth.set(`${m[1]}-${m[2]}`, { month: `${m[1]}-${m[2]}`, partition: name, events: 0 });
    }
  }
  const counts = (await db.query(
    `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS events
       FROM audit_event WHERE occurred_at < $1 GROUP BY 1`,
    [cutoff],
  )) as { month: string; events: number }[];
  for (const { month, events } of counts) {
    const entry = byMonth.get(month) ?? { month, partition: null, events: 0 };
    entry.events += events;
    byMonth.set(month, entry);
  }

  // The first kept event in chain order: everything chained before it goes, nothing after it.
  const [{ first }] = (await db.query(
    `SELECT min(seq)::text AS first FROM audit_event WHERE occurred_at >= $1`,
    [cutoff],
  )) as [{ first: string | null }];
  const [removable] = (await db.query(
    `SELECT count(*)::int AS events, min(seq)::text AS "firstSeq", max(seq)::text AS "lastSeq"
       FROM audit_event WHERE occurred_at < $1 AND ($2::bigint IS NULL OR seq < $2::bigint)`,
    [cutoff, first],
  )) as { events: number; firstSeq: string | null; lastSeq: string | null }[];
  const [{ kept }] = (await db.query(
    `SELECT count(*)::int AS kept FROM audit_event WHERE occurred_at < $1 AND $2::bigint IS NOT NULL AND seq > $2::bigint`,
    [cutoff, first],
  )) as [{ kept: number }];

  let remove: RetentionPlan['remove'] = null;
  if (removable && removable.events > 0) {
    remove = { events: removable.events, firstSeq: removable.firstSeq!, lastSeq: removable.lastSeq! };
    // The chain must be whole from the anchor to the last removed event: a gap there is damage
    // that an archive would hide.
    if (
      BigInt(remove.firstSeq) !== BigInt(previous.seq) + 1n ||
      BigInt(remove.lastSeq) - BigInt(remove.firstSeq) + 1n !== BigInt(remove.events)
    ) {
      throw new Error(
        `the events to archive (#${remove.firstSeq} to #${remove.lastSeq}, ${remove.events} of them) do not follow the anchor #${previous.seq} without a gap; run "custodian audit verify"`,
      );
    }
  }
  return {
    months,
    cutoff,
    old: [...byMonth.values()].sort((a, b) => (a.month < b.month ? -1 : 1)),
    previous,
    remove,
    kept,
  };
}

export interface RetentionResult {
  plan: RetentionPlan;
  /** Absent when there was nothing to remove. */
  archive?: { file: string; sha256: string; events: number; checkpoints: number; anchorSeq: string };
  droppedPartitions: string[];
}

export interface RetentionOptions {
  months: number;
  archiveDir: string;
  signer: CheckpointSigner;
  now?: Date;
  /** Test seam: runs after the bundle is written and before it is read back. */
  afterExport?: (file: string) => Promise<void>;
}

/**
 * Archives and removes the events of whole months before the retention period, in this order:
 * plan, sign the anchor (the last event to go), export the bundle of exactly those events, read it
 * back and verify it, then in one transaction under the chain lock: check nothing moved, record the
 * anchor, write the `audit.retention` event, detach and drop the old months' partitions (keeping
 * the events chained after a kept one). Any failure before the commit removes nothing.
 */
export async function applyRetention(
  dataSource: DataSource,
  options: RetentionOptions,
): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const cutoff = retentionCutoff(options.months, now);
  // Old events still in the default partition get their month's partition first, so that every
  // old event is in a partition that can be dropped.
  const strays = (await dataSource.query(
    `SELECT DISTINCT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-01') AS month
       FROM audit_event_default WHERE occurred_at < $1`,
    [cutoff],
  )) as { month: string }[];
  for (const { month } of strays) {
    await dataSource.transaction((m) => m.query(`SELECT audit_event_create_month($1::date)`, [month]));
  }

  const plan = await planRetention(dataSource, options.months, now);
  if (!plan.remove) return { plan, droppedPartitions: [] };
  const remove = plan.remove;

  const [anchorEvent] = (await dataSource.query(`SELECT hash FROM audit_event WHERE seq = $1`, [
    remove.lastSeq,
  ])) as { hash: string }[];
  if (!anchorEvent) throw new Error(`event #${remove.lastSeq} is gone; nothing removed`);
  const signedAt = now.toISOString();
  // A checkpoint on the last archived event, so the bundle ends on a signed event (a shortened
  // copy of it fails verification), and the anchor that will stand for it.
  await dataSource.query(
    `INSERT INTO audit_checkpoint (seq, hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (seq) DO NOTHING`,
    [
      remove.lastSeq,
      anchorEvent.hash,
      signedAt,
      options.signer.keyId,
      options.signer.sign(remove.lastSeq, anchorEvent.hash, signedAt),
    ],
  );

  await mkdir(options.archiveDir, { recursive: true });
  const file = resolve(join(options.archiveDir, `audit-${remove.firstSeq}-${remove.lastSeq}.jsonl`));
  const exported = await exportBundle(dataSource, file, options.signer.publicKeyPem, {
    afterSeq: plan.previous.seq,
    throughSeq: remove.lastSeq,
  });
  await options.afterExport?.(file);

  const verified = await verifyBundle(file);
  if (!verified.valid) {
    throw new Error(
      `the archive ${file} does not verify (at #${verified.firstInvalidSeq ?? '?'}: ${verified.problem}); nothing removed`,
    );
  }
  const ends = await bundleEnds(file);
  const problems = [
    verified.events !== remove.events && `it holds ${verified.events} events, not ${remove.events}`,
    verified.firstSeq !== remove.firstSeq && `it starts at #${verified.firstSeq}, not #${remove.firstSeq}`,
    verified.lastSeq !== remove.lastSeq && `it ends at #${verified.lastSeq}, not #${remove.lastSeq}`,
    ends.firstPrevHash !== plan.previous.hash &&
      `its first event does not link to the anchor #${plan.previous.seq}`,
    ends.lastHash !== anchorEvent.hash && `its last event is not event #${remove.lastSeq}`,
    exported.checkpoints < 1 && 'it holds no signed checkpoint',
  ].filter(Boolean);
  if (problems.length)
    throw new Error(
      `the archive ${file} is not the events to remove: ${problems.join('; ')}; nothing removed`,
    );

  const dropped = await dataSource.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock($1)`, [AUDIT_CHAIN_LOCK]);
    // Writers take the chain lock before the table, so taking both in that order cannot deadlock
    // with them; the wait for readers is bounded.
    await m.query(`SET LOCAL lock_timeout = '10s'`);
    await m.query(`LOCK TABLE audit_event IN ACCESS EXCLUSIVE MODE`);
    const again = await planRetention(m, options.months, now);
    if (JSON.stringify(again) !== JSON.stringify(plan)) {
      throw new Error('the audit log changed while it was being archived; nothing removed, run again');
    }
    await m.query(
      `INSERT INTO audit_anchor (seq, hash, signed_at, key_id, signature, first_seq, events, before, bundle_file, bundle_sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        remove.lastSeq,
        anchorEvent.hash,
        signedAt,
        options.signer.keyId,
        options.signer.signAnchor(remove.lastSeq, anchorEvent.hash, signedAt),
        remove.firstSeq,
        remove.events,
        cutoff,
        file,
        ends.sha256,
      ],
    );
    const partitions = plan.old.map((o) => o.partition).filter((p): p is string => p !== null);
    await new AuditService(dataSource).record(
      {
        actor: { type: 'system', id: null, email: null, roles: [] },
        action: AuditAction.AuditRetention,
        outcome: 'success',
        details: {
          via: 'command line',
          osUser: userInfo().username,
          retentionMonths: options.months,
          before: cutoff.toISOString(),
          months: plan.old.map((o) => o.month),
          events: remove.events,
          firstSeq: remove.firstSeq,
          lastSeq: remove.lastSeq,
          anchorHash: anchorEvent.hash,
          kept: plan.kept,
          bundle: { file, sha256: ends.sha256, checkpoints: exported.checkpoints },
        },
      },
      m,
    );
    for (const partition of partitions) {
      await m.query(`ALTER TABLE audit_event DETACH PARTITION "${partition}"`);
      // Events of that month chained after a kept one stay: with the month detached, they land in
      // the default partition (until a later run archives them with their neighbours).
      await m.query(`INSERT INTO audit_event SELECT * FROM "${partition}" WHERE seq > $1`, [remove.lastSeq]);
      await m.query(`DROP TABLE "${partition}"`);
    }
    const [left] = (await m.query(`SELECT count(*)::int AS n FROM audit_event WHERE seq > $1 AND seq <= $2`, [
      plan.previous.seq,
      remove.lastSeq,
    ])) as { n: number }[];
    if (left!.n !== 0) throw new Error(`${left!.n} archived events would remain; nothing removed`);
    return partitions;
  });
  return {
    plan,
    archive: {
      file,
      sha256: ends.sha256,
      events: exported.events,
      checkpoints: exported.checkpoints,
      anchorSeq: remove.lastSeq,
    },
    droppedPartitions: dropped,
  };
}

/** The file's SHA-256 and the chain ends of a bundle: its first event's prevHash, its last hash. */
async function bundleEnds(
  file: string,
): Promise<{ sha256: string; firstPrevHash?: string; lastHash?: string }> {
  const digest = createHash('sha256');
  const input = createReadStream(file);
  input.on('data', (chunk) => digest.update(chunk));
  let firstPrevHash: string | undefined;
  let lastHash: string | undefined;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (!line.includes('"type":"event"')) continue;
    const event = JSON.parse(line) as { type: string; prevHash: string; hash: string };
    if (event.type !== 'event') continue;
    firstPrevHash ??= event.prevHash;
    lastHash = event.hash;
  }
  return { sha256: digest.digest('hex'), firstPrevHash, lastHash };
}
