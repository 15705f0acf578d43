import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AUDIT_CHAIN_LOCK, eventColumns, hashedContent } from '../../src/audit/audit.service';
import { chainHash, GENESIS_HASH } from '../../src/audit/canonical';

const ACTIONS = [
  'auth.login',
  'account.search',
  'account.reveal',
  'account.operation.change-email',
  'staff.update',
];
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * The n-th of a varied run of events, shaped like the ones the app writes: sign-ins, searches,
 * reveals with a reason, operations with masked before/after values, some with non-ASCII text.
 */
function buildAuditEvent(n: number, occurredAt: Date): AuditEventEntity {
  const action = ACTIONS[n % ACTIONS.length]!;
  const onAccount = action.startsWith('account.');
  return Object.assign(new AuditEventEntity(), {
    id: randomUUID(),
    occurredAt,
    actorType: n % 17 === 0 ? 'system' : 'staff',
    actorId: n % 17 === 0 ? null : randomUUID(),
    actorEmail: n % 17 === 0 ? null : `engineer${n % 50}@staff.test`,
    actorRoles: n % 3 === 0 ? ['engineer', 'support'] : ['support'],
    action,
    targetType: onAccount ? 'account' : null,
    targetId: onAccount ? randomUUID() : null,
    outcome: n % 11 === 0 ? 'denied' : 'success',
    reason: action === 'account.reveal' ? `caller verified on ticket ${n} – Müller` : null,
    ticket: n % 4 === 0 ? `SUP-${n}` : null,
    changes: action.startsWith('account.operation.')
      ? { email: { before: 'j•••@e•••.com', after: 'm•••@e•••.com' }, version: { before: n, after: n + 1 } }
      : null,
    details:
      action === 'account.search'
        ? { fields: ['email', 'phone'], results: n % 7, filter: { region: 'EU', status: null } }
        : action === 'account.reveal'
          ? { fields: ['phone'], expiresAt: new Date(occurredAt.getTime() + 900_000).toISOString() }
          : null,
    requestId: randomUUID(),
    ip: `10.0.${n % 256}.${(n >> 8) % 256}`,
    userAgent: USER_AGENT,
  });
}

/** A moment as PostgreSQL reads it, for any year a Date holds (toISOString writes +010000 or -000001). */
function pgTimestamp(d: Date): string {
  const year = d.getUTCFullYear();
  const iso = d.toISOString();
  return `${String(year > 0 ? year : 1 - year).padStart(4, '0')}-${iso.slice(-19, -1)}+00${year > 0 ? '' : ' BC'}`;
}

/**
 * Appends `count` events to the chain, a few thousand per statement, with the hashes the writer
 * would give them (canonical JSON of the hashed content, linked under the chain lock): tests and
 * measurements get a long, valid chain in seconds instead of one INSERT per event.
 */
export async function appendAuditEvents(
  dataSource: DataSource,
  count: number,
  options: {
    batch?: number;
    start?: Date;
    /** Changes to the n-th event (from 0) before it is hashed. */
    overrides?: (n: number) => Partial<AuditEventEntity>;
  } = {},
): Promise<{ seq: number; hash: string }> {
  const batch = options.batch ?? 5000;
  const start = options.start?.getTime() ?? Date.now() - count * 10;
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let done = 0; done < count;) {
    const size = Math.min(batch, count - done);
    head = await dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [AUDIT_CHAIN_LOCK]);
      // Ordered by the bigint column, not by its text alias (which would put "999" after "5000").
      const [last] = (await m.query(
        `SELECT e.seq::text AS seq, e.hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1`,
      )) as { seq: string; hash: string }[];
      let seq = last ? Number(last.seq) : 0;
      let prev = last?.hash ?? GENESIS_HASH;
      const rows = [];
      for (let i = 0; i < size; i++) {
        const n = done + i;
        const event = Object.assign(buildAuditEvent(n, new Date(start + n * 10)), options.overrides?.(n));
        seq++;
        const hash = chainHash(prev, String(seq), hashedContent(event));
        rows.push({
          ...eventColumns(event),
          seq,
          // pgTimestamp: any year a Date holds, where toISOString's form would not parse.
          occurred_at: pgTimestamp(event.occurredAt),
          prev_hash: prev,
          hash,
        });
        prev = hash;
      }
      await m.query(
        `INSERT INTO audit_event (id, seq, occurred_at, actor_type, actor_id, actor_email, actor_roles, action,
           target_type, target_id, outcome, reason, ticket, changes, details, request_id, ip, user_agent, prev_hash, hash)
         SELECT id, seq, occurred_at, actor_type, actor_id, actor_email, actor_roles, action, target_type, target_id,
           outcome, reason, ticket, changes, details, request_id, ip, user_agent, prev_hash, hash
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, seq bigint, occurred_at timestamptz, actor_type text,
           actor_id text, actor_email text, actor_roles text[], action text, target_type text, target_id text,
           outcome text, reason text, ticket text, changes jsonb, details jsonb, request_id text, ip text,
           user_agent text, prev_hash text, hash text)`,
        [JSON.stringify(rows)],
      );
      return { seq, hash: prev };
    });
    done += size;
  }
  return head;
}
